#pragma once
// Pieces shared by the placement policies: the wall-clock deadline, the elite set, cluster
// sizing, and the "which resource does each layer use" bookkeeping of neighbourhood moves.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/placement/evaluation.hpp"
#include "models/placement/placement.hpp"
#include "models/placement/placement_evaluator.hpp"
#include "policies/placement/placement_policy.hpp"

namespace continuum::placement::detail {

class Deadline {
 public:
  explicit Deadline(double seconds);
  bool expired() const;
  double elapsed() const;
  /// Seconds left (+∞ when unbounded, 0 once expired).
  double remaining() const;
  /// A deadline `fraction` of the way from now to this one (for a phase of a policy).
  Deadline share(double fraction) const;

 private:
  using Clock = std::chrono::steady_clock;
  Deadline(Clock::time_point start, Clock::time_point end, bool bounded)
      : start_(start), end_(end), bounded_(bounded) {}
  Clock::time_point start_;
  Clock::time_point end_;
  bool bounded_;
};

/// Is `a` strictly better than `b` (relative tolerance 1e-12, so rounding noise is no progress)?
bool improves(double a, double b);

/// The k best distinct feasible placements, ordered by (objective, order key); the order key (the
/// random-greedy iteration index) makes the ranking independent of the order of discovery, so
/// merging the elites of several threads gives the same result on any thread count.
class EliteSet {
 public:
  struct Entry {
    double objective;
    std::uint64_t order;
    Placement placement;
  };
  explicit EliteSet(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}
  /// Would an entry with this key enter the set (ignoring duplicates)?
  bool admits(double objective, std::uint64_t order) const;
  void offer(double objective, std::uint64_t order, const Placement& placement);
  void merge(const EliteSet& other);
  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::size_t capacity_;
  std::vector<Entry> entries_;
};

/// Edge/VM resource used in each layer by the placement (no_index if none; FaaS layers: no_index).
std::vector<std::size_t> layer_users(const PlacementProblem& problem, const Placement& placement);

/// Can a partition be moved to resource r, given the layer users (r's layer free or already r's)?
inline bool can_host(const PlacementProblem& problem, const std::vector<std::size_t>& users, std::size_t r) {
  const auto& resource = problem.resources[r];
  if (resource.kind == ResourceKind::faas) return true;
  return users[resource.layer] == no_index || users[resource.layer] == r;
}

/// Index of the option of partition (c, s, h) that runs on resource r, or no_index.
std::size_t option_on(const PlacementProblem& problem, std::size_t c, std::size_t s, std::size_t h,
                      std::size_t r);

/// Chooses cluster sizes for the structure (deployments and options) of a placement.
class ClusterSizer {
 public:
  explicit ClusterSizer(const PlacementEvaluator& evaluator);

  /// Sets every used edge/VM cluster to its maximum and every unused one to 0; if that is feasible,
  /// shrinks each cluster (most expensive first) to the smallest size that keeps the placement
  /// feasible, by bisection (feasibility can only improve with a larger cluster). Returns whether
  /// the result is feasible; `evaluation` is its verdict (with cost and objective when feasible).
  bool size(Placement& placement, Evaluation& evaluation, std::uint64_t& evaluations) const;

  /// Shrinks the clusters of a feasible placement as `size` does.
  void shrink(Placement& placement, Evaluation& evaluation, std::uint64_t& evaluations) const;

 private:
  const PlacementEvaluator& evaluator_;
  std::vector<std::size_t> by_price_;  // edge/VM resources, most expensive instance first
};

/// Fills the result's placement, detailed evaluation, timing and `found` flag.
void finish(PlacementResult& result, const PlacementEvaluator& evaluator, const Placement* best,
            const Deadline& deadline);

/// Evaluates the start of an improvement search into `evaluation`. When it is infeasible, notes
/// why, finishes `result` with nothing found and returns false: searches only improve feasible starts.
bool accept_start(PlacementResult& result, const PlacementEvaluator& evaluator, const Placement& start,
                  Evaluation& evaluation, const Deadline& deadline);

}  // namespace continuum::placement::detail
