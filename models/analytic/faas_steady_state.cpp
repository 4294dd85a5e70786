#include "models/analytic/faas_steady_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/analytic/detail/number_text.hpp"

namespace continuum::analytic {
namespace {

constexpr double minus_infinity = -std::numeric_limits<double>::infinity();
constexpr double truncation_depth = 60.0;  // nats below the peak of log π where the chain is cut
constexpr int minimum_margin = 50;         // states past the last m with β_m > κ_m

double log_add(double x, double y) {  // ln(e^x + e^y)
  if (x == minus_infinity) return y;
  if (y == minus_infinity) return x;
  const double high = std::max(x, y);
  return high + std::log1p(std::exp(-std::abs(x - y)));
}

// f(x) = (1 − e^{−x})/x − e^{−x}, so that a_m = T'·f(L_m T'). Both terms tend to 1 as x → 0, so
// use the series Σ_{n≥1} (−1)^{n+1} n xⁿ/(n+1)! there.
double mean_gap_factor(double x) {
  if (x < 0.1) {
    double power = x, factorial = 2.0, sum = 0.0;
    for (int n = 1; n <= 12; ++n) {
      const double term = static_cast<double>(n) * power / factorial;
      sum += n % 2 == 1 ? term : -term;
      power *= x;
      factorial *= static_cast<double>(n + 2);
    }
    return sum;
  }
  return -std::expm1(-x) / x - std::exp(-x);
}

// ln(1/lifetime) for an instance that receives `rate` requests per second.
double log_kill_rate(double rate, double keep_alive, double warm_service) {
  const double span = keep_alive + warm_service;                // T'
  const double mean_gap = span * mean_gap_factor(rate * span);  // a_m: mean gap that is not fatal
  const double y = rate * keep_alive;                           // −ln P_m
  // lifetime = θ + (e^y − 1)·a = e^y·(a + (θ − a)e^{−y}); the second form never overflows.
  if (y < 30.0) return -std::log(keep_alive + std::expm1(y) * mean_gap);
  return -(y + std::log(mean_gap + (keep_alive - mean_gap) * std::exp(-y)));
}

void check(const FaasParameters& p) {
  const auto positive = [](double value, const char* what) {
    if (!(value > 0.0) || !std::isfinite(value))
      throw std::invalid_argument(std::string("faas_steady_state: ") + what +
                                  " must be a finite number > 0, got " + detail::number_text(value));
  };
  positive(p.arrival_rate, "arrival rate");
  positive(p.warm_service, "warm service time");
  positive(p.keep_alive, "keep-alive");
  if (!(p.cold_service >= 0.0) || !std::isfinite(p.cold_service))
    throw std::invalid_argument("faas_steady_state: cold service time must be a finite number >= 0, got " +
                                detail::number_text(p.cold_service));
  if (p.max_instances < 1)
    throw std::invalid_argument("faas_steady_state: max_instances must be >= 1, got " +
                                std::to_string(p.max_instances));
}

struct Chain {
  std::vector<double> log_blocking;  // ln B_m
  std::vector<double> probability;   // π_m
};

Chain solve_chain(const FaasParameters& p) {
  check(p);
  const double lambda = p.arrival_rate;
  const double log_lambda = std::log(lambda);
  const double log_load = std::log(lambda * p.warm_service);
  const double log_cold = p.cold_service > 0.0 ? std::log(p.cold_service) : minus_infinity;
  // ln of the up rate β/(1 + βc) out of a state whose cold-start rate is e^{log_beta}.
  const auto log_up_rate = [&](double log_beta) {
    return log_beta - std::log1p(std::exp(log_beta + log_cold));
  };

  Chain chain;
  // log π_m − log π_{m−1} = ln(up_{m−1}) − ln κ_m. The increments of the first states are huge
  // (κ can be e^{−60000}), so the rounding of their running sum would spoil every π; the final
  // values are therefore summed outward from the peak, through increments of modest size.
  std::vector<double> increment{0.0};
  chain.log_blocking.push_back(0.0);  // B_0 = 1
  double log_inverse_blocking = 0.0;  // ln(1/B_m), Erlang-B recursion in log space
  double log_kill = minus_infinity;   // ln κ_m
  double log_pi = 0.0, peak_log_pi = 0.0;
  std::size_t peak = 0;
  int last_growing = 0;  // last m with β_m > κ_m
  for (int m = 1; m <= p.max_instances; ++m) {
    const double term = log_inverse_blocking + std::log(static_cast<double>(m)) - log_load;
    log_inverse_blocking = term > 0.0 ? term + std::log1p(std::exp(-term)) : std::log1p(std::exp(term));
    const double log_b = -log_inverse_blocking;
    const double log_b_previous = chain.log_blocking.back();
    // L_m = λ·B_{m−1}·(1 − B_m/B_{m−1}); expm1 keeps the difference exact when the ratio is near 1.
    const double log_share = log_lambda + log_b_previous + std::log(-std::expm1(log_b - log_b_previous));
    log_kill = log_add(log_kill, log_kill_rate(std::exp(log_share), p.keep_alive, p.warm_service));
    increment.push_back(log_up_rate(log_lambda + log_b_previous) - log_kill);
    chain.log_blocking.push_back(log_b);
    log_pi += increment.back();
    if (log_pi > peak_log_pi) {
      peak_log_pi = log_pi;
      peak = increment.size() - 1;
    }
    if (log_lambda + log_b > log_kill) last_growing = m;
    if (m >= last_growing + minimum_margin && log_pi < peak_log_pi - truncation_depth) break;
  }
  std::vector<double> relative(increment.size(), 0.0);  // log π_m − log π_peak
  for (std::size_t m = peak + 1; m < increment.size(); ++m) relative[m] = relative[m - 1] + increment[m];
  for (std::size_t m = peak; m-- > 0;) relative[m] = relative[m + 1] - increment[m + 1];
  double total = 0.0;
  chain.probability.reserve(relative.size());
  for (const double value : relative) {
    chain.probability.push_back(std::exp(value));
    total += chain.probability.back();
  }
  for (double& value : chain.probability) value /= total;
  return chain;
}

}  // namespace

std::vector<double> faas_instance_distribution(const FaasParameters& parameters) {
  return solve_chain(parameters).probability;
}

FaasSteadyState faas_steady_state(const FaasParameters& parameters) {
  const Chain chain = solve_chain(parameters);
  const double lambda = parameters.arrival_rate;
  const double warm = parameters.warm_service;
  const double cold = parameters.cold_service;
  // The chain reached the limit only if its last state is max_instances; there arrivals that find
  // every instance busy are rejected instead of starting a new one.
  const std::size_t last = chain.probability.size() - 1;
  const bool capped = last == static_cast<std::size_t>(parameters.max_instances);

  FaasSteadyState result{};
  double response_weighted = 0.0;
  double running = 0.0;
  for (std::size_t m = 0; m <= last; ++m) {
    const double pi = chain.probability[m];
    const double blocking = std::exp(chain.log_blocking[m]);
    const double warm_running = lambda * (1.0 - blocking) * warm;
    result.average_instances += pi * static_cast<double>(m);
    result.average_running_warm += pi * warm_running;
    if (capped && m == last) {
      result.rejection_probability = pi * blocking;
      response_weighted += pi * (1.0 - blocking) * warm;
      running += pi * warm_running;
    } else {
      result.cold_start_probability += pi * blocking;
      response_weighted += pi * (blocking * cold + (1.0 - blocking) * warm);
      running += pi * (warm_running + lambda * blocking * cold);
    }
  }
  result.average_response_time = response_weighted / (1.0 - result.rejection_probability);
  result.utilization =
      result.average_instances > 0.0 ? result.average_running_warm / result.average_instances : 0.0;
  result.average_idle = result.average_instances - result.average_running_warm;
  result.average_running = running;
  return result;
}

}  // namespace continuum::analytic
