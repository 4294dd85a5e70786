#pragma once
// What the placement evaluator says about a placement: feasibility (and the first violated
// constraint), cost, energy, the objective, and the predicted response times.
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/placement/placement_problem.hpp"

namespace continuum::placement {

enum class ObjectiveKind {
  cost,           // SPACE4AI-D: minimise cost (the default)
  cost_energy,    // minimise cost + energy_weight · energy
  energy_capped,  // minimise energy subject to cost ≤ cost_cap
};

std::string_view to_string(ObjectiveKind kind);
/// Parses "cost", "cost_energy" or "energy_capped".
std::optional<ObjectiveKind> parse_objective_kind(std::string_view text);

struct Objective {
  ObjectiveKind kind = ObjectiveKind::cost;
  double energy_weight = 0.0;                                 // money per joule (cost_energy)
  double cost_cap = std::numeric_limits<double>::infinity();  // money over the horizon (energy_capped)
};

enum class ViolationKind {
  none,
  invalid_choice,       // a deployment or option index out of range
  cluster_size,         // a used edge/VM cluster outside 1..max_instances
  layer_conflict,       // two resources of one edge/VM layer in use
  memory,               // partitions do not fit a resource's memory
  unstable,             // utilisation of a PS instance ≥ 1
  return_to_edge,       // a partition runs on the edge after an earlier one ran in the cloud
  no_network_domain,    // two consecutive partitions on layers no domain joins
  local_response_time,  // a component exceeds its bound
  path_response_time,   // a path exceeds its bound
  cost_cap,             // energy_capped objective: cost above the cap
};

std::string_view to_string(ViolationKind kind);

/// The first violated constraint. `first`/`second` are indices whose meaning depends on the kind
/// (resource, layer, component or path); value and limit are the offending figure and its bound.
struct Violation {
  ViolationKind kind = ViolationKind::none;
  std::size_t first = no_index;
  std::size_t second = no_index;
  double value = 0.0;
  double limit = 0.0;
};

/// One line naming the constraint and the figures, e.g.
/// "component c1: response time 91000 s exceeds its bound 89100 s".
std::string describe(const PlacementProblem& problem, const Violation& violation);

struct Evaluation {
  bool feasible = false;
  Violation violation;
  double cost = std::numeric_limits<double>::quiet_NaN();    // money over the horizon
  double energy = std::numeric_limits<double>::quiet_NaN();  // J over the horizon
  double objective = std::numeric_limits<double>::infinity();
  std::vector<double> component_response_time;               // s per component (NaN where not computed)
  std::vector<double> path_response_time;                    // s per path constraint
  std::vector<double> utilisation;                           // per resource, per instance (0 when unused)
  std::vector<double> memory_used;                           // bytes per instance of each resource (edge/VM)
  std::vector<int> partitions_on;                            // partitions placed on each resource
  std::vector<std::vector<double>> partition_response_time;  // detailed evaluations only
};

}  // namespace continuum::placement
