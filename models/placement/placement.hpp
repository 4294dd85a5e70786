#pragma once
// A solution of the placement problem: a deployment per component, an option (compatible
// resource) per partition of that deployment, and a cluster size per edge/VM resource.
#include <cstddef>
#include <functional>
#include <vector>

#include "models/placement/placement_problem.hpp"

namespace continuum::placement {

struct Placement {
  std::vector<std::size_t> deployment;           // per component: index into Component::deployments
  std::vector<std::vector<std::size_t>> option;  // per component, per partition of the chosen
                                                 // deployment: index into Partition::options
  std::vector<int> instances;                    // per resource: cluster size of a used edge/VM
                                                 // resource, 0 when unused; ignored for FaaS

  bool operator==(const Placement&) const = default;

  /// An empty placement shaped for `problem`: deployment 0, option 0 everywhere, no instance.
  static Placement first_of(const PlacementProblem& problem);

  /// Resource running partition `h` of component `c`.
  std::size_t resource_of(const PlacementProblem& problem, std::size_t c, std::size_t h) const {
    return problem.components[c].deployments[deployment[c]].partitions[h].options[option[c][h]].resource;
  }
};

/// Per resource: does any partition of the placement run on it?
std::vector<bool> used_resources(const PlacementProblem& problem, const Placement& placement);

/// A 64-bit fingerprint of the placement (for tabu lists and duplicate detection).
std::size_t hash_value(const Placement& placement);

}  // namespace continuum::placement

template <>
struct std::hash<continuum::placement::Placement> {
  std::size_t operator()(const continuum::placement::Placement& placement) const noexcept {
    return continuum::placement::hash_value(placement);
  }
};
