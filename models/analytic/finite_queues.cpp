#include "models/analytic/finite_queues.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <system_error>

#include "models/analytic/detail/number_text.hpp"

namespace continuum::analytic {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

void check_arrival_rate(double arrival_rate, const char* model) {
  if (!(arrival_rate >= 0.0) || !std::isfinite(arrival_rate))
    throw std::invalid_argument(std::string(model) + ": arrival rate must be a finite number >= 0, got " +
                                detail::number_text(arrival_rate));
}

void check_capacity(int capacity, const char* model) {
  if (capacity < 1)
    throw std::invalid_argument(std::string(model) +
                                ": capacity K (queue + the one in service) must be >= 1, got " +
                                std::to_string(capacity));
}

// Metrics of a single-server loss system from its time-average distribution p_0..p_K.
FiniteQueueMetrics metrics_from_distribution(double arrival_rate, double mean_service,
                                             const std::vector<double>& p) {
  const double loss = p.back();
  double in_system = 0.0;
  double busy = 0.0;  // Σ_{n≥1} p_n rather than 1 − p_0, which cancels at light load
  for (std::size_t n = 1; n < p.size(); ++n) {
    in_system += static_cast<double>(n) * p[n];
    busy += p[n];
  }
  const double throughput = arrival_rate * (1.0 - loss);
  // With no traffic a (hypothetical) request finds the server idle: R = E[S].
  const double response = throughput > 0.0 ? in_system / throughput : mean_service;
  return {loss, throughput, in_system, response, busy};
}

// ---- number of arrivals during one service -------------------------------------------------------

// E[g(S)] for a lognormal S = exp(mu + sigma·Z), Z standard normal. The integral over z is split at
// the normal's mode and at `feature_z`, where g changes fastest, so that adaptive Gauss–Kronrod
// cannot step over a narrow bump far in the tail.
template <class G>
double lognormal_expectation(const G& g, double mu, double sigma, double feature_z) {
  const auto integrand = [&](double z) {
    const double density = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
    if (density == 0.0) return 0.0;
    return density * g(std::exp(mu + sigma * z));
  };
  using Rule = boost::math::quadrature::gauss_kronrod<double, 31>;
  constexpr unsigned max_depth = 12;
  constexpr double tolerance = 1e-12;
  std::array<double, 2> cuts{0.0, std::clamp(feature_z, -40.0, 40.0)};
  std::sort(cuts.begin(), cuts.end());
  double total = Rule::integrate(integrand, -infinity, cuts[0], max_depth, tolerance);
  if (cuts[1] > cuts[0]) total += Rule::integrate(integrand, cuts[0], cuts[1], max_depth, tolerance);
  total += Rule::integrate(integrand, cuts[1], infinity, max_depth, tolerance);
  return std::clamp(total, 0.0, 1.0);
}

// P(N = 0) and P(N ≥ k), N = Poisson(λ) arrivals during one service, with the tail computed on
// demand (the exact M/G/1/K solver may need a few beyond K) and cached.
class ArrivalCounter {
 public:
  ArrivalCounter(double arrival_rate, const ServiceLaw& service)
      : rate_(arrival_rate), service_(service), load_(arrival_rate * service.mean) {
    using Kind = ServiceLaw::Kind;
    switch (service_.kind) {
      case Kind::exponential:
        none_ = 1.0 / (1.0 + load_);
        break;
      case Kind::deterministic:
        none_ = std::exp(-load_);
        break;
      case Kind::erlang:
      case Kind::gamma:
        shape_ = service_.kind == Kind::erlang ? static_cast<double>(service_.erlang_k) : 1.0 / service_.scv;
        none_ = std::exp(-shape_ * std::log1p(load_ / shape_));
        break;
      case Kind::hyperexponential: {
        const double spread = std::sqrt((service_.scv - 1.0) / (service_.scv + 1.0));
        probability_ = {0.5 * (1.0 + spread), 0.5 * (1.0 - spread)};
        none_ = 0.0;
        for (std::size_t i = 0; i < 2; ++i) {
          const double phase_rate =
              2.0 * probability_[i] / service_.mean;  // balanced means: p_i/μ_i = E[S]/2
          none_ += probability_[i] * phase_rate / (phase_rate + rate_);
          ratio_[i] = rate_ / (phase_rate + rate_);
        }
        break;
      }
      case Kind::lognormal:
        sigma_ = std::sqrt(std::log1p(service_.scv));
        mu_ = std::log(service_.mean) - 0.5 * sigma_ * sigma_;
        // e^{−λs} changes fastest where λs = 1.
        none_ = lognormal_expectation([this](double s) { return std::exp(-rate_ * s); }, mu_, sigma_,
                                      (-std::log(rate_) - mu_) / sigma_);
        break;
    }
    at_least_.push_back(1.0);
  }

  double none() const { return none_; }

  double at_least(std::size_t k) {
    while (at_least_.size() <= k) {
      // P(N ≥ k) falls with k; once below 1e-250 the rest is taken as 0 (so a loss that small is
      // reported as 0), which spares the quadrature from chasing rounding noise near underflow.
      at_least_.push_back(at_least_.back() < 1e-250 ? 0.0 : compute(at_least_.size()));
    }
    return at_least_[k];
  }

 private:
  double compute(std::size_t count) const {
    const double k = static_cast<double>(count);
    using Kind = ServiceLaw::Kind;
    switch (service_.kind) {
      case Kind::exponential:  // geometric: P(N ≥ k) = (ρ/(1+ρ))^k
        return std::exp(k * std::log(load_ / (1.0 + load_)));
      case Kind::deterministic:  // Poisson(ρ): P(N ≥ k) = P(k, ρ), the regularised lower gamma
        return boost::math::gamma_p(k, load_);
      case Kind::erlang:
      case Kind::gamma:  // negative binomial (Poisson–gamma mixture): P(N ≥ k) = I_x(k, r), x = ρ/(ρ + r)
        return boost::math::ibeta(k, shape_, load_ / (load_ + shape_));
      case Kind::hyperexponential:
        return probability_[0] * std::pow(ratio_[0], k) + probability_[1] * std::pow(ratio_[1], k);
      case Kind::lognormal: {
        const double rate = rate_;
        return lognormal_expectation([rate, k](double s) { return boost::math::gamma_p(k, rate * s); }, mu_,
                                     sigma_, (std::log(k / rate_) - mu_) / sigma_);
      }
    }
    return 0.0;  // unreachable: every kind is handled above
  }

  double rate_;
  ServiceLaw service_;
  double load_;
  double none_ = 1.0;
  double shape_ = 1.0;                           // Erlang / gamma
  std::array<double, 2> probability_{1.0, 0.0};  // H2 branch probabilities
  std::array<double, 2> ratio_{0.0, 0.0};        // H2 per-branch λ/(λ + μ_i)
  double mu_ = 0.0, sigma_ = 1.0;                // lognormal
  std::vector<double> at_least_;
};

// ---- parsing helpers -----------------------------------------------------------------------------

constexpr const char* accepted_laws =
    "exponential, deterministic, erlang:K (integer K >= 1), hyperexp:SCV (SCV >= 1), lognormal:SCV (SCV > "
    "0), "
    "gamma:SCV (SCV > 0)";

[[noreturn]] void bad_law(std::string_view text, const std::string& why) {
  throw std::invalid_argument("invalid service law \"" + std::string(text) + "\": " + why +
                              "; expected one of " + accepted_laws);
}

template <class Number>
Number parse_parameter(std::string_view text, std::string_view parameter) {
  Number value{};
  const char* end = parameter.data() + parameter.size();
  const auto [stop, error] = std::from_chars(parameter.data(), end, value);
  if (parameter.empty() || error != std::errc{} || stop != end)
    bad_law(text, "\"" + std::string(parameter) + "\" is not a number");
  return value;
}

}  // namespace

// ---- M/M/1/K -------------------------------------------------------------------------------------

std::vector<double> mm1k_distribution(double arrival_rate, double mean_service, int capacity) {
  check_arrival_rate(arrival_rate, "mm1k");
  if (!(mean_service > 0.0) || !std::isfinite(mean_service))
    throw std::invalid_argument("mm1k: mean service time must be a finite number > 0, got " +
                                detail::number_text(mean_service));
  check_capacity(capacity, "mm1k");
  std::vector<double> p(static_cast<std::size_t>(capacity) + 1, 0.0);
  if (arrival_rate == 0.0) {
    p[0] = 1.0;
    return p;
  }
  // p_n ∝ ρ^n; scale by the largest term (ρ^0 or ρ^K) so nothing overflows.
  const double log_rho = std::log(arrival_rate * mean_service);
  const double top = log_rho > 0.0 ? static_cast<double>(capacity) * log_rho : 0.0;
  double total = 0.0;
  for (std::size_t n = 0; n < p.size(); ++n) {
    p[n] = std::exp(static_cast<double>(n) * log_rho - top);
    total += p[n];
  }
  for (double& value : p) value /= total;
  return p;
}

FiniteQueueMetrics mm1k(double arrival_rate, double mean_service, int capacity) {
  return metrics_from_distribution(arrival_rate, mean_service,
                                   mm1k_distribution(arrival_rate, mean_service, capacity));
}

// ---- service laws --------------------------------------------------------------------------------

double ServiceLaw::squared_cv() const {
  switch (kind) {
    case Kind::exponential:
      return 1.0;
    case Kind::deterministic:
      return 0.0;
    case Kind::erlang:
      return 1.0 / static_cast<double>(erlang_k);
    case Kind::hyperexponential:
    case Kind::lognormal:
    case Kind::gamma:
      return scv;
  }
  return scv;  // unreachable
}

double ServiceLaw::second_moment() const {
  return (1.0 + squared_cv()) * mean * mean;
}

std::string ServiceLaw::to_string() const {
  switch (kind) {
    case Kind::exponential:
      return "exponential";
    case Kind::deterministic:
      return "deterministic";
    case Kind::erlang:
      return "erlang:" + std::to_string(erlang_k);
    case Kind::hyperexponential:
      return "hyperexp:" + detail::number_text(scv);
    case Kind::lognormal:
      return "lognormal:" + detail::number_text(scv);
    case Kind::gamma:
      return "gamma:" + detail::number_text(scv);
  }
  return "unknown";  // unreachable
}

void ServiceLaw::validate() const {
  if (!(mean > 0.0) || !std::isfinite(mean))
    throw std::invalid_argument("service law: mean must be a finite number > 0, got " +
                                detail::number_text(mean));
  switch (kind) {
    case Kind::exponential:
    case Kind::deterministic:
      return;
    case Kind::erlang:
      if (erlang_k < 1)
        throw std::invalid_argument("service law erlang: number of phases must be >= 1, got " +
                                    std::to_string(erlang_k));
      return;
    case Kind::hyperexponential:
      if (!(scv >= 1.0) || !std::isfinite(scv))
        throw std::invalid_argument("service law hyperexp: SCV must be a finite number >= 1, got " +
                                    detail::number_text(scv));
      return;
    case Kind::lognormal:
    case Kind::gamma:
      if (!(scv > 0.0) || !std::isfinite(scv))
        throw std::invalid_argument(std::string("service law ") +
                                    (kind == Kind::gamma ? "gamma" : "lognormal") +
                                    ": SCV must be a finite number > 0, got " + detail::number_text(scv));
      return;
  }
}

ServiceLaw ServiceLaw::parse(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  const bool has_parameter = colon != std::string_view::npos;
  const std::string_view parameter = has_parameter ? text.substr(colon + 1) : std::string_view{};
  ServiceLaw law;
  if (name == "exponential" || name == "deterministic") {
    if (has_parameter) bad_law(text, "\"" + std::string(name) + "\" takes no parameter");
    law.kind = name == "exponential" ? Kind::exponential : Kind::deterministic;
    return law;
  }
  if (!has_parameter) {
    if (name == "erlang" || name == "hyperexp" || name == "lognormal" || name == "gamma")
      bad_law(text, "\"" + std::string(name) + "\" needs a parameter after a colon");
    bad_law(text, "unknown law");
  }
  if (name == "erlang") {
    law.kind = Kind::erlang;
    law.erlang_k = parse_parameter<int>(text, parameter);
    if (law.erlang_k < 1) bad_law(text, "the number of phases must be an integer >= 1");
    return law;
  }
  if (name == "hyperexp") {
    law.kind = Kind::hyperexponential;
  } else if (name == "lognormal") {
    law.kind = Kind::lognormal;
  } else if (name == "gamma") {
    law.kind = Kind::gamma;
  } else {
    bad_law(text, "unknown law");
  }
  law.scv = parse_parameter<double>(text, parameter);
  if (!std::isfinite(law.scv)) bad_law(text, "SCV must be finite");
  if (law.kind == Kind::hyperexponential && !(law.scv >= 1.0))
    bad_law(text, "a hyperexponential SCV must be >= 1");
  if (law.kind != Kind::hyperexponential && !(law.scv > 0.0)) bad_law(text, "SCV must be > 0");
  return law;
}

ArrivalsDuringService arrivals_during_service(double arrival_rate, const ServiceLaw& service, int max_count) {
  check_arrival_rate(arrival_rate, "arrivals_during_service");
  service.validate();
  if (max_count < 0)
    throw std::invalid_argument("arrivals_during_service: max_count must be >= 0, got " +
                                std::to_string(max_count));
  ArrivalsDuringService result{1.0, std::vector<double>(static_cast<std::size_t>(max_count) + 1, 0.0)};
  result.at_least[0] = 1.0;
  if (arrival_rate == 0.0) return result;
  ArrivalCounter counter(arrival_rate, service);
  result.none = counter.none();
  for (std::size_t k = 1; k < result.at_least.size(); ++k) result.at_least[k] = counter.at_least(k);
  return result;
}

// ---- M/G/1/K -------------------------------------------------------------------------------------

std::vector<double> mg1k_distribution(double arrival_rate, const ServiceLaw& service, int capacity) {
  check_arrival_rate(arrival_rate, "mg1k");
  service.validate();
  check_capacity(capacity, "mg1k");
  const auto states = static_cast<std::size_t>(capacity);  // departure epochs leave 0..K−1 behind
  std::vector<double> p(states + 1, 0.0);
  if (arrival_rate == 0.0) {
    p[0] = 1.0;
    return p;
  }
  const double rho = arrival_rate * service.mean;
  ArrivalCounter counter(arrival_rate, service);
  const double a0 = counter.none();
  if (!(a0 > 1e-200))
    throw std::domain_error("mg1k: offered load " + detail::number_text(rho) + " with service " +
                            service.to_string() +
                            " is beyond the embedded chain's numerical range (P(no arrival in a service) = " +
                            detail::number_text(a0) + ")");

  // Unnormalised stationary vector of the embedded chain, by the cut equations (all terms positive).
  std::vector<double> pi{1.0};
  double sum = 1.0;
  const auto next_state = [&] {
    const std::size_t n = pi.size();
    double inflow = pi[0] * counter.at_least(n);
    for (std::size_t i = 1; i < n; ++i) inflow += pi[i] * counter.at_least(n - i + 1);
    return inflow / a0;
  };
  while (pi.size() < states) {
    pi.push_back(next_state());
    sum += pi.back();
    if (sum > 1e50) {  // overload: π grows geometrically; rescale (early states may underflow, harmlessly)
      for (double& value : pi) value /= sum;
      sum = 1.0;
    }
  }
  const double denominator = pi[0] + rho * sum;
  double numerator = std::max(0.0, pi[0] + (rho - 1.0) * sum);
  if (rho < 1.0 && numerator < 1e-3 * denominator) {
    // The difference above has lost digits; sum the infinite-buffer tail instead,
    // pi[0] + (ρ − 1)·Σ_{j<K} π'_j = (1 − ρ)·Σ_{j≥K} π'_j. Budget: O(n²) work, n ≤ K + 4096.
    double tail = 0.0;
    bool converged = false;
    const std::size_t limit = states + 4096;
    while (pi.size() < limit) {
      const double term = next_state();
      pi.push_back(term);
      tail += term;
      if (pi.size() > states + 8 && term <= 1e-17 * tail) {
        converged = true;
        break;
      }
    }
    if (converged) numerator = (1.0 - rho) * tail;
  }
  for (std::size_t j = 0; j < states; ++j) p[j] = pi[j] / denominator;
  p[states] = numerator / denominator;
  return p;
}

FiniteQueueMetrics mg1k(double arrival_rate, const ServiceLaw& service, int capacity) {
  return metrics_from_distribution(arrival_rate, service.mean,
                                   mg1k_distribution(arrival_rate, service, capacity));
}

double mg1k_loss_exact(double arrival_rate, const ServiceLaw& service, int capacity) {
  return mg1k_distribution(arrival_rate, service, capacity).back();
}

// ---- MacGregor Smith approximation ---------------------------------------------------------------

std::optional<double> mg1k_loss_approximation(double rho, double scv, int capacity) {
  if (!(rho >= 0.0) || !std::isfinite(rho))
    throw std::invalid_argument("mg1k_loss_approximation: rho must be a finite number >= 0, got " +
                                detail::number_text(rho));
  if (!(scv >= 0.0) || !std::isfinite(scv))
    throw std::invalid_argument("mg1k_loss_approximation: SCV must be a finite number >= 0, got " +
                                detail::number_text(scv));
  check_capacity(capacity, "mg1k_loss_approximation");
  const double shift = std::sqrt(rho) * (scv - 1.0);
  const double divisor = 2.0 + shift;
  if (divisor <= 0.0) return std::nullopt;
  if (rho == 0.0) return 0.0;
  const double k_star = (shift + 2.0 * static_cast<double>(capacity)) / divisor;
  // (1 − ρ)ρ^K* / (1 − ρ^(K*+1)) through expm1, so that ρ → 1 and large K* stay accurate.
  const double x = std::log(rho);
  if (x == 0.0) return 1.0 / (k_star + 1.0);
  if (x < 0.0) return std::expm1(x) * std::exp(k_star * x) / std::expm1((k_star + 1.0) * x);
  return std::expm1(-x) / std::expm1(-(k_star + 1.0) * x);  // numerator and denominator over ρ^(K*+1)
}

}  // namespace continuum::analytic
