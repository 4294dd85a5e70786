#include "policies/early_exit/queueing_lp.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <Eigen/Dense>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "models/analytic/finite_queues.hpp"

namespace continuum::early_exit {
namespace {

double second_moment(const Gate& g) {
  return g.mean_time * g.mean_time + g.variance;
}

// Independent check of the LP: its optimum is attained at a basic feasible solution. With three rows (two
// equalities and the moment inequality) a basis holds three variables, so a vertex has one, two (moment row
// slack or tight) or three (moment row tight) non-zero p_e. Enumerate them all and keep the best objective.
std::optional<double> best_vertex(const std::vector<Gate>& gates, double m, double scv) {
  const double bound = (1.0 + scv) * m * m;
  const double slack = 1e-9 * bound;
  std::optional<double> best;
  const auto offer = [&](double accuracy) { best = best ? std::max(*best, accuracy) : accuracy; };
  const std::size_t n = gates.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (std::abs(gates[i].mean_time - m) <= 1e-12 * m && second_moment(gates[i]) <= bound + slack)
      offer(gates[i].accuracy);
    for (std::size_t j = i + 1; j < n; ++j) {
      const double ti = gates[i].mean_time;
      const double tj = gates[j].mean_time;
      if (ti == tj) continue;
      const double pj = (m - ti) / (tj - ti);
      if (pj < 0.0 || pj > 1.0) continue;
      if ((1.0 - pj) * second_moment(gates[i]) + pj * second_moment(gates[j]) > bound + slack) continue;
      offer((1.0 - pj) * gates[i].accuracy + pj * gates[j].accuracy);
    }
  }
  // Three gates with the moment row tight: the 3 × 3 system of the three rows as equalities.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      for (std::size_t k = j + 1; k < n; ++k) {
        Eigen::Matrix3d a;
        a << 1.0, 1.0, 1.0, gates[i].mean_time, gates[j].mean_time, gates[k].mean_time,
            second_moment(gates[i]), second_moment(gates[j]), second_moment(gates[k]);
        const Eigen::FullPivLU<Eigen::Matrix3d> lu(a);
        if (lu.rank() < 3) continue;
        const Eigen::Vector3d p = lu.solve(Eigen::Vector3d(1.0, m, bound));
        if (p.minCoeff() < -1e-10) continue;
        offer(p[0] * gates[i].accuracy + p[1] * gates[j].accuracy + p[2] * gates[k].accuracy);
      }
  return best;
}

std::vector<Gate> random_gates(boost::random::mt19937& rng) {
  boost::random::uniform_int_distribution<int> count(2, 6);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Gate> gates;
  double t = 0.005 + 0.01 * unit(rng);
  const int n = count(rng);
  for (int e = 0; e < n; ++e) {
    const double cv = 1.5 * unit(rng);
    gates.push_back({t, cv * cv * t * t, unit(rng)});
    t += 0.02 * unit(rng);
  }
  return gates;
}

void expect_feasible_mixture(const std::vector<Gate>& gates, const std::vector<double>& p, double m,
                             double scv) {
  ASSERT_EQ(p.size(), gates.size());
  double sum = 0.0;
  double mean = 0.0;
  double second = 0.0;
  for (std::size_t e = 0; e < gates.size(); ++e) {
    EXPECT_GE(p[e], 0.0);
    sum += p[e];
    mean += p[e] * gates[e].mean_time;
    second += p[e] * second_moment(gates[e]);
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_NEAR(mean, m, 1e-9 * m);
  EXPECT_LE(second, (1.0 + scv) * m * m * (1.0 + 1e-9));
}

TEST(LargestScvWithinLoss, RecoversScvOneWhenTheTargetIsTheExactMM1KLoss) {
  // The approximation is exact M/M/1/K at s² = 1, and it grows with s², so the answer must be s² = 1.
  const double exact = analytic::mm1k(0.8, 1.0, 5).loss_probability;
  const std::optional<double> scv = largest_scv_within_loss(0.8, 5, exact, 10.0);
  ASSERT_TRUE(scv.has_value());
  EXPECT_NEAR(*scv, 1.0, 1e-6);
}

TEST(LargestScvWithinLoss, ReturnsTheLargestScvMeetingTheTarget) {
  const double rho = 0.9;
  const int capacity = 8;
  const double target = 0.05;
  const std::optional<double> scv = largest_scv_within_loss(rho, capacity, target, 20.0);
  ASSERT_TRUE(scv.has_value());
  EXPECT_LE(*analytic::mg1k_loss_approximation(rho, *scv, capacity), target);
  EXPECT_GT(*analytic::mg1k_loss_approximation(rho, *scv * (1.0 + 1e-8), capacity), target);
}

TEST(LargestScvWithinLoss, ReturnsTheCapWhenTheTargetHoldsThereAndNothingWhenEvenDeterministicServiceFails) {
  EXPECT_EQ(largest_scv_within_loss(0.1, 10, 0.5, 3.0), 3.0);
  EXPECT_EQ(largest_scv_within_loss(0.0, 1, 0.01, 3.0), 3.0);  // no arrivals, no loss
  // ρ = 2, K = 3: even s² = 0 loses about half of the arrivals.
  EXPECT_FALSE(largest_scv_within_loss(2.0, 3, 0.01, 5.0).has_value());
  // K = 1: the loss ρ/(1 + ρ) does not depend on s².
  EXPECT_EQ(largest_scv_within_loss(1.0, 1, 0.51, 4.0), 4.0);
  EXPECT_FALSE(largest_scv_within_loss(1.0, 1, 0.49, 4.0).has_value());
}

TEST(LargestScvWithinLoss, ApproachesTheDomainBoundaryAboveLoadFour) {
  // ρ = 9: admissible s² > 1 − 2/3, where the loss tends to 1 − 1/9 ≈ 0.889.
  const std::optional<double> scv = largest_scv_within_loss(9.0, 10, 0.9, 5.0);
  ASSERT_TRUE(scv.has_value());
  EXPECT_GT(*scv, 1.0 / 3.0);
  EXPECT_LE(*analytic::mg1k_loss_approximation(9.0, *scv, 10), 0.9);
  EXPECT_FALSE(largest_scv_within_loss(9.0, 10, 0.88, 5.0).has_value());
}

TEST(SolveMixtureLp, MatchesTheBestVertexOnThreeHundredRandomInstances) {
  boost::random::mt19937 rng(19381u);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  int feasible = 0;
  for (int instance = 0; instance < 300; ++instance) {
    const std::vector<Gate> gates = random_gates(rng);
    const double m = gates.front().mean_time + (gates.back().mean_time - gates.front().mean_time) * unit(rng);
    const double scv = 1.5 * unit(rng);
    const std::optional<std::vector<double>> p = solve_mixture_lp(gates, m, scv);
    const std::optional<double> expected = best_vertex(gates, m, scv);
    ASSERT_EQ(p.has_value(), expected.has_value()) << "instance " << instance;
    if (!p) continue;
    ++feasible;
    expect_feasible_mixture(gates, *p, m, scv);
    double accuracy = 0.0;
    for (std::size_t e = 0; e < gates.size(); ++e) accuracy += (*p)[e] * gates[e].accuracy;
    EXPECT_NEAR(accuracy, *expected, 1e-9) << "instance " << instance;
  }
  EXPECT_GT(feasible, 100);  // both outcomes are exercised
  EXPECT_LT(feasible, 300);
}

TEST(SolveMixtureLp, MixesTwoDeterministicGatesToHitTheMean) {
  // Σ p = 1, p_0·1 + p_1·3 = 2 → p = (1/2, 1/2); second moment 5 ≤ (1 + s²)·4 needs s² ≥ 1/4.
  const std::vector<Gate> gates{{1.0, 0.0, 0.5}, {3.0, 0.0, 0.9}};
  const std::optional<std::vector<double>> p = solve_mixture_lp(gates, 2.0, 0.25 + 1e-12);
  ASSERT_TRUE(p.has_value());
  EXPECT_NEAR((*p)[0], 0.5, 1e-12);
  EXPECT_NEAR((*p)[1], 0.5, 1e-12);
  EXPECT_FALSE(solve_mixture_lp(gates, 2.0, 0.24).has_value());
}

TEST(CandidateMeans, CoverTheGridEndsAndEveryGateTime) {
  const std::vector<Gate> gates{{0.01, 0.0, 0.5}, {0.017, 0.0, 0.7}, {0.03, 0.0, 0.9}};
  const std::vector<double> m = candidate_means(gates, 3);
  const std::vector<double> expected{0.01, 0.017, 0.02, 0.03};
  ASSERT_EQ(m.size(), expected.size());
  for (std::size_t i = 0; i < m.size(); ++i) EXPECT_NEAR(m[i], expected[i], 1e-15);
  // A gate time equal to a grid point up to rounding is not a second candidate.
  EXPECT_EQ(
      candidate_means(std::vector<Gate>{{0.01, 0.0, 0.5}, {0.02, 0.0, 0.7}, {0.03, 0.0, 0.9}}, 3).size(), 3u);
}

TEST(SolveGateMixture, EqualsTheBestVertexOverAllCandidateMeans) {
  boost::random::mt19937 rng(2024u);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  boost::random::uniform_int_distribution<int> capacity_draw(2, 12);
  int feasible = 0;
  for (int instance = 0; instance < 40; ++instance) {
    const std::vector<Gate> gates = random_gates(rng);
    const double mid = 0.5 * (gates.front().mean_time + gates.back().mean_time);
    const double rate = (0.3 + 1.2 * unit(rng)) / mid;  // ρ around 1 at the middle of the range
    const int capacity = capacity_draw(rng);
    const double epsilon = 0.005 + 0.1 * unit(rng);
    const int grid = 12;
    const MixtureSolution solution = solve_gate_mixture(gates, rate, capacity, epsilon, grid);

    double largest_second = 0.0;
    for (const Gate& g : gates) largest_second = std::max(largest_second, second_moment(g));
    std::optional<double> expected;
    for (const double m : candidate_means(gates, grid)) {
      const std::optional<double> scv =
          largest_scv_within_loss(rate * m, capacity, epsilon, std::max(0.0, largest_second / (m * m) - 1.0));
      if (!scv) continue;
      if (const std::optional<double> v = best_vertex(gates, m, *scv))
        expected = expected ? std::max(*expected, *v) : *v;
    }
    ASSERT_EQ(solution.feasible, expected.has_value()) << "instance " << instance;
    if (!solution.feasible) {
      EXPECT_EQ(solution.probabilities[0], 1.0);
      continue;
    }
    ++feasible;
    EXPECT_NEAR(solution.accuracy, *expected, 1e-9) << "instance " << instance;
    expect_feasible_mixture(gates, solution.probabilities, solution.mean_service, solution.scv_bound);
    EXPECT_LE(solution.scv, solution.scv_bound * (1.0 + 1e-9) + 1e-12);
    ASSERT_TRUE(solution.predicted_loss.has_value());
    EXPECT_LE(*solution.predicted_loss, epsilon * (1.0 + 1e-6)) << "instance " << instance;
  }
  EXPECT_GT(feasible, 10);
  EXPECT_LT(feasible, 40);
}

TEST(SolveGateMixture, UsesTheMostAccurateGateAloneUnderLightLoad) {
  const std::vector<Gate> gates{{0.01, 1e-6, 0.6}, {0.02, 1e-6, 0.95}, {0.03, 1e-6, 0.9}};
  const MixtureSolution s = solve_gate_mixture(gates, 0.01, 5, 0.01, 10);
  ASSERT_TRUE(s.feasible);
  EXPECT_NEAR(s.probabilities[1], 1.0, 1e-12);
  EXPECT_NEAR(s.accuracy, 0.95, 1e-12);
  EXPECT_NEAR(s.mean_service, 0.02, 1e-15);
}

TEST(SolveGateMixture, IsInfeasibleUnderOverloadAndFallsBackToGateZero) {
  const std::vector<Gate> gates{{0.01, 0.0, 0.6}, {0.02, 0.0, 0.9}};
  // ρ ≥ 2 at every candidate mean: the loss stays near 1 − 1/ρ ≥ 0.5.
  const MixtureSolution s = solve_gate_mixture(gates, 200.0, 10, 0.01, 10);
  EXPECT_FALSE(s.feasible);
  EXPECT_EQ(s.probabilities, (std::vector<double>{1.0, 0.0}));
  EXPECT_DOUBLE_EQ(s.mean_service, 0.01);
  EXPECT_DOUBLE_EQ(s.accuracy, 0.6);
}

TEST(SolveGateMixture, RejectsBadArguments) {
  const std::vector<Gate> gates{{0.01, 0.0, 0.6}, {0.02, 0.0, 0.9}};
  EXPECT_THROW(solve_gate_mixture(gates, -1.0, 5, 0.01, 10), std::invalid_argument);
  EXPECT_THROW(solve_gate_mixture(gates, 1.0, 0, 0.01, 10), std::invalid_argument);
  EXPECT_THROW(solve_gate_mixture(gates, 1.0, 5, 0.0, 10), std::invalid_argument);
  EXPECT_THROW(solve_gate_mixture(gates, 1.0, 5, 0.01, 1), std::invalid_argument);
  EXPECT_THROW(solve_mixture_lp(gates, 0.0, 1.0), std::invalid_argument);
}

TEST(QueueingLpExitPolicy, DrawsGatesWithTheMixtureProbabilities) {
  const std::vector<Gate> gates{{0.01, 1e-5, 0.55}, {0.02, 4e-5, 0.8}, {0.04, 1e-4, 0.92}};
  QueueingLpExitPolicy policy(gates, 9, 0.02, 25);
  const double rate = 40.0;  // ρ between 0.4 and 1.6 over the gates: a genuine mixture
  policy.choose_gate(rate, 0.5);
  const MixtureSolution& mixture = policy.mixture();
  ASSERT_TRUE(mixture.feasible);
  int positive = 0;
  for (double p : mixture.probabilities) positive += p > 1e-9 ? 1 : 0;
  EXPECT_GE(positive, 2);
  const int draws = 10000;
  std::vector<int> hits(gates.size(), 0);
  for (int i = 0; i < draws; ++i)
    ++hits[static_cast<std::size_t>(policy.choose_gate(rate, (i + 0.5) / draws))];
  for (std::size_t e = 0; e < gates.size(); ++e)
    EXPECT_NEAR(static_cast<double>(hits[e]) / draws, mixture.probabilities[e], 1.0 / draws + 1e-12);
  EXPECT_EQ(policy.solve_count(), 1);
}

TEST(QueueingLpExitPolicy, SolvesAgainOnlyWhenTheRateMovesBeyondTheThreshold) {
  QueueingLpExitPolicy policy({{0.01, 0.0, 0.6}, {0.02, 0.0, 0.9}}, 5, 0.01, 10, 0.1);
  policy.choose_gate(10.0, 0.3);
  policy.choose_gate(10.9, 0.3);
  policy.choose_gate(9.1, 0.3);
  EXPECT_EQ(policy.solve_count(), 1);
  EXPECT_DOUBLE_EQ(policy.solved_rate(), 10.0);
  policy.choose_gate(11.5, 0.3);
  EXPECT_EQ(policy.solve_count(), 2);
  EXPECT_DOUBLE_EQ(policy.solved_rate(), 11.5);
}

TEST(QueueingLpExitPolicy, UsesGateZeroWhenNoMixtureMeetsTheLossTarget) {
  QueueingLpExitPolicy policy({{0.01, 0.0, 0.6}, {0.02, 0.0, 0.9}}, 5, 0.01);
  for (double u : {0.0, 0.5, 0.999}) EXPECT_EQ(policy.choose_gate(500.0, u), 0);
  EXPECT_FALSE(policy.mixture().feasible);
  EXPECT_EQ(policy.choose_gate(std::numeric_limits<double>::infinity(), 0.9), 0);
  EXPECT_THROW(policy.choose_gate(-1.0, 0.5), std::invalid_argument);
  EXPECT_THROW(QueueingLpExitPolicy({{0.01, 0.0, 0.6}}, -1, 0.01), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::early_exit
