#include "policies/early_exit/queueing_lp.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "models/analytic/finite_queues.hpp"

namespace continuum::early_exit {
namespace {

struct GlpDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};
using GlpProblem = std::unique_ptr<glp_prob, GlpDeleter>;

// GLPK keeps an environment per thread (made on first use) that only glp_free_env releases; sweep
// and regress workers are threads, so each frees its own when it ends (LeakSanitizer found it).
struct GlpkThreadEnvironment {
  ~GlpkThreadEnvironment() { glp_free_env(); }
};

double second_moment(const Gate& g) {
  return g.mean_time * g.mean_time + g.variance;
}

void check_rate_and_target(double rate, int capacity, double loss_target, const char* who,
                           const char* rate_name = "rate") {
  if (!std::isfinite(rate) || rate < 0.0)
    throw std::invalid_argument(std::string(who) + ": " + rate_name + " must be finite and >= 0");
  if (capacity < 1) throw std::invalid_argument(std::string(who) + ": capacity must be >= 1");
  if (!(loss_target > 0.0 && loss_target < 1.0))
    throw std::invalid_argument(std::string(who) + ": loss target must be in (0, 1)");
}

int draw(const std::vector<double>& probabilities, double uniform01) {
  const double target = std::clamp(uniform01, 0.0, 1.0);
  double cumulative = 0.0;
  int chosen = 0;
  for (std::size_t e = 0; e < probabilities.size(); ++e) {
    if (probabilities[e] <= 0.0) continue;
    chosen = static_cast<int>(e);
    cumulative += probabilities[e];
    if (target < cumulative) break;
  }
  return chosen;  // the last gate with mass absorbs rounding in Σ p_e
}

}  // namespace

std::optional<double> largest_scv_within_loss(double rho, int capacity, double loss_target, double scv_cap) {
  check_rate_and_target(rho, capacity, loss_target, "largest_scv_within_loss", "rho");
  if (!std::isfinite(scv_cap) || scv_cap < 0.0)
    throw std::invalid_argument("largest_scv_within_loss: scv_cap must be finite and >= 0");
  const auto meets = [&](double scv) {
    const std::optional<double> loss = analytic::mg1k_loss_approximation(rho, scv, capacity);
    return loss.has_value() && *loss <= loss_target;
  };
  if (meets(scv_cap)) return scv_cap;

  // Smallest admissible SCV: 0, or just above 1 − 2/√ρ where the approximation's domain starts (ρ > 4).
  const double lowest = std::max(0.0, 1.0 - 2.0 / std::sqrt(rho));
  if (lowest > scv_cap) return std::nullopt;
  double good = 0.0;
  if (const std::optional<double> loss = analytic::mg1k_loss_approximation(rho, lowest, capacity)) {
    if (*loss > loss_target) return std::nullopt;
    good = lowest;
  } else {
    // On the boundary K* → ∞ and the loss falls towards its infimum 1 − 1/ρ; approach it geometrically.
    if (1.0 - 1.0 / rho >= loss_target) return std::nullopt;
    bool found = false;
    for (int j = 1; j <= 200 && !found; ++j) {
      const double scv = lowest + std::ldexp(scv_cap - lowest, -j);
      if (scv <= lowest) break;
      if (meets(scv)) {
        good = scv;
        found = true;
      }
    }
    if (!found) return std::nullopt;
  }
  double bad = scv_cap;  // the loss is non-decreasing in s², so the answer lies in [good, bad)
  for (int iteration = 0; iteration < 200 && bad - good > 1e-12 * (1.0 + good); ++iteration) {
    const double mid = 0.5 * (good + bad);
    (meets(mid) ? good : bad) = mid;
  }
  return good;
}

std::optional<std::vector<double>> solve_mixture_lp(std::span<const Gate> gates, double mean_service,
                                                    double scv_bound) {
  validate_gates(gates, "solve_mixture_lp");
  if (!std::isfinite(mean_service) || mean_service <= 0.0)
    throw std::invalid_argument("solve_mixture_lp: mean_service must be finite and > 0 s");
  if (!std::isfinite(scv_bound) || scv_bound < 0.0)
    throw std::invalid_argument("solve_mixture_lp: scv_bound must be finite and >= 0");

  const int n = static_cast<int>(gates.size());
  thread_local GlpkThreadEnvironment glpk_environment;  // declared before lp: freed after it
  GlpProblem lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MAX);
  glp_add_rows(lp.get(), 3);
  glp_set_row_bnds(lp.get(), 1, GLP_FX, 1.0, 1.0);              // Σ p_e = 1
  glp_set_row_bnds(lp.get(), 2, GLP_FX, 1.0, 1.0);              // Σ p_e t_e/m = 1
  glp_set_row_bnds(lp.get(), 3, GLP_UP, 0.0, 1.0 + scv_bound);  // Σ p_e E[S_e²]/m² ≤ 1 + s²
  glp_add_cols(lp.get(), n);
  // GLPK's sparse triplets are 1-based; index 0 is unused.
  std::vector<int> rows(1, 0);
  std::vector<int> cols(1, 0);
  std::vector<double> values(1, 0.0);
  for (int e = 1; e <= n; ++e) {
    const Gate& g = gates[static_cast<std::size_t>(e - 1)];
    glp_set_col_bnds(lp.get(), e, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(lp.get(), e, g.accuracy);
    const double scaled_time = g.mean_time / mean_service;
    const double scaled_second = second_moment(g) / (mean_service * mean_service);
    for (const auto& [row, value] :
         {std::pair{1, 1.0}, std::pair{2, scaled_time}, std::pair{3, scaled_second}}) {
      rows.push_back(row);
      cols.push_back(e);
      values.push_back(value);
    }
  }
  glp_load_matrix(lp.get(), static_cast<int>(values.size()) - 1, rows.data(), cols.data(), values.data());

  glp_smcp parameters;
  glp_init_smcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  const int code = glp_simplex(lp.get(), &parameters);
  if (code != 0)
    throw std::runtime_error("solve_mixture_lp: glp_simplex failed with code " + std::to_string(code));
  const int status = glp_get_status(lp.get());
  if (status == GLP_NOFEAS) return std::nullopt;
  if (status != GLP_OPT)
    throw std::runtime_error("solve_mixture_lp: unexpected GLPK status " + std::to_string(status));

  std::vector<double> probabilities(gates.size());
  for (int e = 1; e <= n; ++e)
    probabilities[static_cast<std::size_t>(e - 1)] = std::max(0.0, glp_get_col_prim(lp.get(), e));
  return probabilities;
}

std::vector<double> candidate_means(std::span<const Gate> gates, int grid_points) {
  validate_gates(gates, "candidate_means");
  if (grid_points < 2) throw std::invalid_argument("candidate_means: grid_points must be >= 2");
  const auto [lo_it, hi_it] = std::minmax_element(
      gates.begin(), gates.end(), [](const Gate& a, const Gate& b) { return a.mean_time < b.mean_time; });
  const double lo = lo_it->mean_time;
  const double hi = hi_it->mean_time;
  std::vector<double> means;
  means.reserve(static_cast<std::size_t>(grid_points) + gates.size());
  for (int i = 0; i + 1 < grid_points; ++i) means.push_back(lo + (hi - lo) * i / (grid_points - 1));
  means.push_back(hi);  // exactly, not lo + (hi − lo), which may round past the deepest gate
  for (const Gate& g : gates) means.push_back(g.mean_time);
  std::sort(means.begin(), means.end());
  // A gate time that is a grid point up to rounding would only cost a second, identical LP.
  const auto same = [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(a, b); };
  means.erase(std::unique(means.begin(), means.end(), same), means.end());
  return means;
}

MixtureSolution solve_gate_mixture(std::span<const Gate> gates, double rate, int capacity,
                                   double loss_target_epsilon, int grid_points) {
  validate_gates(gates, "solve_gate_mixture");
  check_rate_and_target(rate, capacity, loss_target_epsilon, "solve_gate_mixture");
  double largest_second_moment = 0.0;
  for (const Gate& g : gates) largest_second_moment = std::max(largest_second_moment, second_moment(g));

  MixtureSolution best;
  for (const double m : candidate_means(gates, grid_points)) {
    // Above this cap every mixture with mean m satisfies the moment row, so a larger s² changes nothing.
    const double cap = std::max(0.0, largest_second_moment / (m * m) - 1.0);
    const std::optional<double> scv = largest_scv_within_loss(rate * m, capacity, loss_target_epsilon, cap);
    if (!scv) continue;
    std::optional<std::vector<double>> p = solve_mixture_lp(gates, m, *scv);
    if (!p) continue;
    double accuracy = 0.0;
    for (std::size_t e = 0; e < gates.size(); ++e) accuracy += (*p)[e] * gates[e].accuracy;
    if (best.feasible && accuracy <= best.accuracy + 1e-12) continue;  // ties keep the smaller mean
    best.feasible = true;
    best.probabilities = std::move(*p);
    best.accuracy = accuracy;
    best.scv_bound = *scv;
  }

  if (!best.feasible) {
    best.probabilities.assign(gates.size(), 0.0);
    best.probabilities[0] = 1.0;
    best.accuracy = gates[0].accuracy;
    best.scv_bound = 0.0;
  }
  double mean = 0.0;
  double second = 0.0;
  for (std::size_t e = 0; e < gates.size(); ++e) {
    mean += best.probabilities[e] * gates[e].mean_time;
    second += best.probabilities[e] * second_moment(gates[e]);
  }
  best.mean_service = mean;
  best.scv = std::max(0.0, second / (mean * mean) - 1.0);  // clamp rounding below 0
  best.predicted_loss = analytic::mg1k_loss_approximation(rate * mean, best.scv, capacity);
  return best;
}

QueueingLpExitPolicy::QueueingLpExitPolicy(std::vector<Gate> gates, int buffer_capacity, double loss_target,
                                           int grid_points, double relative_threshold)
    : gates_(std::move(gates)),
      capacity_(buffer_capacity + 1),
      loss_target_(loss_target),
      grid_points_(grid_points),
      relative_threshold_(relative_threshold) {
  validate_gates(gates_, "QueueingLpExitPolicy");
  if (buffer_capacity < 0) throw std::invalid_argument("QueueingLpExitPolicy: buffer_capacity must be >= 0");
  check_rate_and_target(0.0, capacity_, loss_target_, "QueueingLpExitPolicy");
  if (grid_points_ < 2) throw std::invalid_argument("QueueingLpExitPolicy: grid_points must be >= 2");
  if (!std::isfinite(relative_threshold_) || relative_threshold_ < 0.0)
    throw std::invalid_argument("QueueingLpExitPolicy: relative_threshold must be finite and >= 0");
}

int QueueingLpExitPolicy::choose_gate(double rate_estimate, double uniform01) {
  if (!(rate_estimate >= 0.0))
    throw std::invalid_argument("QueueingLpExitPolicy: rate_estimate must be >= 0");
  if (std::isinf(rate_estimate)) return 0;  // all recent gaps were 0: no mixture can keep up
  const bool stale =
      solves_ == 0 || std::abs(rate_estimate - solved_rate_) > relative_threshold_ * solved_rate_;
  if (stale) {
    mixture_ = solve_gate_mixture(gates_, rate_estimate, capacity_, loss_target_, grid_points_);
    solved_rate_ = rate_estimate;
    ++solves_;
  }
  return mixture_.feasible ? draw(mixture_.probabilities, uniform01) : 0;
}

}  // namespace continuum::early_exit
