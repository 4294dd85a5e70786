#include "models/placement/random_instance.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "sim/engine/random.hpp"

namespace continuum::placement {

RandomInstanceSpec space4ai_scalability_spec(int scenario) {
  if (scenario < 1 || scenario > 4)
    throw std::invalid_argument("SPACE4AI-D scalability scenarios are 1 to 4");
  RandomInstanceSpec spec;
  const RandomLayerSpec drone{ResourceKind::edge, 2, 1.0, 2.0, 4.0, 5.0, 2.0, 6.0};
  const RandomLayerSpec edge{ResourceKind::edge, 4, 1.0, 5.0, 6.0, 8.0, 10.0, 40.0};
  const RandomLayerSpec vm{ResourceKind::vm, 4, 0.5, 2.0, 0.2, 2.6, 60.0, 200.0};
  RandomLayerSpec faas{ResourceKind::faas, 5, 2.0, 5.0, 0.2, 0.6, 0.0, 30.0};
  static constexpr int components[] = {5, 7, 10, 15};
  static constexpr int edge_layers[] = {1, 2, 2, 2};
  static constexpr int vm_layers[] = {2, 2, 3, 4};
  static constexpr int faas_resources[] = {2, 5, 5, 5};
  static constexpr double local_range[][2] = {{120, 150}, {150, 200}, {300, 350}, {350, 400}};
  static constexpr double path_range[][2] = {{200, 250}, {350, 400}, {350, 400}, {450, 500}};
  static constexpr int constraints[] = {1, 2, 3, 4};
  const auto i = static_cast<std::size_t>(scenario - 1);
  spec.components = components[i];
  spec.layers.push_back(drone);
  for (int l = 0; l < edge_layers[i]; ++l) spec.layers.push_back(edge);
  for (int l = 0; l < vm_layers[i]; ++l) spec.layers.push_back(vm);
  faas.resources = faas_resources[i];
  spec.layers.push_back(faas);
  spec.local_low = local_range[i][0];
  spec.local_high = local_range[i][1];
  spec.path_low = path_range[i][0];
  spec.path_high = path_range[i][1];
  spec.local_constraints = constraints[i];
  spec.path_constraints = constraints[i];
  return spec;
}

PlacementProblem random_instance(const RandomInstanceSpec& spec, std::uint64_t seed) {
  if (spec.components < 1 || spec.layers.empty() || spec.max_deployments < 1 || spec.max_partitions < 1 ||
      spec.min_instances < 1 || spec.max_instances < spec.min_instances)
    throw std::invalid_argument("random_instance: inconsistent specification");
  RandomEngine engine(stream_seed(seed, "placement/random_instance"));
  auto uniform = [&engine](double low, double high) {
    return low < high ? boost::random::uniform_real_distribution<double>(low, high)(engine) : low;
  };
  auto integer = [&engine](int low, int high) {
    return boost::random::uniform_int_distribution<int>(low, high)(engine);
  };
  auto chance = [&engine](double p) { return boost::random::bernoulli_distribution<double>(p)(engine); };

  PlacementProblem problem;
  problem.name = "random-" + std::to_string(seed);
  problem.arrival_rate = spec.arrival_rate;
  problem.horizon = 3600.0;

  // Layers and resources.
  std::vector<std::size_t> compute_layers;  // edge and VM layers, in order
  std::size_t faas_layer = no_index;
  std::size_t counter[3] = {0, 0, 0};
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const auto& layer_spec = spec.layers[l];
    ComputationalLayer layer{"computationallayer" + std::to_string(l + 1), layer_spec.kind, {}};
    for (int j = 0; j < layer_spec.resources; ++j) {
      Resource resource;
      const auto kind_index = static_cast<std::size_t>(layer_spec.kind);
      const char* prefix = layer_spec.kind == ResourceKind::edge ? "EN"
                           : layer_spec.kind == ResourceKind::vm ? "VM"
                                                                 : "F";
      resource.name = prefix + std::to_string(++counter[kind_index]);
      resource.kind = layer_spec.kind;
      resource.layer = l;
      resource.max_instances =
          layer_spec.kind == ResourceKind::faas ? 1 : integer(spec.min_instances, spec.max_instances);
      resource.price = uniform(layer_spec.price_low, layer_spec.price_high) / 3600.0;
      resource.memory = spec.resource_memory;
      resource.keep_alive = 600.0;
      resource.power = {layer_spec.idle_w, layer_spec.busy_w};
      layer.resources.push_back(problem.resources.size());
      problem.resources.push_back(resource);
    }
    if (layer_spec.kind == ResourceKind::faas) {
      if (faas_layer == no_index) faas_layer = l;
    } else {
      compute_layers.push_back(l);
    }
    problem.layers.push_back(layer);
  }

  // Network: edge layers, cloud layers, and one slower domain joining everything.
  NetworkDomain edge_domain{"ND1", {}, 0.001, 2e9};
  NetworkDomain cloud_domain{"ND2", {}, 0.001, 1.5e9};
  NetworkDomain all_domain{"ND3", {}, 0.001, 1e9};
  for (std::size_t l = 0; l < problem.layers.size(); ++l) {
    (problem.layers[l].kind == ResourceKind::edge ? edge_domain : cloud_domain).layers.push_back(l);
    all_domain.layers.push_back(l);
  }
  for (auto* domain : {&edge_domain, &cloud_domain, &all_domain})
    if (!domain->layers.empty()) problem.domains.push_back(*domain);

  // DAG: a chain c1 → c2 → … with an occasional skip edge, so every component is reachable.
  const auto component_count = static_cast<std::size_t>(spec.components);
  std::vector<std::vector<std::size_t>> successors(component_count);
  for (std::size_t c = 0; c + 1 < component_count; ++c) {
    successors[c].push_back(c + 1);
    if (c + 2 < component_count && chance(0.4))
      successors[c].push_back(
          static_cast<std::size_t>(integer(static_cast<int>(c + 2), spec.components - 1)));
    std::vector<double> weights;
    double total = 0.0;
    for (std::size_t k = 0; k < successors[c].size(); ++k) total += weights.emplace_back(uniform(0.2, 1.0));
    for (std::size_t k = 0; k < successors[c].size(); ++k)
      problem.edges.push_back({c, successors[c][k], weights[k] / total});
  }

  // Components: each may use a window of consecutive compute layers, and FaaS with probability ½.
  for (std::size_t c = 0; c < component_count; ++c) {
    Component component;
    component.name = "c" + std::to_string(c + 1);
    std::vector<std::size_t> allowed;
    if (!compute_layers.empty()) {
      const int last = static_cast<int>(compute_layers.size()) - 1;
      const int first = integer(0, last);
      const int end = std::min(last, first + integer(0, 2));
      for (int i = first; i <= end; ++i) allowed.push_back(compute_layers[static_cast<std::size_t>(i)]);
    }
    if (faas_layer != no_index && (allowed.empty() || chance(0.5))) allowed.push_back(faas_layer);
    std::vector<std::size_t> allowed_resources;
    for (std::size_t l : allowed)
      for (std::size_t r : problem.layers[l].resources) allowed_resources.push_back(r);

    int partition_counter = 0;
    const int deployments = integer(1, spec.max_deployments);
    for (int s = 0; s < deployments; ++s) {
      Deployment deployment;
      deployment.name = "s" + std::to_string(s + 1);
      const int partitions = integer(1, spec.max_partitions);
      for (int h = 0; h < partitions; ++h) {
        Partition partition;
        partition.name = "h" + std::to_string(++partition_counter);
        const bool last = h + 1 == partitions;
        partition.early_exit_probability = last ? 0.0 : uniform(0.0, spec.exit_probability_high);
        partition.output_bytes = last ? 0.0 : uniform(spec.data_low, spec.data_high);
        if (last)
          for (std::size_t successor : successors[c])
            partition.to_components.push_back({successor, uniform(spec.data_low, spec.data_high)});
        // A deeper split cuts the network into smaller pieces.
        const double share = 1.0 / partitions;
        // As in the SPACE4AI-D instances, a partition may run on every resource of its
        // component's layers; demands and memory differ per resource.
        for (std::size_t r : allowed_resources) {
          const auto& layer_spec = spec.layers[problem.resources[r].layer];
          PlacementOption option;
          option.resource = r;
          option.memory = uniform(spec.memory_low, spec.memory_high) * share;
          option.demand = uniform(layer_spec.demand_low, layer_spec.demand_high) * share;
          if (problem.resources[r].kind == ResourceKind::faas) {
            option.model = ResponseModel::faas;
            option.cold_demand = option.demand * uniform(1.2, 1.6);
          }
          partition.options.push_back(option);
        }
        deployment.partitions.push_back(std::move(partition));
      }
      component.deployments.push_back(std::move(deployment));
    }
    problem.components.push_back(std::move(component));
  }

  // Constraints.
  for (int i = 0; i < spec.local_constraints && static_cast<std::size_t>(i) < component_count; ++i) {
    const auto c = static_cast<std::size_t>(integer(0, spec.components - 1));
    bool taken = false;
    for (const auto& constraint : problem.local_constraints) taken = taken || constraint.component == c;
    if (!taken) problem.local_constraints.push_back({c, uniform(spec.local_low, spec.local_high)});
  }
  for (int i = 0; i < spec.path_constraints; ++i) {
    PathConstraint path;
    path.name = "p" + std::to_string(i + 1);
    std::size_t c = static_cast<std::size_t>(integer(0, spec.components - 1));
    path.components.push_back(c);
    const int length = integer(2, 3);
    while (static_cast<int>(path.components.size()) < length && !successors[c].empty()) {
      c = successors[c][static_cast<std::size_t>(integer(0, static_cast<int>(successors[c].size()) - 1))];
      path.components.push_back(c);
    }
    path.max_response_time = uniform(spec.path_low, spec.path_high);
    problem.path_constraints.push_back(std::move(path));
  }
  problem.validate();
  return problem;
}

}  // namespace continuum::placement
