#include "policies/early_exit/knapsack_exit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace continuum::early_exit {
namespace {

constexpr std::int64_t max_table_cells = std::int64_t{1} << 26;
constexpr std::uint16_t no_upgrade = std::numeric_limits<std::uint16_t>::max();

struct Upgrade {
  int gate;
  std::int64_t weight;  // quanta
  double value;         // a_e − a_0
};

KnapsackDecision all_at_gate_zero(std::span<const Gate> gates, int jobs_k) {
  KnapsackDecision d;
  d.counts.assign(gates.size(), 0);
  d.counts[0] = jobs_k;
  d.total_accuracy = jobs_k * gates[0].accuracy;
  d.total_time = jobs_k * gates[0].mean_time;
  return d;
}

}  // namespace

KnapsackDecision knapsack_counts(std::span<const Gate> gates, int jobs_k, double spare_time_w,
                                 double time_quantum) {
  validate_gates(gates, "knapsack_counts");
  if (gates.size() >= no_upgrade) throw std::invalid_argument("knapsack_counts: too many gates");
  if (jobs_k < 1) throw std::invalid_argument("knapsack_counts: jobs_k must be >= 1");
  if (!std::isfinite(time_quantum) || time_quantum <= 0.0)
    throw std::invalid_argument("knapsack_counts: time_quantum must be finite and > 0 s");
  if (std::isnan(spare_time_w)) throw std::invalid_argument("knapsack_counts: spare_time_w is NaN");
  const Gate& g0 = gates[0];
  for (std::size_t e = 1; e < gates.size(); ++e)
    if (gates[e].mean_time < g0.mean_time)
      throw std::invalid_argument("knapsack_counts: gate " + std::to_string(e) +
                                  " is faster than gate 0; gate 0 must be the shallowest");

  KnapsackDecision decision = all_at_gate_zero(gates, jobs_k);
  if (spare_time_w < 0.0) return decision;

  // Only upgrades that gain accuracy and fit the budget on their own can enter an optimal solution.
  const double raw_capacity = std::floor(spare_time_w / time_quantum);
  std::vector<Upgrade> upgrades;
  std::int64_t max_weight = 0;
  for (std::size_t e = 1; e < gates.size(); ++e) {
    const double gain = gates[e].accuracy - g0.accuracy;
    if (gain <= 0.0) continue;
    // Rounding the weight up (and the capacity down) keeps every decision within the true budget.
    const double quanta = std::ceil((gates[e].mean_time - g0.mean_time) / time_quantum);
    if (quanta > raw_capacity) continue;
    if (quanta >= static_cast<double>(max_table_cells))
      throw std::length_error("knapsack_counts: gate " + std::to_string(e) +
                              " spans too many quanta; use a coarser time_quantum");
    const auto weight = static_cast<std::int64_t>(quanta);
    upgrades.push_back({static_cast<int>(e), weight, gain});
    max_weight = std::max(max_weight, weight);
  }
  if (upgrades.empty()) return decision;

  // Beyond k·max_weight the budget no longer binds, so the table never needs more columns.
  const double useful = static_cast<double>(jobs_k) * static_cast<double>(max_weight);
  const auto capacity = static_cast<std::int64_t>(std::min(raw_capacity, useful));
  const std::int64_t columns = capacity + 1;
  const std::int64_t rows = static_cast<std::int64_t>(jobs_k) + 1;
  if (rows > max_table_cells / columns)
    throw std::length_error("knapsack_counts: " + std::to_string(rows) + " x " + std::to_string(columns) +
                            " table is too large; use a coarser time_quantum");

  // best[c]: best gain with at most j upgrades of total weight ≤ c (rolled over j).
  // choice[j][c]: upgrade index taken last at (j, c), or no_upgrade when (j, c) equals (j − 1, c).
  std::vector<double> previous(static_cast<std::size_t>(columns), 0.0);
  std::vector<double> current(static_cast<std::size_t>(columns), 0.0);
  std::vector<std::uint16_t> choice(static_cast<std::size_t>(rows * columns), no_upgrade);
  int last_row = 0;
  for (int j = 1; j <= jobs_k; ++j) {
    std::uint16_t* row = choice.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(columns);
    bool changed = false;
    for (std::int64_t c = 0; c < columns; ++c) {
      double best = previous[static_cast<std::size_t>(c)];
      std::uint16_t pick = no_upgrade;
      for (std::size_t u = 0; u < upgrades.size(); ++u) {
        if (upgrades[u].weight > c) continue;
        const double candidate =
            previous[static_cast<std::size_t>(c - upgrades[u].weight)] + upgrades[u].value;
        if (candidate > best) {  // strict: ties keep fewer upgrades, then the shallower gate
          best = candidate;
          pick = static_cast<std::uint16_t>(u);
        }
      }
      current[static_cast<std::size_t>(c)] = best;
      row[c] = pick;
      changed = changed || pick != no_upgrade;
    }
    last_row = j;
    std::swap(previous, current);
    if (!changed) break;  // one more job slot did not help, so no further slot will
  }

  std::int64_t c = capacity;
  for (int j = last_row; j >= 1; --j) {
    const std::uint16_t pick =
        choice[static_cast<std::size_t>(j) * static_cast<std::size_t>(columns) + static_cast<std::size_t>(c)];
    if (pick == no_upgrade) continue;
    const Upgrade& u = upgrades[pick];
    ++decision.counts[static_cast<std::size_t>(u.gate)];
    --decision.counts[0];
    c -= u.weight;
  }
  decision.total_accuracy = 0.0;
  decision.total_time = 0.0;
  for (std::size_t e = 0; e < gates.size(); ++e) {
    decision.total_accuracy += decision.counts[e] * gates[e].accuracy;
    decision.total_time += decision.counts[e] * gates[e].mean_time;
  }
  return decision;
}

double suggested_time_quantum(std::span<const Gate> gates) {
  validate_gates(gates, "suggested_time_quantum");
  double smallest = std::numeric_limits<double>::infinity();
  for (const Gate& g : gates) {
    const double extra = g.mean_time - gates[0].mean_time;
    if (extra > 0.0) smallest = std::min(smallest, extra);
  }
  return (std::isfinite(smallest) ? smallest : gates[0].mean_time) / 10.0;
}

KnapsackExitPolicy::KnapsackExitPolicy(std::vector<Gate> gates, int buffer_capacity)
    : KnapsackExitPolicy(gates, buffer_capacity, suggested_time_quantum(gates)) {}

KnapsackExitPolicy::KnapsackExitPolicy(std::vector<Gate> gates, int buffer_capacity, double time_quantum)
    : gates_(std::move(gates)), buffer_capacity_(buffer_capacity), time_quantum_(time_quantum) {
  validate_gates(gates_, "KnapsackExitPolicy");
  if (buffer_capacity_ < 0) throw std::invalid_argument("KnapsackExitPolicy: buffer_capacity must be >= 0");
  if (!std::isfinite(time_quantum_) || time_quantum_ <= 0.0)
    throw std::invalid_argument("KnapsackExitPolicy: time_quantum must be finite and > 0 s");
  // Checks the gate ordering once, up front, rather than at the first job start.
  last_ = knapsack_counts(gates_, 1, -1.0, time_quantum_);
}

int KnapsackExitPolicy::choose_gate(int queued_jobs, double rate_estimate, double uniform01) {
  if (queued_jobs < 0) throw std::invalid_argument("KnapsackExitPolicy: queued_jobs must be >= 0");
  if (!(rate_estimate >= 0.0)) throw std::invalid_argument("KnapsackExitPolicy: rate_estimate must be >= 0");
  const int k = queued_jobs + 1;
  const double budget = rate_estimate > 0.0 ? (buffer_capacity_ - queued_jobs) / rate_estimate
                                            : std::numeric_limits<double>::infinity();
  const double spare = budget - k * gates_[0].mean_time;
  last_ = knapsack_counts(gates_, k, spare, time_quantum_);

  // Inverse-CDF draw of a gate with probability n_e / k.
  const double target = std::clamp(uniform01, 0.0, 1.0) * k;
  int cumulative = 0;
  int chosen = 0;
  for (std::size_t e = 0; e < last_.counts.size(); ++e) {
    if (last_.counts[e] == 0) continue;
    chosen = static_cast<int>(e);
    cumulative += last_.counts[e];
    if (target < cumulative) break;
  }
  return chosen;
}

}  // namespace continuum::early_exit
