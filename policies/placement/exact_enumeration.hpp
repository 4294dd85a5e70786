#pragma once
// Exact reference for small instances: exhaustive enumeration with branch and bound.
//
// The search walks components in order, a deployment per component and an option per partition,
// keeping per resource the load Σ D·λ and the memory placed so far. It prunes a branch as soon as
// it cannot lead to a feasible placement cheaper than the incumbent, using only bounds that are
// exact consequences of the model: loads and memory only grow as partitions are added, so
//   • a resource whose load reaches its largest cluster size (U ≥ 1 even at the maximum) or whose
//     memory is exceeded stays infeasible;
//   • response times computed with the current loads at the largest cluster sizes only grow, so a
//     completed component or path already over its bound stays over it;
//   • the objective at the smallest cluster sizes that keep U < 1 only grows.
// At a leaf it enumerates every cluster size of the used edge/VM resources between those bounds
// and asks the evaluator for the verdict. The incumbent starts from a short random-greedy run.
// The result is the optimum of the evaluator's model (`optimal` = true) unless the time limit
// stopped the search.
//
// Size limit: the policy refuses instances whose search space — the number of (deployment,
// option) combinations, Π_c Σ_s Π_h |options|, times Π over edge/VM layers of the largest cluster
// size in the layer — exceeds `exact_limit` (default 1e15), throwing SearchSpaceTooLarge. The
// bounds prune so well that 5-component SPACE4AI-D scalability instances (search spaces 1e12–1e20)
// finish in under 0.1 s; the limit guards against the instances where they would not.
#include <stdexcept>

#include "policies/placement/placement_policy.hpp"

namespace continuum::placement {

struct SearchSpaceTooLarge : std::length_error {
  using std::length_error::length_error;
};

/// The search-space measure compared with the limit (may be +∞ for huge instances).
double exact_search_space(const PlacementProblem& problem);

class ExactPolicy final : public PlacementPolicy {
 public:
  explicit ExactPolicy(PlacementPolicyParameters parameters = {}) : parameters_(parameters) {}
  std::string_view name() const override { return "exact"; }
  /// Throws SearchSpaceTooLarge beyond the limit. budget.iterations is not used (the search is
  /// complete by design); budget.time_limit stops it early, leaving `optimal` false.
  PlacementResult solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const override;

 private:
  PlacementPolicyParameters parameters_;
};

}  // namespace continuum::placement
