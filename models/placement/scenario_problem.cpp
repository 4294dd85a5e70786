#include "models/placement/scenario_problem.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/faas/faas_billing.hpp"

namespace continuum::placement {

namespace {

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument(message);
}

template <typename T>
std::size_t index_of(const std::vector<T>& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return i;
  return no_index;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The scenario says "no memory limit" with 0; the problem compares sums against the memory.
double memory_limit(double memory) {
  return memory > 0.0 ? memory : std::numeric_limits<double>::max();
}

/// Where a FaaS function may be used: a function shared by two partitions that can run at the same
/// time would share its instances in the simulation while the evaluator gives each its own.
struct FunctionUse {
  std::size_t component;
  std::size_t deployment;
  std::size_t partition;
};

class ProblemBuilder {
 public:
  explicit ProblemBuilder(const ScenarioSpec& scenario) : scenario_(scenario) {}

  PlacementProblem build() {
    problem_.name = scenario_.name;
    build_layers();
    build_resources();
    build_domains();
    build_components();
    build_constraints();
    problem_.arrival_rate = source_rate();
    problem_.horizon = scenario_.simulation.horizon - scenario_.simulation.warmup;
    problem_.validate();
    return std::move(problem_);
  }

 private:
  void build_layers() {
    if (!scenario_.topology.links.empty())
      for (const auto& device : scenario_.devices)
        if (!device.site.empty())
          fail("device " + device.name +
               " has a topology site; the placement evaluator models transfers over network domains only");
    for (const auto& name : scenario_.cloud_layers)
      if (!contains(scenario_.layers, name)) fail("cloud layer " + name + " is not a layer of the scenario");
    for (const auto& name : scenario_.layers) {
      ComputationalLayer layer;
      layer.name = name;
      const bool has_faas = std::any_of(scenario_.faas_platforms.begin(), scenario_.faas_platforms.end(),
                                        [&](const FaasPlatformSpec& p) { return p.layer == name; });
      const bool has_devices = std::any_of(scenario_.devices.begin(), scenario_.devices.end(),
                                           [&](const DeviceSpec& d) { return type_of(d).layer == name; });
      if (has_faas && has_devices)
        fail("layer " + name + " holds both devices and FaaS functions; give each its own layer");
      if (has_faas && contains(scenario_.cloud_layers, name))
        fail("layer " + name + " holds FaaS functions, so it cannot be a cloud (VM) layer");
      layer.kind = has_faas                                 ? ResourceKind::faas
                   : contains(scenario_.cloud_layers, name) ? ResourceKind::vm
                                                            : ResourceKind::edge;
      problem_.layers.push_back(std::move(layer));
    }
  }

  const DeviceTypeSpec& type_of(const DeviceSpec& device) const {
    const std::size_t t = index_of(scenario_.device_types, device.type);
    if (t == no_index) fail("device " + device.name + ": unknown device type " + device.type);
    return scenario_.device_types[t];
  }

  std::size_t add_resource(Resource resource, const std::string& layer_name) {
    resource.layer = problem_.find_layer(layer_name);
    if (resource.layer == no_index) fail(resource.name + ": unknown layer " + layer_name);
    resource.kind = problem_.layers[resource.layer].kind;
    problem_.layers[resource.layer].resources.push_back(problem_.resources.size());
    problem_.resources.push_back(std::move(resource));
    return problem_.resources.size() - 1;
  }

  void build_resources() {
    for (const auto& device : scenario_.devices) {
      const DeviceTypeSpec& type = type_of(device);
      Resource resource;
      resource.name = device.name;
      resource.description = "device of type " + type.name;
      resource.max_instances = device.count;
      // Money per second of one instance, as the simulation charges it (purchase prices pro rata).
      resource.price = type.cost.per_second +
                       (type.cost.lifetime > 0.0 ? type.cost.purchase_price / type.cost.lifetime : 0.0);
      resource.memory = memory_limit(type.memory);
      resource.cores = type.cores;
      resource.power = {type.power.idle_w, type.power.busy_w};
      add_resource(std::move(resource), type.layer);
    }
    for (const auto& platform : scenario_.faas_platforms)
      for (const auto& function : platform.functions) {
        if (!std::isfinite(function.keep_alive))
          fail("FaaS function " + function.name + ": the evaluator needs a finite keep_alive");
        if (function.concurrency != 1)
          fail("FaaS function " + function.name +
               ": the evaluator models one request per instance (concurrency 1)");
        Resource resource;
        resource.name = function.name;
        resource.description = "FaaS function of platform " + platform.name;
        resource.price = warm_second_price(function, platform.pricing());
        resource.memory = memory_limit(function.memory);
        resource.keep_alive = function.keep_alive;
        resource.transition_cost = platform.price_per_invocation;
        functions_.push_back(&function);
        function_uses_.emplace_back();
        add_resource(std::move(resource), platform.layer);
      }
  }

  void build_domains() {
    for (const auto& spec : scenario_.domains) {
      NetworkDomain domain;
      domain.name = spec.name;
      for (const auto& layer : spec.layers) domain.layers.push_back(problem_.find_layer(layer));
      domain.access_delay = spec.access_delay;
      domain.bandwidth = spec.bandwidth;
      problem_.domains.push_back(std::move(domain));
    }
  }

  /// Mean service time of `partition` on `device`: its measured demand there, else flop / speed.
  std::optional<double> device_demand(const PartitionSpec& partition, const DeviceSpec& device) const {
    const DeviceTypeSpec& type = type_of(device);
    if (const auto demand = partition.demand.find(type.name); demand != partition.demand.end())
      return demand->second.mean();
    if (partition.flop && type.speed > 0.0) return partition.flop->mean() / type.speed;
    return std::nullopt;
  }

  PlacementOption device_option(const PartitionSpec& partition, std::size_t device, double demand) const {
    PlacementOption option;
    option.resource = device;  // devices come first among the resources
    option.memory = partition.memory;
    option.demand = demand;
    option.model = ResponseModel::processor_sharing;
    return option;
  }

  std::vector<PlacementOption> options_of(const PartitionSpec& partition, const std::string& where,
                                          std::size_t c, std::size_t s, std::size_t h) {
    std::vector<PlacementOption> options;
    if (partition.candidates.empty()) {
      for (std::size_t d = 0; d < scenario_.devices.size(); ++d) {
        const auto demand = device_demand(partition, scenario_.devices[d]);
        const double memory = type_of(scenario_.devices[d]).memory;
        if (demand && (memory <= 0.0 || partition.memory <= memory))
          options.push_back(device_option(partition, d, *demand));
      }
      if (options.empty())
        fail(where + ": no device has a demand for it and enough memory; list its `candidates`");
      return options;
    }
    for (const auto& name : partition.candidates) {
      const std::size_t r = problem_.find_resource(name);
      if (r == no_index) fail(where + ": unknown candidate " + name);
      if (r < scenario_.devices.size()) {
        const auto demand = device_demand(partition, scenario_.devices[r]);
        if (!demand)
          fail(where + ": candidate " + name + " has no demand for it (no `demand` for device type " +
               scenario_.devices[r].type + ", and no `flop` with a device speed)");
        options.push_back(device_option(partition, r, *demand));
        continue;
      }
      const std::size_t f = r - scenario_.devices.size();
      const FaasFunctionSpec& function = *functions_[f];
      for (const auto& use : function_uses_[f])
        if (use.component != c || (use.deployment == s && use.partition != h))
          fail(where + ": FaaS function " + name + " is also a candidate of partition " +
               scenario_.application.components[use.component]
                   .deployments[use.deployment]
                   .partitions[use.partition]
                   .name +
               " of component " + scenario_.application.components[use.component].name +
               "; the two could run at once and would share its instances — give each its own function");
      function_uses_[f].push_back({c, s, h});
      PlacementOption option;
      option.resource = r;
      option.memory = partition.memory;
      option.demand = function.warm.mean();
      option.cold_demand = function.cold.mean() + function.startup_delay;
      option.model = ResponseModel::faas;
      options.push_back(option);
    }
    return options;
  }

  void build_components() {
    const auto& app = scenario_.application;
    for (std::size_t c = 0; c < app.components.size(); ++c) {
      const ComponentSpec& spec = app.components[c];
      Component component;
      component.name = spec.name;
      for (std::size_t s = 0; s < spec.deployments.size(); ++s) {
        const DeploymentSpec& deployment_spec = spec.deployments[s];
        Deployment deployment;
        deployment.name = deployment_spec.name;
        for (std::size_t h = 0; h < deployment_spec.partitions.size(); ++h) {
          const PartitionSpec& partition_spec = deployment_spec.partitions[h];
          Partition partition;
          partition.name = partition_spec.name;
          partition.early_exit_probability = partition_spec.early_exit;
          partition.output_bytes = partition_spec.output_bytes;
          partition.options = options_of(partition_spec,
                                         "component " + spec.name + ", deployment " + deployment_spec.name +
                                             ", partition " + partition_spec.name,
                                         c, s, h);
          deployment.partitions.push_back(std::move(partition));
        }
        // The last partition sends each successor the data of its DAG edge.
        for (const auto& edge : app.edges)
          if (edge.from == spec.name)
            deployment.partitions.back().to_components.push_back(
                {index_of(app.components, edge.to), edge.data_bytes});
        component.deployments.push_back(std::move(deployment));
      }
      problem_.components.push_back(std::move(component));
    }
    for (const auto& edge : app.edges)
      problem_.edges.push_back(
          {index_of(app.components, edge.from), index_of(app.components, edge.to), edge.probability});
  }

  void build_constraints() {
    const auto& app = scenario_.application;
    for (std::size_t c = 0; c < app.components.size(); ++c)
      if (app.components[c].local_constraint)
        problem_.local_constraints.push_back({c, *app.components[c].local_constraint});
    for (const auto& spec : app.path_constraints) {
      PathConstraint path;
      path.name = spec.name;
      for (const auto& name : spec.components) path.components.push_back(index_of(app.components, name));
      path.max_response_time = spec.limit;
      problem_.path_constraints.push_back(std::move(path));
    }
  }

  /// SPACE4AI-D's λ: every component without a predecessor receives it, from Poisson sources.
  double source_rate() const {
    const auto& components = scenario_.application.components;
    std::vector<double> entering(components.size(), 0.0);
    for (const auto& source : scenario_.sources) {
      if (source.arrivals.process != ArrivalSpec::Process::poisson)
        fail("source " + source.name +
             ": the evaluator assumes Poisson arrivals (SPACE4AI-D); give it process: poisson");
      const std::size_t c = index_of(components, source.entry);
      if (c == no_index) fail("source " + source.name + ": unknown entry component " + source.entry);
      entering[c] += source.arrivals.rate;
    }
    std::vector<bool> has_predecessor(components.size(), false);
    for (const auto& edge : scenario_.application.edges)
      has_predecessor[index_of(components, edge.to)] = true;
    double rate = 0.0;
    std::string first;
    for (std::size_t c = 0; c < components.size(); ++c) {
      if (has_predecessor[c]) {
        if (entering[c] > 0.0)
          fail("a source enters component " + components[c].name +
               ", which has a predecessor; the evaluator lets requests enter only at the start of the DAG");
        continue;
      }
      if (!(entering[c] > 0.0)) fail("component " + components[c].name + " has no predecessor and no source");
      if (first.empty()) {
        rate = entering[c];
        first = components[c].name;
      } else if (std::abs(entering[c] - rate) > 1e-9 * rate) {
        fail("components " + first + " and " + components[c].name +
             " receive different arrival rates; the evaluator has one rate for every entry component");
      }
    }
    return rate;
  }

  const ScenarioSpec& scenario_;
  PlacementProblem problem_;
  std::vector<const FaasFunctionSpec*> functions_;       // resources after the devices, in order
  std::vector<std::vector<FunctionUse>> function_uses_;  // per function: partitions listing it
};

}  // namespace

PlacementProblem placement_problem_from_scenario(const ScenarioSpec& scenario) {
  return ProblemBuilder(scenario).build();
}

ScenarioDesign scenario_design(const PlacementProblem& problem, const Placement& placement) {
  ScenarioDesign design;
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    const Component& component = problem.components[c];
    const Deployment& deployment = component.deployments[placement.deployment[c]];
    ComponentPlacement& target = design.placement[component.name];
    target.deployment = deployment.name;
    for (std::size_t h = 0; h < deployment.partitions.size(); ++h) {
      const std::size_t r = placement.resource_of(problem, c, h);
      const Resource& resource = problem.resources[r];
      if (resource.kind == ResourceKind::faas) {
        target.partitions[deployment.partitions[h].name] = {PlacementTarget::Kind::faas, resource.name};
      } else {
        target.partitions[deployment.partitions[h].name] = {PlacementTarget::Kind::device, resource.name};
        design.device_counts[resource.name] = placement.instances[r];
      }
    }
  }
  return design;
}

ScenarioSpec apply_design(ScenarioSpec scenario, const ScenarioDesign& design) {
  scenario.placement = design.placement;
  std::vector<DeviceSpec> used;
  for (auto& device : scenario.devices) {
    const auto count = design.device_counts.find(device.name);
    if (count == design.device_counts.end()) continue;
    device.count = count->second;
    used.push_back(std::move(device));
  }
  scenario.devices = std::move(used);
  for (auto& component : scenario.application.components)
    for (auto& deployment : component.deployments)
      for (auto& partition : deployment.partitions) partition.candidates.clear();
  return scenario;
}

}  // namespace continuum::placement
