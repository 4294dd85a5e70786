#include "models/placement/evaluation.hpp"

#include <cstdio>
#include <string>

namespace continuum::placement {

std::string_view to_string(ObjectiveKind kind) {
  switch (kind) {
    case ObjectiveKind::cost:
      return "cost";
    case ObjectiveKind::cost_energy:
      return "cost_energy";
    case ObjectiveKind::energy_capped:
      return "energy_capped";
  }
  return "?";
}

std::optional<ObjectiveKind> parse_objective_kind(std::string_view text) {
  for (auto kind : {ObjectiveKind::cost, ObjectiveKind::cost_energy, ObjectiveKind::energy_capped})
    if (to_string(kind) == text) return kind;
  return std::nullopt;
}

std::string_view to_string(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::none:
      return "none";
    case ViolationKind::invalid_choice:
      return "invalid_choice";
    case ViolationKind::cluster_size:
      return "cluster_size";
    case ViolationKind::layer_conflict:
      return "layer_conflict";
    case ViolationKind::memory:
      return "memory";
    case ViolationKind::unstable:
      return "unstable";
    case ViolationKind::return_to_edge:
      return "return_to_edge";
    case ViolationKind::no_network_domain:
      return "no_network_domain";
    case ViolationKind::local_response_time:
      return "local_response_time";
    case ViolationKind::path_response_time:
      return "path_response_time";
    case ViolationKind::cost_cap:
      return "cost_cap";
  }
  return "?";
}

namespace {

std::string number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

std::string resource_name(const PlacementProblem& problem, std::size_t r) {
  return r < problem.resources.size() ? problem.resources[r].name : "?";
}
std::string component_name(const PlacementProblem& problem, std::size_t c) {
  return c < problem.components.size() ? problem.components[c].name : "?";
}
std::string layer_name(const PlacementProblem& problem, std::size_t l) {
  return l < problem.layers.size() ? problem.layers[l].name : "?";
}

constexpr double mebibyte = 1024.0 * 1024.0;

}  // namespace

std::string describe(const PlacementProblem& problem, const Violation& v) {
  switch (v.kind) {
    case ViolationKind::none:
      return "feasible";
    case ViolationKind::invalid_choice:
      return "component " + component_name(problem, v.first) + ": deployment or resource choice out of range";
    case ViolationKind::cluster_size:
      return "resource " + resource_name(problem, v.first) + ": cluster of " + number(v.value) +
             " instances, allowed 1.." + number(v.limit);
    case ViolationKind::layer_conflict:
      return "layer " + layer_name(problem, problem.resources[v.first].layer) + " uses two resources, " +
             resource_name(problem, v.first) + " and " + resource_name(problem, v.second);
    case ViolationKind::memory:
      return "resource " + resource_name(problem, v.first) + ": partitions need " +
             number(v.value / mebibyte) + " MiB, it has " + number(v.limit / mebibyte) + " MiB";
    case ViolationKind::unstable:
      return "resource " + resource_name(problem, v.first) + ": utilisation " + number(v.value) +
             " per instance, must stay below 1";
    case ViolationKind::return_to_edge:
      return "component " + component_name(problem, v.first) +
             ": a partition returns to the edge after running on a VM or FaaS";
    case ViolationKind::no_network_domain:
      return "no network domain joins layers " + layer_name(problem, v.first) + " and " +
             layer_name(problem, v.second);
    case ViolationKind::local_response_time:
      return "component " + component_name(problem, v.first) + ": response time " + number(v.value) +
             " s exceeds its bound " + number(v.limit) + " s";
    case ViolationKind::path_response_time:
      return "path " +
             (v.first < problem.path_constraints.size() ? problem.path_constraints[v.first].name : "?") +
             ": response time " + number(v.value) + " s exceeds its bound " + number(v.limit) + " s";
    case ViolationKind::cost_cap:
      return "cost " + number(v.value) + " exceeds the cap " + number(v.limit);
  }
  return "?";
}

}  // namespace continuum::placement
