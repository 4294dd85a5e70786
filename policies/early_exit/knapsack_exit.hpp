#pragma once

#include <span>
#include <vector>

#include "policies/early_exit/gate.hpp"

namespace continuum::early_exit {

/// Result of the single-exit knapsack (Casale & Roveri, IEEE TC 2024): how many of the k jobs leave at
/// each gate. counts[e] = n_e, Σ_e n_e = k; the jobs not upgraded to a deeper gate take gate 0.
struct KnapsackDecision {
  std::vector<int> counts;    ///< n_e for every gate e = 0..E−1 (gate 0 included).
  double total_accuracy = 0;  ///< Σ_e n_e a_e over all k jobs.
  double total_time = 0;      ///< s: Σ_e n_e t_e over all k jobs (true, not discretised, times).
};

/// Exact dynamic programme for the exit counts of the next k jobs (MODELS.md §6, knapsack policy).
///
/// Problem: k jobs must finish within a budget B; each already pays the shallowest gate, which leaves the
/// spare time W = B − k·t_0. Upgrading one job from gate 0 to gate e costs Δt_e = t_e − t_0 of W and gains
/// Δa_e = a_e − a_0, so we solve
///     maximise Σ_{e≥1} n_e Δa_e   s.t.  Σ_{e≥1} n_e Δt_e ≤ W,  Σ_{e≥1} n_e ≤ k,  n_e ∈ ℕ,
/// and n_0 = k − Σ_{e≥1} n_e. This is exactly "maximise the total accuracy Σ_e n_e a_e of the k jobs subject
/// to Σ_e n_e t_e ≤ B". (MODELS.md writes the upgrade weights and values as t_e and a_e; with t_e the time to
/// *reach* gate e, charging t_e against W would charge t_0 twice, hence the differences.)
///
/// Discretisation: times are counted in whole quanta of `time_quantum` q. Each Δt_e is rounded UP to
/// ⌈Δt_e/q⌉ quanta and W DOWN to ⌊W/q⌋ quanta, so a returned decision never exceeds the true budget: the
/// decision is optimal for the discretised problem and feasible for the exact one (it converges to the exact
/// optimum as q → 0). Upgrades with Δa_e ≤ 0 are never useful and are skipped.
///
/// Cost: O(E·k·C) time and O(k·C) bytes, C = min(⌊W/q⌋, k·max_e⌈Δt_e/q⌉); throws std::length_error when
/// (k+1)(C+1) exceeds 2^26 cells or an affordable Δt_e spans 2^26 quanta (choose a coarser quantum).
///
/// Preconditions (std::invalid_argument otherwise): valid gates (validate_gates) with t_e ≥ t_0 for all e
/// (gate 0 is the shallowest), jobs_k ≥ 1, time_quantum finite and > 0, spare_time_w not NaN
/// (+∞ allowed: no time pressure). W < 0 → every job takes gate 0.
KnapsackDecision knapsack_counts(std::span<const Gate> gates, int jobs_k, double spare_time_w,
                                 double time_quantum);

/// Default grid for knapsack_counts: a tenth of the smallest positive extra time t_e − t_0 (each upgrade then
/// loses less than 10 % of its cost to rounding), or t_0/10 when no gate is slower than gate 0.
double suggested_time_quantum(std::span<const Gate> gates);

/// Run-time knapsack exit policy (Casale & Roveri). At each job start with q jobs waiting behind it,
/// k = q + 1 jobs must finish before the buffer fills at the estimated arrival rate λ̂:
/// B = (buffer_capacity − q)/λ̂, W = B − k·t_0. The counts come from knapsack_counts and the starting
/// job's gate is drawn with probability n_e/k. W < 0 (e.g. a full buffer) → gate 0 without solving.
/// λ̂ = 0 means no arrivals are expected (B = +∞): every job may take the most accurate affordable gate.
class KnapsackExitPolicy {
 public:
  /// buffer_capacity: jobs that may wait (not counting the one in service), ≥ 0.
  /// time_quantum: s, grid of the DP (see knapsack_counts).
  KnapsackExitPolicy(std::vector<Gate> gates, int buffer_capacity, double time_quantum);
  /// As above with time_quantum = suggested_time_quantum(gates).
  KnapsackExitPolicy(std::vector<Gate> gates, int buffer_capacity);

  /// queued_jobs: jobs waiting behind the one starting now (≥ 0); rate_estimate: λ̂ in 1/s (≥ 0);
  /// uniform01: a draw from U[0, 1) supplied by the caller's random stream. Returns the gate index.
  int choose_gate(int queued_jobs, double rate_estimate, double uniform01);

  /// The counts behind the last choose_gate call (all jobs at gate 0 when W < 0).
  const KnapsackDecision& last_decision() const { return last_; }
  const std::vector<Gate>& gates() const { return gates_; }
  double time_quantum() const { return time_quantum_; }

 private:
  std::vector<Gate> gates_;
  int buffer_capacity_;
  double time_quantum_;
  KnapsackDecision last_;
};

}  // namespace continuum::early_exit
