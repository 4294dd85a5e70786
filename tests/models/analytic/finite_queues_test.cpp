#include "models/analytic/finite_queues.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace continuum::analytic {
namespace {

using ::testing::HasSubstr;

ServiceLaw law(const char* text) {
  return ServiceLaw::parse(text);
}

double mm1k_loss_closed_form(double rho, int capacity) {
  const double k = static_cast<double>(capacity);
  return (1.0 - rho) * std::pow(rho, k) / (1.0 - std::pow(rho, k + 1.0));
}

// Brute force: the M/D/1/K chain embedded at departures, built entry by entry from the Poisson
// pmf and solved by power iteration; then the arrival/departure relation p_K = 1 − 1/(π_0 + ρ).
double md1k_loss_by_power_iteration(double rho, int capacity) {
  const auto states = static_cast<std::size_t>(capacity);
  std::vector<double> poisson(400);
  poisson[0] = std::exp(-rho);
  for (std::size_t n = 1; n < poisson.size(); ++n) poisson[n] = poisson[n - 1] * rho / static_cast<double>(n);
  std::vector<std::vector<double>> transition(states, std::vector<double>(states, 0.0));
  for (std::size_t i = 0; i < states; ++i) {
    const std::size_t base = i == 0 ? 0 : i - 1;  // a departure leaves i; the next one leaves base + arrivals
    for (std::size_t n = 0; n < poisson.size(); ++n)
      transition[i][std::min(base + n, states - 1)] += poisson[n];
  }
  std::vector<double> pi(states, 1.0 / static_cast<double>(states));
  for (int iteration = 0; iteration < 200000; ++iteration) {
    std::vector<double> next(states, 0.0);
    for (std::size_t i = 0; i < states; ++i)
      for (std::size_t j = 0; j < states; ++j) next[j] += pi[i] * transition[i][j];
    double change = 0.0;
    for (std::size_t j = 0; j < states; ++j) change += std::abs(next[j] - pi[j]);
    pi = next;
    if (change < 1e-16) break;
  }
  const double total = std::accumulate(pi.begin(), pi.end(), 0.0);
  return 1.0 - 1.0 / (pi[0] / total + rho);
}

// A different route altogether: M/E_k/1/K as a continuous-time Markov chain on (number present,
// service phase), solved with a sparse LU; the loss is the time-average P(N = K) (PASTA). Mean
// service 1, so λ = ρ and each of the k phases has rate k.
double mek1k_loss_by_phase_chain(double rho, int phases, int capacity) {
  const int size = 1 + capacity * phases;
  const auto index = [phases](int present, int phase) { return 1 + (present - 1) * phases + phase; };
  const double phase_rate = static_cast<double>(phases);
  std::vector<Eigen::Triplet<double>> entries;  // of Qᵀ, so that Qᵀπ = 0
  std::vector<double> outflow(static_cast<std::size_t>(size), 0.0);
  const auto rate = [&](int from, int to, double value) {
    entries.emplace_back(to, from, value);
    outflow[static_cast<std::size_t>(from)] += value;
  };
  rate(0, index(1, 0), rho);
  for (int n = 1; n <= capacity; ++n) {
    for (int p = 0; p < phases; ++p) {
      if (n < capacity) rate(index(n, p), index(n + 1, p), rho);
      if (p + 1 < phases) {
        rate(index(n, p), index(n, p + 1), phase_rate);
      } else {
        rate(index(n, p), n == 1 ? 0 : index(n - 1, 0), phase_rate);
      }
    }
  }
  // Replace the balance equation of state 0 by the normalisation Σπ = 1.
  std::vector<Eigen::Triplet<double>> system;
  for (const auto& entry : entries)
    if (entry.row() != 0) system.push_back(entry);
  for (int s = 0; s < size; ++s) {
    system.emplace_back(0, s, 1.0);
    if (s != 0) system.emplace_back(s, s, -outflow[static_cast<std::size_t>(s)]);
  }
  Eigen::SparseMatrix<double> matrix(size, size);
  matrix.setFromTriplets(system.begin(), system.end());
  Eigen::SparseLU<Eigen::SparseMatrix<double>> solver;
  solver.compute(matrix);
  Eigen::VectorXd right = Eigen::VectorXd::Zero(size);
  right(0) = 1.0;
  const Eigen::VectorXd pi = solver.solve(right);
  double loss = 0.0;
  for (int p = 0; p < phases; ++p) loss += pi(index(capacity, p));
  return loss;
}

// ---- M/M/1/K -------------------------------------------------------------------------------------

TEST(MM1K, MatchesTheClosedFormBelowAndAboveFullLoad) {
  for (const double rho : {0.3, 0.8, 1.25, 2.0})
    for (const int k : {1, 3, 10})
      EXPECT_NEAR(mm1k(rho, 1.0, k).loss_probability / mm1k_loss_closed_form(rho, k), 1.0, 1e-12)
          << "rho " << rho << " K " << k;
  EXPECT_DOUBLE_EQ(mm1k(2.0, 1.0, 3).loss_probability, 8.0 / 15.0);
}

TEST(MM1K, IsUniformAtFullLoad) {
  const std::vector<double> p = mm1k_distribution(4.0, 0.25, 9);  // ρ = 1
  for (const double value : p) EXPECT_NEAR(value, 0.1, 1e-15);
  EXPECT_NEAR(mm1k(4.0, 0.25, 9).mean_in_system, 4.5, 1e-13);
}

TEST(MM1K, HandlesLargeCapacitiesWithoutOverflow) {
  // ρ > 1: the loss tends to 1 − 1/ρ; ρ < 1: to 0, with p_K ≈ (1 − ρ)ρ^K far below 1e-300.
  EXPECT_NEAR(mm1k(1.5, 1.0, 5000).loss_probability, 1.0 / 3.0, 1e-12);
  const double tiny = mm1k(0.5, 1.0, 1030).loss_probability;
  EXPECT_GT(tiny, 0.0);
  EXPECT_NEAR(std::log(tiny), std::log(0.5) + 1030.0 * std::log(0.5), 1e-9);
}

TEST(MM1K, SatisfiesLittlesLawAndTheUtilisationIdentity) {
  const FiniteQueueMetrics m = mm1k(3.0, 0.3, 6);  // ρ = 0.9
  EXPECT_NEAR(m.throughput, 3.0 * (1.0 - m.loss_probability), 1e-15);
  EXPECT_NEAR(m.utilization, m.throughput * 0.3, 1e-14);
  EXPECT_NEAR(m.mean_response * m.throughput, m.mean_in_system, 1e-14);
}

TEST(MM1K, RejectsAZeroCapacityAndNegativeRates) {
  EXPECT_THROW(mm1k(1.0, 1.0, 0), std::invalid_argument);
  EXPECT_THROW(mm1k(-1.0, 1.0, 3), std::invalid_argument);
  EXPECT_THROW(mm1k(1.0, 0.0, 3), std::invalid_argument);
}

// ---- service laws --------------------------------------------------------------------------------

TEST(ServiceLaw, ParsesEveryAcceptedForm) {
  EXPECT_EQ(law("exponential").kind, ServiceLaw::Kind::exponential);
  EXPECT_EQ(law("deterministic").squared_cv(), 0.0);
  const ServiceLaw erlang = law("erlang:4");
  EXPECT_EQ(erlang.kind, ServiceLaw::Kind::erlang);
  EXPECT_EQ(erlang.erlang_k, 4);
  EXPECT_DOUBLE_EQ(erlang.squared_cv(), 0.25);
  EXPECT_DOUBLE_EQ(law("hyperexp:3.5").scv, 3.5);
  EXPECT_EQ(law("lognormal:2").kind, ServiceLaw::Kind::lognormal);
  EXPECT_EQ(law("gamma:0.5").kind, ServiceLaw::Kind::gamma);
  for (const ServiceLaw& parsed :
       {law("exponential"), law("erlang:4"), law("hyperexp:3.5"), law("gamma:0.5")})
    EXPECT_EQ(ServiceLaw::parse(parsed.to_string()).to_string(), parsed.to_string());
  EXPECT_DOUBLE_EQ(law("exponential").mean, 1.0);
}

TEST(ServiceLaw, GivesTheSecondMomentOfEachLaw) {
  ServiceLaw scaled = law("erlang:2");
  scaled.mean = 3.0;
  EXPECT_DOUBLE_EQ(scaled.second_moment(), 1.5 * 9.0);  // (1 + 1/2)·E[S]²
  EXPECT_DOUBLE_EQ(law("deterministic").second_moment(), 1.0);
  EXPECT_DOUBLE_EQ(law("exponential").second_moment(), 2.0);
  EXPECT_DOUBLE_EQ(law("hyperexp:4").second_moment(), 5.0);
}

TEST(ServiceLaw, RejectsMalformedTextWithTheAcceptedForms) {
  const auto message = [](const char* text) {
    try {
      ServiceLaw::parse(text);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message("weibull:2"), HasSubstr("unknown law"));
  EXPECT_THAT(message("weibull:2"), HasSubstr("erlang:K"));
  EXPECT_THAT(message("erlang"), HasSubstr("needs a parameter"));
  EXPECT_THAT(message("erlang:0"), HasSubstr(">= 1"));
  EXPECT_THAT(message("erlang:2.5"), HasSubstr("is not a number"));
  EXPECT_THAT(message("hyperexp:0.5"), HasSubstr(">= 1"));
  EXPECT_THAT(message("gamma:-1"), HasSubstr("> 0"));
  EXPECT_THAT(message("lognormal:abc"), HasSubstr("\"abc\" is not a number"));
  EXPECT_THAT(message("exponential:2"), HasSubstr("takes no parameter"));
  EXPECT_THAT(message(""), HasSubstr("unknown law"));
}

TEST(ArrivalsDuringService, HaveMeanRhoAndTheSecondFactorialMomentOfTheLaw) {
  // N | S ~ Poisson(λS): E[N] = λE[S], E[N²] = λE[S] + λ²E[S²]; E[N] = Σ_{k≥1} P(N ≥ k) and
  // E[N²] = Σ_{k≥1} (2k − 1)·P(N ≥ k).
  const double lambda = 0.7;
  for (const char* text :
       {"exponential", "deterministic", "erlang:3", "hyperexp:5", "gamma:2", "gamma:0.2", "lognormal:0.5"}) {
    const ServiceLaw service = law(text);
    const ArrivalsDuringService counts = arrivals_during_service(lambda, service, 120);
    double first = 0.0, second = 0.0;
    for (std::size_t k = 1; k < counts.at_least.size(); ++k) {
      first += counts.at_least[k];
      second += (2.0 * static_cast<double>(k) - 1.0) * counts.at_least[k];
    }
    EXPECT_NEAR(first, lambda, 1e-9) << text;
    EXPECT_NEAR(second, lambda + lambda * lambda * service.second_moment(), 1e-7) << text;
    EXPECT_NEAR(counts.none, 1.0 - counts.at_least[1], 1e-12) << text;
  }
}

// ---- M/G/1/K exact -------------------------------------------------------------------------------

TEST(MG1KExact, WithExponentialServiceEqualsMM1K) {
  for (const double rho : {0.05, 0.5, 0.95, 1.0, 1.05, 3.0})
    for (const int k : {1, 2, 7, 25}) {
      const double expected = mm1k(rho, 1.0, k).loss_probability;
      EXPECT_NEAR(mg1k_loss_exact(rho, law("exponential"), k) / expected, 1.0, 1e-11)
          << "rho " << rho << " K " << k;
    }
  const std::vector<double> p = mg1k_distribution(0.9, law("exponential"), 8);
  const std::vector<double> q = mm1k_distribution(0.9, 1.0, 8);
  for (std::size_t n = 0; n < p.size(); ++n) EXPECT_NEAR(p[n], q[n], 1e-14);
}

TEST(MG1KExact, KeepsTheRelativePrecisionOfTinyLosses) {
  // (1 − ρ)ρ^K / (1 − ρ^{K+1}) ≈ 8.5e-22: 1 − 1/(π_0 + ρ) alone would round it to 0.
  const double expected = mm1k(0.3, 1.0, 40).loss_probability;
  EXPECT_NEAR(mg1k_loss_exact(0.3, law("exponential"), 40) / expected, 1.0, 1e-9);
}

TEST(MG1KExact, WithDeterministicServiceMatchesAPowerIterationOfTheEmbeddedChain) {
  const double brute_force = md1k_loss_by_power_iteration(0.8, 10);
  EXPECT_NEAR(mg1k_loss_exact(0.8, law("deterministic"), 10) / brute_force, 1.0, 1e-9);
  EXPECT_LT(brute_force, mm1k(0.8, 1.0, 10).loss_probability);  // less variable service, fewer losses
}

TEST(MG1KExact, WithDeterministicServiceIsTheLimitOfManyErlangPhases) {
  // The phase chain's loss is L(k) = L + a/k + b/k² + …; two Richardson steps over k = 100, 200, 400
  // remove the first two error terms.
  const double l100 = mek1k_loss_by_phase_chain(0.8, 100, 10);
  const double l200 = mek1k_loss_by_phase_chain(0.8, 200, 10);
  const double l400 = mek1k_loss_by_phase_chain(0.8, 400, 10);
  const double first = 2.0 * l200 - l100, second = 2.0 * l400 - l200;
  const double extrapolated = (4.0 * second - first) / 3.0;
  EXPECT_NEAR(mg1k_loss_exact(0.8, law("deterministic"), 10) / extrapolated, 1.0, 1e-6);
}

TEST(MG1KExact, WithErlangServiceMatchesTheCtmcOnPhases) {
  for (const double rho : {0.6, 1.0, 1.7}) {
    const double ctmc = mek1k_loss_by_phase_chain(rho, 3, 6);
    EXPECT_NEAR(mg1k_loss_exact(rho, law("erlang:3"), 6) / ctmc, 1.0, 1e-10) << "rho " << rho;
  }
}

TEST(MG1KExact, GivesTheSameAnswerForEquivalentLaws) {
  const double erlang = mg1k_loss_exact(0.9, law("erlang:3"), 12);
  EXPECT_NEAR(mg1k_loss_exact(0.9, law("gamma:0.3333333333333333"), 12), erlang, 1e-13);
  const double exponential = mg1k_loss_exact(0.9, law("exponential"), 12);
  EXPECT_NEAR(mg1k_loss_exact(0.9, law("gamma:1"), 12), exponential, 1e-13);
  EXPECT_NEAR(mg1k_loss_exact(0.9, law("hyperexp:1"), 12), exponential, 1e-13);
  EXPECT_NEAR(mg1k_loss_exact(0.9, law("erlang:1"), 12), exponential, 1e-13);
  // A lognormal law with almost no spread behaves like the deterministic one.
  EXPECT_NEAR(mg1k_loss_exact(0.9, law("lognormal:1e-6"), 12), mg1k_loss_exact(0.9, law("deterministic"), 12),
              1e-6);
}

TEST(MG1KExact, WithRoomForOneIsInsensitiveToTheLaw) {
  // M/G/1/1 is Erlang's loss system: loss = ρ/(1 + ρ) for any service law.
  for (const char* text : {"deterministic", "erlang:4", "hyperexp:9", "lognormal:3", "gamma:0.1"})
    EXPECT_NEAR(mg1k_loss_exact(0.7, law(text), 1), 0.7 / 1.7, 1e-9) << text;
}

TEST(MG1KExact, GrowsWithTheServiceVariability) {
  double previous = 0.0;
  for (const char* text : {"deterministic", "erlang:4", "exponential", "hyperexp:4", "hyperexp:16"}) {
    const double loss = mg1k_loss_exact(0.85, law(text), 8);
    EXPECT_GT(loss, previous) << text;
    previous = loss;
  }
}

TEST(MG1KExact, TendsToOneMinusOneOverRhoInOverload) {
  EXPECT_NEAR(mg1k_loss_exact(3.0, law("deterministic"), 60), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(mg1k_loss_exact(250.0, law("deterministic"), 40), 1.0 - 1.0 / 250.0, 1e-12);
  EXPECT_THROW(mg1k_loss_exact(800.0, law("deterministic"), 40), std::domain_error);
}

TEST(MG1KExact, SatisfiesTheUtilisationIdentity) {
  ServiceLaw service = law("hyperexp:3");
  service.mean = 0.2;
  const FiniteQueueMetrics m = mg1k(4.0, service, 5);  // ρ = 0.8
  EXPECT_NEAR(m.utilization, m.throughput * 0.2, 1e-13);
  EXPECT_NEAR(m.mean_response * m.throughput, m.mean_in_system, 1e-13);
  EXPECT_GT(m.mean_response, 0.2);
  const std::vector<double> p = mg1k_distribution(4.0, service, 5);
  EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-14);
}

TEST(MG1KExact, RejectsBadArguments) {
  EXPECT_THROW(mg1k_loss_exact(0.5, law("exponential"), 0), std::invalid_argument);
  EXPECT_THROW(mg1k_loss_exact(-0.5, law("exponential"), 3), std::invalid_argument);
  ServiceLaw broken = law("erlang:2");
  broken.erlang_k = 0;
  EXPECT_THROW(mg1k_loss_exact(0.5, broken, 3), std::invalid_argument);
  EXPECT_EQ(mg1k_loss_exact(0.0, law("deterministic"), 3), 0.0);
}

// ---- MacGregor Smith approximation ---------------------------------------------------------------

TEST(MG1KApproximation, IsExactMM1KAtUnitVariability) {
  for (const double rho : {0.2, 0.7, 0.999999, 1.0, 1.000001, 1.6, 5.0})
    for (const int k : {1, 4, 15, 200}) {
      const auto approximation = mg1k_loss_approximation(rho, 1.0, k);
      ASSERT_TRUE(approximation.has_value());
      EXPECT_NEAR(*approximation / mm1k(rho, 1.0, k).loss_probability, 1.0, 1e-9)
          << "rho " << rho << " K " << k;
    }
}

TEST(MG1KApproximation, RefusesOutsideItsDomain) {
  // 2 + √ρ(s² − 1) ≤ 0: with s² = 0 that is ρ ≥ 4.
  EXPECT_FALSE(mg1k_loss_approximation(9.0, 0.0, 5).has_value());
  EXPECT_FALSE(mg1k_loss_approximation(4.0, 0.0, 5).has_value());
  EXPECT_TRUE(mg1k_loss_approximation(3.9, 0.0, 5).has_value());
  EXPECT_TRUE(mg1k_loss_approximation(100.0, 2.0, 5).has_value());
}

TEST(MG1KApproximation, StaysCloseToTheExactLossForModerateVariability) {
  // MacGregor Smith reports errors of a few tens of percent at worst for K ≥ 5; check 30 %.
  for (const char* text : {"deterministic", "erlang:2", "hyperexp:2", "hyperexp:4"}) {
    const ServiceLaw service = law(text);
    const double exact = mg1k_loss_exact(0.8, service, 10);
    const double approximation = *mg1k_loss_approximation(0.8, service.squared_cv(), 10);
    EXPECT_NEAR(approximation / exact, 1.0, 0.3) << text;
  }
}

TEST(MG1KApproximation, IsContinuousThroughFullLoad) {
  const double at_one = *mg1k_loss_approximation(1.0, 0.5, 10);
  EXPECT_NEAR(*mg1k_loss_approximation(1.0 - 1e-9, 0.5, 10), at_one, 1e-8);
  EXPECT_NEAR(*mg1k_loss_approximation(1.0 + 1e-9, 0.5, 10), at_one, 1e-8);
  EXPECT_EQ(*mg1k_loss_approximation(0.0, 0.5, 10), 0.0);
  EXPECT_THROW(mg1k_loss_approximation(0.5, 1.0, 0), std::invalid_argument);
  EXPECT_THROW(mg1k_loss_approximation(-0.5, 1.0, 3), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::analytic
