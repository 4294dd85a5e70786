#pragma once

#include <optional>
#include <span>
#include <vector>

#include "policies/early_exit/gate.hpp"

namespace continuum::early_exit {

/// Randomised single-exit schedule of the queueing-LP policy: gate e is used with probability p_e.
struct MixtureSolution {
  /// False when no candidate mean meets the loss target; the other fields then describe the gate-0
  /// fallback (p = (1, 0, …), m = t_0, accuracy a_0, scv_bound 0).
  bool feasible = false;
  std::vector<double> probabilities;  ///< p_e ≥ 0, Σ p_e = 1
  double mean_service = 0.0;          ///< s: m = Σ p_e t_e
  double accuracy = 0.0;              ///< Σ p_e a_e
  double scv_bound = 0.0;             ///< the largest service SCV s² allowed at m by the loss target
  double scv = 0.0;  ///< the mixture's own SCV: (Σ p_e (t_e² + σ_e²) − m²) / m² ≤ scv_bound
  /// Approximate M/G/1/K loss of the mixture at the rate it was solved for (≤ ε when feasible); empty
  /// when the two-moment approximation refuses (MODELS.md §4).
  std::optional<double> predicted_loss;
};

/// The largest SCV s² ∈ [0, scv_cap] whose MacGregor Smith M/G/1/K loss approximation at load ρ and
/// capacity K (in service + waiting) is ≤ loss_target; std::nullopt if even the smallest admissible s² loses
/// more. The approximation grows with s² (its K* shrinks; it does not depend on s² at K = 1), so this is a
/// bisection to a relative width of 1e-12; when ρ > 4 the admissible range starts at 1 − 2/√ρ, where the
/// loss tends to 1 − 1/ρ. Returns scv_cap when the target holds there.
std::optional<double> largest_scv_within_loss(double rho, int capacity, double loss_target, double scv_cap);

/// GLPK linear programme of Casale & Roveri for one candidate mean m and SCV bound s²:
///     maximise Σ p_e a_e  s.t.  Σ p_e = 1,  Σ p_e t_e = m,  Σ p_e (t_e² + σ_e²) ≤ (1 + s²) m²,  p ≥ 0.
/// (The mixture's second moment is Σ p_e E[S_e²], so the last row bounds its SCV by s².) Times are scaled
/// by m before GLPK sees them, so its absolute tolerances act on O(1) numbers. An optimal vertex has at most
/// three non-zero p_e. Returns std::nullopt when infeasible; throws std::runtime_error if GLPK fails.
std::optional<std::vector<double>> solve_mixture_lp(std::span<const Gate> gates, double mean_service,
                                                    double scv_bound);

/// Candidate means: grid_points evenly spaced over [min t_e, max t_e] (both ends included) plus every t_e,
/// so that each pure single-gate schedule is also a candidate; sorted, with values equal up to a relative
/// 1e-12 merged.
std::vector<double> candidate_means(std::span<const Gate> gates, int grid_points);

/// Queueing-LP exit schedule (Casale & Roveri; MODELS.md §6). For each candidate mean m
/// (candidate_means): ρ = rate·m, s² = largest_scv_within_loss(ρ, capacity, ε, max_e(t_e² + σ_e²)/m² − 1)
/// (beyond that cap the moment row cannot bind), then solve_mixture_lp(m, s²). The most accurate mixture
/// wins; ties keep the smaller m (less latency). Infeasible at every m → feasible = false.
/// capacity: K of the M/G/1/K model = waiting places + 1. rate ≥ 0 in 1/s; 0 < ε < 1; grid_points ≥ 2.
/// Cost: (G + E) · (≈ 50 loss evaluations + one 3-row LP with E columns).
MixtureSolution solve_gate_mixture(std::span<const Gate> gates, double rate, int capacity,
                                   double loss_target_epsilon, int grid_points);

/// Run-time queueing-LP exit policy. Holds the current mixture and solves it again only when the rate
/// estimate has moved by more than `relative_threshold` (|λ̂ − λ_solved| > threshold · λ_solved) since the
/// last solve, so most job starts cost one inverse-CDF draw (O(E)). Without a feasible mixture every job
/// takes gate 0 (the fastest way to drain the buffer).
class QueueingLpExitPolicy {
 public:
  /// buffer_capacity: waiting places (the model uses K = buffer_capacity + 1); loss_target: ε in (0, 1);
  /// grid_points ≥ 2 (default 50); relative_threshold ≥ 0 (default 0.1 = 10 %).
  QueueingLpExitPolicy(std::vector<Gate> gates, int buffer_capacity, double loss_target, int grid_points = 50,
                       double relative_threshold = 0.1);

  /// rate_estimate: λ̂ in 1/s (≥ 0; +∞, as RateEstimator reports for all-zero gaps, gives gate 0 without
  /// solving); uniform01: a U[0, 1) draw from the caller's stream. Returns the gate.
  int choose_gate(double rate_estimate, double uniform01);

  /// The mixture in use (solved at solved_rate()); empty probabilities before the first choose_gate.
  const MixtureSolution& mixture() const { return mixture_; }
  double solved_rate() const { return solved_rate_; }
  /// How many times the mixture has been solved.
  long solve_count() const { return solves_; }

 private:
  std::vector<Gate> gates_;
  int capacity_;
  double loss_target_;
  int grid_points_;
  double relative_threshold_;
  MixtureSolution mixture_;
  double solved_rate_ = 0.0;
  long solves_ = 0;
};

}  // namespace continuum::early_exit
