#pragma once
// Local search (SPACE4AI-D, MODELS.md §5). Starts from every placement of the random-greedy elite
// and repeatedly applies the first acceptable neighbour of the moves, tried in this order:
// FaaS → VM, first cloud partition → edge, FaaS → cheaper FaaS, change deployment, drop a
// resource, change a resource. A move is acceptable when the resized placement is feasible and
// cheaper (lower objective); the two migrations (FaaS → VM, cloud → edge) are accepted whenever
// feasible, as in SPACE4AI-D, because they free FaaS budget and shorten transfers. Placements
// already visited are never re-entered, so the search cannot cycle. It stops at a local optimum,
// after `search_iterations` accepted moves per start, or at the deadline, and returns the best
// placement seen — never worse than the random-greedy start.
//
// Budget: the random-greedy phase runs `budget.iterations` iterations within half of the time
// limit; the descents share what remains.
#include "policies/placement/placement_policy.hpp"

namespace continuum::placement {

class LocalSearchPolicy final : public PlacementPolicy {
 public:
  explicit LocalSearchPolicy(PlacementPolicyParameters parameters = {}) : parameters_(parameters) {}
  std::string_view name() const override { return "local_search"; }
  PlacementResult solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const override;

  /// The descent alone from `start` (which must be feasible); the budget's iterations bound the
  /// accepted moves. Used by `solve` and by tests.
  PlacementResult improve(const PlacementEvaluator& evaluator, const Placement& start,
                          const SearchBudget& budget) const;

 private:
  PlacementPolicyParameters parameters_;
};

}  // namespace continuum::placement
