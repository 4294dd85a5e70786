#pragma once
// Shared by the placement policy tests: small generated instances, and a feasibility checker
// written from the formulas of MODELS.md §4 without the evaluator's code, so that a policy's
// report is confirmed by an independent computation.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "models/analytic/faas_steady_state.hpp"
#include "models/placement/placement.hpp"
#include "models/placement/placement_problem.hpp"
#include "models/placement/random_instance.hpp"

namespace continuum::placement::testing {

/// 2–4 components, up to 3 deployments of up to 3 partitions, two edge layers (3 and 2 devices),
/// one VM layer (3 types), 3 FaaS configurations, clusters of 1–3, two local and two path bounds.
inline RandomInstanceSpec small_spec(int components) {
  RandomInstanceSpec spec;
  spec.components = components;
  spec.max_deployments = 3;
  spec.max_partitions = 3;
  spec.min_instances = 1;
  spec.max_instances = 3;
  spec.layers = {{ResourceKind::edge, 3, 1.0, 5.0, 4.0, 8.0, 5.0, 20.0},
                 {ResourceKind::edge, 2, 1.0, 5.0, 4.0, 8.0, 5.0, 20.0},
                 {ResourceKind::vm, 3, 0.5, 2.0, 0.2, 2.6, 80.0, 200.0},
                 {ResourceKind::faas, 3, 2.0, 5.0, 0.2, 0.6, 0.0, 40.0}};
  spec.arrival_rate = 0.2;
  spec.local_constraints = 2;
  spec.path_constraints = 2;
  spec.local_low = 4.0;
  spec.local_high = 8.0;
  spec.path_low = 8.0;
  spec.path_high = 14.0;
  return spec;
}

struct Check {
  bool feasible = false;
  double cost = std::numeric_limits<double>::quiet_NaN();
  std::string why;
};

/// Recomputes feasibility and cost of `placement` from first principles.
inline Check independent_check(const PlacementProblem& problem, const Placement& placement) {
  const std::size_t C = problem.components.size();
  const std::size_t R = problem.resources.size();
  Check check;
  auto fail = [&check](std::string why) {
    check.feasible = false;
    check.why = std::move(why);
    return check;
  };
  // Component rates: iterate the propagation C times (a DAG settles within C rounds).
  std::vector<double> rate(C, 0.0);
  for (std::size_t round = 0; round <= C; ++round) {
    std::vector<double> next(C, 0.0);
    for (std::size_t c = 0; c < C; ++c) {
      bool source = true;
      for (const auto& edge : problem.edges)
        if (edge.to == c) {
          source = false;
          next[c] += edge.probability * rate[edge.from];
        }
      if (source) next[c] = problem.arrival_rate;
    }
    rate = next;
  }
  struct Placed {
    std::size_t resource;
    const PlacementOption* option;
    double rate;
    double weight;
    double bytes_before;  // data received from the previous partition
  };
  std::vector<std::vector<Placed>> placed(C);
  std::vector<double> load(R, 0.0), memory(R, 0.0);
  std::vector<bool> used(R, false);
  for (std::size_t c = 0; c < C; ++c) {
    const auto& deployment = problem.components[c].deployments.at(placement.deployment.at(c));
    double partition_rate = rate[c];
    double weight = 1.0;
    double bytes = 0.0;
    bool in_cloud = false;
    for (std::size_t h = 0; h < deployment.partitions.size(); ++h) {
      const auto& partition = deployment.partitions[h];
      const auto& option = partition.options.at(placement.option.at(c).at(h));
      const auto& resource = problem.resources[option.resource];
      if (resource.kind == ResourceKind::edge && in_cloud) return fail("back to the edge");
      if (resource.kind != ResourceKind::edge) in_cloud = true;
      if (resource.kind == ResourceKind::faas) {
        if (option.memory > resource.memory) return fail("FaaS memory");
      } else {
        used[option.resource] = true;
        load[option.resource] += option.demand * partition_rate;
        memory[option.resource] += option.memory;
      }
      placed[c].push_back({option.resource, &option, partition_rate, weight, bytes});
      bytes = partition.output_bytes;
      weight *= 1.0 - partition.early_exit_probability;
      partition_rate *= 1.0 - partition.early_exit_probability;
    }
  }
  std::vector<int> users(problem.layers.size(), 0);
  for (std::size_t r = 0; r < R; ++r) {
    if (!used[r]) continue;
    const auto& resource = problem.resources[r];
    const int n = placement.instances[r];
    if (n < 1 || n > resource.max_instances) return fail("cluster size of " + resource.name);
    if (++users[resource.layer] > 1)
      return fail("two resources in layer " + problem.layers[resource.layer].name);
    if (memory[r] > resource.memory) return fail("memory of " + resource.name);
    if (load[r] / n >= 1.0) return fail("utilisation of " + resource.name);
  }
  auto transfer = [&](std::size_t from, std::size_t to, double bytes) {
    if (from == to) return 0.0;
    double best = std::numeric_limits<double>::infinity();
    for (const auto& domain : problem.domains) {
      const auto has = [&](std::size_t layer) {
        return std::find(domain.layers.begin(), domain.layers.end(), layer) != domain.layers.end();
      };
      if (has(problem.resources[from].layer) && has(problem.resources[to].layer))
        best = std::min(best, domain.access_delay + 8.0 * bytes / domain.bandwidth);
    }
    return best;
  };
  std::vector<double> response(C, 0.0);
  for (std::size_t c = 0; c < C; ++c) {
    for (std::size_t h = 0; h < placed[c].size(); ++h) {
      const auto& p = placed[c][h];
      const auto& resource = problem.resources[p.resource];
      double r;
      if (resource.kind == ResourceKind::faas)
        r = p.rate > 0 ? analytic::faas_steady_state(
                             {p.rate, p.option->demand, p.option->cold_demand, resource.keep_alive})
                             .average_response_time
                       : p.option->cold_demand;
      else
        r = p.option->demand / (1.0 - load[p.resource] / placement.instances[p.resource]);
      const double t = h == 0 ? 0.0 : transfer(placed[c][h - 1].resource, p.resource, p.bytes_before);
      response[c] += p.weight * (r + t);
    }
  }
  for (const auto& constraint : problem.local_constraints)
    if (!(response[constraint.component] <= constraint.max_response_time * (1 + 1e-9)))
      return fail("local bound");
  for (const auto& path : problem.path_constraints) {
    double total = 0.0;
    for (std::size_t i = 0; i < path.components.size(); ++i) {
      const std::size_t c = path.components[i];
      total += response[c];
      if (i + 1 < path.components.size()) {
        const std::size_t next = path.components[i + 1];
        const auto& last = problem.components[c].deployments[placement.deployment[c]].partitions.back();
        total += transfer(placed[c].back().resource, placed[next].front().resource,
                          bytes_to_component(last, next));
      }
    }
    if (!(total <= path.max_response_time * (1 + 1e-9))) return fail("path bound " + path.name);
  }
  double cost = 0.0;
  for (std::size_t r = 0; r < R; ++r)
    if (used[r]) cost += placement.instances[r] * problem.resources[r].price * problem.horizon;
  for (std::size_t c = 0; c < C; ++c)
    for (const auto& p : placed[c]) {
      const auto& resource = problem.resources[p.resource];
      if (resource.kind == ResourceKind::faas)
        cost += (resource.price * p.option->demand + resource.transition_cost) * p.rate * problem.horizon;
    }
  check.feasible = true;
  check.cost = cost;
  return check;
}

}  // namespace continuum::placement::testing
