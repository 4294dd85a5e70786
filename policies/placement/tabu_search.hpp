#pragma once
// Tabu search (MODELS.md §5; the SPACE4AI-D tabu variant built on the Solid library). From each
// random-greedy elite placement, every iteration evaluates the whole neighbourhood — change a
// FaaS configuration, move all partitions of the most utilised node to another edge/VM resource,
// move one partition to a less utilised node in use, move a partition to FaaS, move one from FaaS
// (nodes ranked by utilisation, then cost) — and moves to the best feasible neighbour that is not
// tabu, even if it is worse. The last `tabu_tenure` solutions (default 50) are tabu; a tabu
// neighbour is taken only if it beats the best solution so far (aspiration). Stops after
// `search_iterations` moves per start, at the deadline, or when no neighbour is admissible, and
// returns the best solution seen — never worse than its start.
//
// Budget: as the local search (random greedy within half of the time limit, the rest for tabu).
#include "policies/placement/placement_policy.hpp"

namespace continuum::placement {

class TabuSearchPolicy final : public PlacementPolicy {
 public:
  explicit TabuSearchPolicy(PlacementPolicyParameters parameters = {}) : parameters_(parameters) {}
  std::string_view name() const override { return "tabu"; }
  PlacementResult solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const override;

  /// The tabu search alone from `start` (which must be feasible); the budget's iterations bound
  /// the moves.
  PlacementResult improve(const PlacementEvaluator& evaluator, const Placement& start,
                          const SearchBudget& budget) const;

 private:
  PlacementPolicyParameters parameters_;
};

}  // namespace continuum::placement
