#include "models/placement/placement_problem.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace continuum::placement {

std::string_view to_string(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::edge:
      return "edge";
    case ResourceKind::vm:
      return "vm";
    case ResourceKind::faas:
      return "faas";
  }
  return "?";
}

namespace {

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument(message);
}

bool is_probability(double p) {
  return std::isfinite(p) && p >= 0.0 && p <= 1.0;
}
bool is_non_negative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

}  // namespace

void PlacementProblem::validate() const {
  if (!(std::isfinite(arrival_rate) && arrival_rate > 0.0)) fail("the arrival rate must be positive");
  if (!(std::isfinite(horizon) && horizon > 0.0)) fail("the horizon must be positive");
  if (components.empty()) fail("the application has no component");
  for (std::size_t l = 0; l < layers.size(); ++l)
    for (std::size_t r : layers[l].resources)
      if (r >= resources.size() || resources[r].layer != l)
        fail("layer " + layers[l].name + " lists a resource that does not belong to it");
  for (const auto& resource : resources) {
    const std::string where = "resource " + resource.name + ": ";
    if (resource.layer >= layers.size()) fail(where + "unknown layer");
    if (layers[resource.layer].kind != resource.kind) fail(where + "its kind differs from its layer's");
    if (resource.kind != ResourceKind::faas && resource.max_instances < 1)
      fail(where + "the number of instances must be at least 1");
    if (!is_non_negative(resource.price)) fail(where + "the price must be non-negative");
    if (!is_non_negative(resource.memory)) fail(where + "the memory must be non-negative");
    if (resource.kind == ResourceKind::faas &&
        !(std::isfinite(resource.keep_alive) && resource.keep_alive > 0.0))
      fail(where + "the keep-alive time must be positive");
    if (!is_non_negative(resource.transition_cost)) fail(where + "the transition cost must be non-negative");
    if (!is_non_negative(resource.power.idle_w) || !is_non_negative(resource.power.busy_w))
      fail(where + "powers must be non-negative");
  }
  for (const auto& domain : domains) {
    if (!is_non_negative(domain.access_delay))
      fail("network domain " + domain.name + ": negative access delay");
    if (!(domain.bandwidth > 0.0)) fail("network domain " + domain.name + ": the bandwidth must be positive");
    for (std::size_t l : domain.layers)
      if (l >= layers.size()) fail("network domain " + domain.name + ": unknown layer");
  }
  for (const auto& component : components) {
    if (component.deployments.empty()) fail("component " + component.name + " has no deployment");
    for (const auto& deployment : component.deployments) {
      const std::string where = "component " + component.name + ", deployment " + deployment.name;
      if (deployment.partitions.empty()) fail(where + " has no partition");
      for (const auto& partition : deployment.partitions) {
        const std::string at = where + ", partition " + partition.name + ": ";
        if (!is_probability(partition.early_exit_probability) || partition.early_exit_probability >= 1.0)
          fail(at + "the early-exit probability must be in [0, 1)");
        if (!is_non_negative(partition.output_bytes)) fail(at + "negative data size");
        for (const auto& transfer : partition.to_components) {
          if (transfer.component >= components.size()) fail(at + "data sent to an unknown component");
          if (!is_non_negative(transfer.bytes)) fail(at + "negative data size");
        }
        if (partition.options.empty()) fail(at + "no compatible resource");
        for (const auto& option : partition.options) {
          if (option.resource >= resources.size()) fail(at + "unknown resource");
          const auto& resource = resources[option.resource];
          const bool faas_model = option.model != ResponseModel::processor_sharing;
          if (faas_model != (resource.kind == ResourceKind::faas))
            fail(at + "the performance model on " + resource.name + " does not fit its kind");
          // A PS partition may take no time (a pass-through outcome component); a FaaS one may not.
          if (!(std::isfinite(option.demand) && (faas_model ? option.demand > 0.0 : option.demand >= 0.0)))
            fail(at + "the demand on " + resource.name +
                 (faas_model ? " must be positive" : " must be non-negative"));
          if (faas_model && !(std::isfinite(option.cold_demand) && option.cold_demand > 0.0))
            fail(at + "the cold demand on " + resource.name + " must be positive");
          if (!is_non_negative(option.memory)) fail(at + "negative memory on " + resource.name);
        }
      }
    }
  }
  for (const auto& edge : edges) {
    if (edge.from >= components.size() || edge.to >= components.size())
      fail("a DAG edge names an unknown component");
    if (edge.from == edge.to) fail("component " + components[edge.from].name + " is its own successor");
    if (!is_probability(edge.probability))
      fail("the transition probability " + components[edge.from].name + " -> " + components[edge.to].name +
           " must be in [0, 1]");
  }
  (void)topological_order();  // throws on a cycle
  for (const auto& constraint : local_constraints) {
    if (constraint.component >= components.size()) fail("a local constraint names an unknown component");
    if (!(constraint.max_response_time > 0.0))
      fail("local constraint of " + components[constraint.component].name + ": the bound must be positive");
  }
  for (const auto& path : path_constraints) {
    if (path.components.empty()) fail("path " + path.name + " has no component");
    for (std::size_t c : path.components)
      if (c >= components.size()) fail("path " + path.name + " names an unknown component");
    if (!(path.max_response_time > 0.0)) fail("path " + path.name + ": the bound must be positive");
  }
}

std::vector<std::size_t> PlacementProblem::topological_order() const {
  // Kahn's algorithm; ties broken by index so that the order is stable.
  std::vector<std::size_t> in_degree(components.size(), 0);
  for (const auto& edge : edges) ++in_degree[edge.to];
  std::vector<std::size_t> order;
  order.reserve(components.size());
  std::vector<bool> done(components.size(), false);
  for (std::size_t round = 0; round < components.size(); ++round) {
    std::size_t next = no_index;
    for (std::size_t c = 0; c < components.size(); ++c)
      if (!done[c] && in_degree[c] == 0) {
        next = c;
        break;
      }
    if (next == no_index) throw std::invalid_argument("the application DAG has a cycle");
    done[next] = true;
    order.push_back(next);
    for (const auto& edge : edges)
      if (edge.from == next) --in_degree[edge.to];
  }
  return order;
}

std::vector<double> PlacementProblem::component_rates() const {
  std::vector<double> rates(components.size(), 0.0);
  std::vector<bool> has_predecessor(components.size(), false);
  for (const auto& edge : edges) has_predecessor[edge.to] = true;
  for (std::size_t c : topological_order()) {
    if (!has_predecessor[c]) rates[c] = arrival_rate;
    for (const auto& edge : edges)
      if (edge.from == c) rates[edge.to] += edge.probability * rates[c];
  }
  return rates;
}

std::size_t PlacementProblem::find_component(std::string_view component_name) const {
  for (std::size_t i = 0; i < components.size(); ++i)
    if (components[i].name == component_name) return i;
  return no_index;
}

std::size_t PlacementProblem::find_resource(std::string_view resource_name) const {
  for (std::size_t i = 0; i < resources.size(); ++i)
    if (resources[i].name == resource_name) return i;
  return no_index;
}

std::size_t PlacementProblem::find_layer(std::string_view layer_name) const {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer_name) return i;
  return no_index;
}

std::vector<double> partition_rates(const Deployment& deployment, double component_rate) {
  std::vector<double> rates;
  rates.reserve(deployment.partitions.size());
  double rate = component_rate;
  for (const auto& partition : deployment.partitions) {
    rates.push_back(rate);
    rate *= 1.0 - partition.early_exit_probability;
  }
  return rates;
}

double bytes_to_component(const Partition& last, std::size_t successor) {
  for (const auto& transfer : last.to_components)
    if (transfer.component == successor) return transfer.bytes;
  return last.output_bytes;
}

}  // namespace continuum::placement
