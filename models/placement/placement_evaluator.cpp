#include "models/placement/placement_evaluator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "models/analytic/faas_steady_state.hpp"

namespace continuum::placement {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace

PlacementEvaluator::PlacementEvaluator(PlacementProblem problem, Objective objective)
    : problem_(std::move(problem)), objective_(objective) {
  problem_.validate();
  if (objective_.kind == ObjectiveKind::cost_energy && !(objective_.energy_weight >= 0.0))
    throw std::invalid_argument("the energy weight must be non-negative");
  if (objective_.kind == ObjectiveKind::energy_capped && !(objective_.cost_cap >= 0.0))
    throw std::invalid_argument("the cost cap must be non-negative");
  component_rates_ = problem_.component_rates();
  const double horizon = problem_.horizon;

  // The FaaS model depends only on (warm, cold, keep-alive, rate): solve each distinct tuple once.
  // PACSLTK and PACSLTKSTATIC share the cache: at design time the rate is fixed, so the dynamic
  // model and its once-evaluated variant give the same figure.
  std::map<std::array<double, 4>, analytic::FaasSteadyState> faas_cache;
  auto faas_state = [&](double warm, double cold, double keep_alive, double rate) {
    const std::array<double, 4> key{warm, cold, keep_alive, rate};
    auto found = faas_cache.find(key);
    if (found == faas_cache.end())
      found = faas_cache.emplace(key, analytic::faas_steady_state({rate, warm, cold, keep_alive})).first;
    return found->second;
  };

  deployment_first_.resize(problem_.components.size());
  for (std::size_t c = 0; c < problem_.components.size(); ++c) {
    const auto& component = problem_.components[c];
    for (const auto& deployment : component.deployments) {
      deployment_first_[c].push_back(static_cast<std::uint32_t>(partitions_.size()));
      const auto rates = partition_rates(deployment, component_rates_[c]);
      double weight = 1.0;
      for (std::size_t h = 0; h < deployment.partitions.size(); ++h) {
        const auto& partition = deployment.partitions[h];
        const double rate = rates[h];
        partitions_.push_back({rate, weight, partition.output_bytes,
                               static_cast<std::uint32_t>(options_.size()),
                               static_cast<std::uint32_t>(partition.options.size())});
        weight *= 1.0 - partition.early_exit_probability;
        for (const auto& option : partition.options) {
          const auto& resource = problem_.resources[option.resource];
          OptionInfo info{static_cast<std::uint32_t>(option.resource),
                          resource.kind,
                          option.demand,
                          option.demand * rate,
                          not_a_number,
                          option.memory,
                          0.0,
                          0.0};
          if (resource.kind == ResourceKind::faas) {
            if (rate > 0.0) {
              analytic::FaasSteadyState state;
              try {
                state = faas_state(option.demand, option.cold_demand, resource.keep_alive, rate);
              } catch (const std::exception& error) {
                throw std::invalid_argument("component " + component.name + ", partition " + partition.name +
                                            " on " + resource.name + ": FaaS model: " + error.what());
              }
              info.response = state.average_response_time;
              info.faas_cost = (resource.price * option.demand + resource.transition_cost) * rate * horizon;
              const double running = state.average_running;
              const double idle = std::max(0.0, state.average_instances - running);
              info.faas_energy = (resource.power.idle_w * idle + resource.power.busy_w * running) * horizon;
            } else {
              info.response = option.cold_demand;  // never invoked: a request would find no instance
            }
          }
          options_.push_back(info);
        }
      }
    }
  }

  const std::size_t layer_count = problem_.layers.size();
  links_.assign(layer_count * layer_count, {});
  for (const auto& domain : problem_.domains)
    for (std::size_t a : domain.layers)
      for (std::size_t b : domain.layers)
        links_[a * layer_count + b].push_back({domain.access_delay, domain.bandwidth});

  local_bound_.assign(problem_.components.size(), infinity);
  local_constraint_of_.assign(problem_.components.size(), no_index);
  for (std::size_t i = 0; i < problem_.local_constraints.size(); ++i) {
    const auto& constraint = problem_.local_constraints[i];
    if (constraint.max_response_time < local_bound_[constraint.component]) {
      local_bound_[constraint.component] = constraint.max_response_time;
      local_constraint_of_[constraint.component] = i;
    }
  }
}

double PlacementEvaluator::faas_response_time(std::size_t c, std::size_t s, std::size_t h,
                                              std::size_t o) const {
  return option_info(c, s, h, o).response;
}

double PlacementEvaluator::faas_cost(std::size_t c, std::size_t s, std::size_t h, std::size_t o) const {
  return option_info(c, s, h, o).faas_cost;
}

double PlacementEvaluator::faas_energy(std::size_t c, std::size_t s, std::size_t h, std::size_t o) const {
  return option_info(c, s, h, o).faas_energy;
}

double PlacementEvaluator::transfer_time(std::size_t layer_a, std::size_t layer_b, double bytes) const {
  double best = infinity;
  for (const auto& link : links_[layer_a * problem_.layers.size() + layer_b])
    best = std::min(best, link.access_delay + 8.0 * bytes / link.bandwidth);
  return best;
}

Evaluation PlacementEvaluator::evaluate(const Placement& placement, EvaluationMode mode) const {
  Evaluation out;
  evaluate(placement, out, mode);
  return out;
}

void PlacementEvaluator::evaluate(const Placement& placement, Evaluation& out, EvaluationMode mode) const {
  const auto& components = problem_.components;
  const auto& resources = problem_.resources;
  const std::size_t component_count = components.size();
  const bool stop = mode == EvaluationMode::verdict;
  const bool detailed = mode == EvaluationMode::detailed;

  out.feasible = false;
  out.violation = Violation{};
  out.cost = not_a_number;
  out.energy = not_a_number;
  out.objective = infinity;
  out.component_response_time.assign(component_count, not_a_number);
  out.path_response_time.assign(problem_.path_constraints.size(), not_a_number);
  out.utilisation.assign(resources.size(), 0.0);
  out.memory_used.assign(resources.size(), 0.0);
  out.partitions_on.assign(resources.size(), 0);
  if (detailed) out.partition_response_time.assign(component_count, {});

  auto violate = [&out](ViolationKind kind, std::size_t first, std::size_t second, double value,
                        double limit) {
    if (out.violation.kind == ViolationKind::none) out.violation = {kind, first, second, value, limit};
  };

  // The placement must be shaped for this problem before anything is indexed.
  const bool shaped = placement.deployment.size() == component_count &&
                      placement.option.size() == component_count &&
                      placement.instances.size() == resources.size();
  if (!shaped) {
    violate(ViolationKind::invalid_choice, 0, no_index, 0.0, 0.0);
    return;
  }
  for (std::size_t c = 0; c < component_count; ++c) {
    const std::size_t s = placement.deployment[c];
    bool valid = s < components[c].deployments.size() &&
                 placement.option[c].size() == components[c].deployments[s].partitions.size();
    for (std::size_t h = 0; valid && h < placement.option[c].size(); ++h)
      valid = placement.option[c][h] < partitions_[deployment_first_[c][s] + h].option_count;
    if (!valid) {
      violate(ViolationKind::invalid_choice, c, no_index, 0.0, 0.0);
      return;
    }
  }

  // Pass 1: load and memory per resource; FaaS memory; no return to the edge.
  // `utilisation` holds Σ D·λ until it is divided by the cluster size in pass 2.
  auto& load = out.utilisation;
  auto& memory = out.memory_used;
  for (std::size_t c = 0; c < component_count; ++c) {
    const std::size_t s = placement.deployment[c];
    bool left_edge = false;
    for (std::size_t h = 0; h < placement.option[c].size(); ++h) {
      const auto& info = option_info(c, s, h, placement.option[c][h]);
      ++out.partitions_on[info.resource];
      if (info.kind == ResourceKind::faas) {
        left_edge = true;
        if (info.memory > resources[info.resource].memory) {
          violate(ViolationKind::memory, info.resource, c, info.memory, resources[info.resource].memory);
          if (stop) return;
        }
        continue;
      }
      load[info.resource] += info.load;
      memory[info.resource] += info.memory;
      if (info.kind == ResourceKind::vm) {
        left_edge = true;
      } else if (left_edge) {
        violate(ViolationKind::return_to_edge, c, h, 0.0, 0.0);
        if (stop) return;
      }
    }
  }

  // Pass 2: cluster sizes, one resource per layer, memory per instance, utilisation.
  std::array<std::size_t, 64> small_layer_user;
  std::vector<std::size_t> large_layer_user;
  std::size_t* layer_user = small_layer_user.data();
  if (problem_.layers.size() > small_layer_user.size()) {
    large_layer_user.resize(problem_.layers.size());
    layer_user = large_layer_user.data();
  }
  std::fill(layer_user, layer_user + problem_.layers.size(), no_index);
  for (std::size_t r = 0; r < resources.size(); ++r) {
    const auto& resource = resources[r];
    if (resource.kind == ResourceKind::faas) continue;
    if (out.partitions_on[r] == 0) continue;
    const int n = placement.instances[r];
    if (n < 1 || n > resource.max_instances) {
      violate(ViolationKind::cluster_size, r, no_index, n, resource.max_instances);
      if (stop) return;
    }
    std::size_t& user = layer_user[resource.layer];
    if (user != no_index && user != r) {
      violate(ViolationKind::layer_conflict, user, r, 0.0, 0.0);
      if (stop) return;
    }
    user = r;
    if (memory[r] > resource.memory) {
      violate(ViolationKind::memory, r, no_index, memory[r], resource.memory);
      if (stop) return;
    }
    load[r] = n >= 1 ? load[r] / n : infinity;
    if (!(load[r] < 1.0)) {
      violate(ViolationKind::unstable, r, no_index, load[r], 1.0);
      if (stop) return;
    }
  }
  const auto& utilisation = out.utilisation;

  // Pass 3: component response times and local constraints.
  for (std::size_t c = 0; c < component_count; ++c) {
    const std::size_t s = placement.deployment[c];
    const std::size_t first = deployment_first_[c][s];
    const std::size_t partition_count = placement.option[c].size();
    if (detailed) out.partition_response_time[c].assign(partition_count, not_a_number);
    double response = 0.0;
    std::size_t previous_resource = no_index;
    for (std::size_t h = 0; h < partition_count; ++h) {
      const auto& partition = partitions_[first + h];
      const auto& info = options_[partition.first_option + placement.option[c][h]];
      double r_h = info.response;
      if (info.kind != ResourceKind::faas) {
        const double u = utilisation[info.resource];
        r_h = u < 1.0 ? info.demand / (1.0 - u) : infinity;
      }
      if (detailed) out.partition_response_time[c][h] = r_h;
      double transfer = 0.0;
      if (h > 0 && previous_resource != info.resource) {
        const std::size_t layer_a = resources[previous_resource].layer;
        const std::size_t layer_b = resources[info.resource].layer;
        transfer = transfer_time(layer_a, layer_b, partitions_[first + h - 1].output_bytes);
        if (!std::isfinite(transfer)) {
          violate(ViolationKind::no_network_domain, layer_a, layer_b, 0.0, 0.0);
          if (stop) return;
        }
      }
      response += partition.weight * (r_h + transfer);
      previous_resource = info.resource;
    }
    out.component_response_time[c] = response;
    if (!(response <= local_bound_[c])) {
      violate(ViolationKind::local_response_time, c, local_constraint_of_[c], response, local_bound_[c]);
      if (stop) return;
    }
  }

  // Pass 4: path constraints.
  for (std::size_t p = 0; p < problem_.path_constraints.size(); ++p) {
    const auto& path = problem_.path_constraints[p];
    double response = 0.0;
    for (std::size_t i = 0; i < path.components.size(); ++i) {
      const std::size_t c = path.components[i];
      response += out.component_response_time[c];
      if (i + 1 == path.components.size()) break;
      const std::size_t next = path.components[i + 1];
      const std::size_t last_h = placement.option[c].size() - 1;
      const std::size_t from = placement.resource_of(problem_, c, last_h);
      const std::size_t to = placement.resource_of(problem_, next, 0);
      if (from == to) continue;
      const auto& last_partition = components[c].deployments[placement.deployment[c]].partitions[last_h];
      const double transfer =
          transfer_time(resources[from].layer, resources[to].layer, bytes_to_component(last_partition, next));
      if (!std::isfinite(transfer)) {
        violate(ViolationKind::no_network_domain, resources[from].layer, resources[to].layer, 0.0, 0.0);
        if (stop) return;
      }
      response += transfer;
    }
    out.path_response_time[p] = response;
    if (!(response <= path.max_response_time)) {
      violate(ViolationKind::path_response_time, p, no_index, response, path.max_response_time);
      if (stop) return;
    }
  }

  // Pass 5: cost, energy, objective.
  const double horizon = problem_.horizon;
  double cost = 0.0;
  double energy = 0.0;
  for (std::size_t r = 0; r < resources.size(); ++r) {
    const auto& resource = resources[r];
    if (resource.kind == ResourceKind::faas || out.partitions_on[r] == 0) continue;
    const double n = std::max(0, placement.instances[r]);
    cost += n * resource.price * horizon;
    const double u = std::min(utilisation[r], 1.0);
    energy += n * (resource.power.idle_w + (resource.power.busy_w - resource.power.idle_w) * u) * horizon;
  }
  for (std::size_t c = 0; c < component_count; ++c) {
    const std::size_t s = placement.deployment[c];
    for (std::size_t h = 0; h < placement.option[c].size(); ++h) {
      const auto& info = option_info(c, s, h, placement.option[c][h]);
      cost += info.faas_cost;
      energy += info.faas_energy;
    }
  }
  out.cost = cost;
  out.energy = energy;
  switch (objective_.kind) {
    case ObjectiveKind::cost:
      out.objective = cost;
      break;
    case ObjectiveKind::cost_energy:
      out.objective = cost + objective_.energy_weight * energy;
      break;
    case ObjectiveKind::energy_capped:
      out.objective = energy;
      if (cost > objective_.cost_cap)
        violate(ViolationKind::cost_cap, no_index, no_index, cost, objective_.cost_cap);
      break;
  }
  out.feasible = out.violation.kind == ViolationKind::none;
  if (!out.feasible && stop) out.objective = infinity;
}

}  // namespace continuum::placement
