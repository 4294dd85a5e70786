#pragma once
// The trivial baselines of SPACE4AI-D's evaluation (D2.1 §4.8, "OnlyEdge" / "OnlyCloud"), plus
// all-FaaS: the same problem with every partition restricted to edge devices, to VMs, or to FaaS
// configurations. Deployments with a partition that cannot run on that kind are dropped; if a
// component keeps none, there is no placement. The restricted problem is solved exactly when its
// search space is within the exact limit, otherwise by random greedy; `note` says which.
#include "policies/placement/placement_policy.hpp"

namespace continuum::placement {

class SingleKindPolicy final : public PlacementPolicy {
 public:
  SingleKindPolicy(ResourceKind kind, PlacementPolicyParameters parameters = {})
      : kind_(kind), parameters_(parameters) {}
  /// "all_edge", "all_cloud" or "all_faas".
  std::string_view name() const override;
  PlacementResult solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const override;

 private:
  ResourceKind kind_;
  PlacementPolicyParameters parameters_;
};

}  // namespace continuum::placement
