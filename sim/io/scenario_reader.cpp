// Scenario sections that describe the infrastructure: simulation, layers, device types, network,
// devices; plus the entry point and the shared helpers. The application, placement and workload
// are in scenario_application.cpp.
#include "sim/io/scenario_reader.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "policies/faas/keep_alive_registry.hpp"

namespace continuum::io::detail {

namespace {
constexpr std::int64_t int_max = std::numeric_limits<int>::max();
}  // namespace

const std::map<std::string, std::vector<std::string>>& ScenarioReader::schema() {
  static const std::map<std::string, std::vector<std::string>> table{
      {"scenario",
       {"name", "description", "simulation", "layers", "device_types", "devices", "network", "application",
        "placement", "workload", "faas", "early_exit", "cloud_layers"}},
      {"early_exit",
       {"mode", "edge_device", "cloud_device", "split_gate", "split_bytes", "link", "offload_overhead",
        "gates", "inputs", "policy"}},
      {"early_exit gate", {"name", "accuracy", "time"}},
      {"early_exit link", {"delay", "bandwidth", "tx_power", "rx_power", "serialize"}},
      {"early_exit inputs", {"table", "order", "synthetic"}},
      {"synthetic inputs", {"sharpness", "noise", "labels", "classes"}},
      {"input class", {"name", "weight", "difficulty"}},
      {"difficulty", {"alpha", "beta"}},
      {"faas platform",
       {"layer", "price_per_gb_second", "price_per_invocation", "bill_cold_time", "billing", "functions"}},
      {"faas function",
       {"memory", "warm", "cold", "keep_alive", "max_instances", "concurrency", "startup_delay",
        "price_per_warm_second", "keep_alive_policy"}},
      {"simulation",
       {"horizon", "warmup", "seed", "replications", "max_events", "max_requests", "drain_limit"}},
      {"device type",
       {"layer", "cores", "speed", "memory", "buffer", "discipline", "power", "cost", "failures"}},
      {"power", {"idle", "busy"}},
      {"purchase cost", {"purchase", "lifetime"}},
      {"failures", {"mttf", "mttr", "on_failure", "max_retries", "retry_delay"}},
      {"device", {"type", "count", "dispatch", "site"}},
      {"network", {"domains", "topology"}},
      {"network domain",
       {"layers", "access_delay", "bandwidth", "tx_power", "rx_power", "cost_per_GB", "outages"}},
      {"outages", {"windows", "mttf", "mttr", "on_failure", "max_retries", "retry_delay"}},
      {"topology", {"sites", "links"}},
      {"link", {"name", "between", "latency", "bandwidth", "energy_per_bit", "outages"}},
      {"application", {"components", "edges", "path_constraints"}},
      {"component", {"constraint", "deployments"}},
      {"deployment", {"name", "partitions"}},
      {"partition", {"name", "memory", "demand", "flop", "output", "early_exit", "candidates"}},
      {"edge", {"from", "to", "probability", "data"}},
      {"path constraint", {"name", "path", "limit"}},
      {"component placement", {"deployment", "partitions"}},
      {"placement target", {"faas"}},
      {"source", {"name", "entry", "arrivals"}},
      {"poisson arrivals", {"process", "rate"}},
      {"deterministic arrivals", {"process", "rate"}},
      {"renewal arrivals", {"process", "gaps"}},
      {"mmpp arrivals", {"process", "rates", "switch_rates"}},
      {"piecewise arrivals", {"process", "starts", "rates", "period"}},
      {"trace arrivals", {"process", "file", "column"}},
      {"exponential distribution", {"dist", "mean"}},
      {"deterministic distribution", {"dist", "value"}},
      {"erlang distribution", {"dist", "k", "mean"}},
      {"hyperexponential distribution", {"dist", "mean", "scv"}},
      {"lognormal distribution", {"dist", "mean", "scv"}},
      {"gamma distribution", {"dist", "mean", "scv"}},
      {"uniform distribution", {"dist", "low", "high"}},
      {"empirical distribution", {"dist", "file", "column", "values"}},
  };
  return table;
}

ScenarioReader::ScenarioReader(const YamlSource& source, std::filesystem::path base_dir)
    : source_(source), base_dir_(std::move(base_dir)) {}

void ScenarioReader::unknown_name(const Field& at, std::string_view what, const std::string& name,
                                  const std::vector<std::string>& known) {
  at.fail("unknown " + std::string(what) + " " + quote(name) +
          hint_and_list(name, known, "known " + std::string(what) + "s"));
}

ScenarioSpec ScenarioReader::read(const YAML::Node& root) {
  const Field top(source_, root, "", YAML::Mark());
  if (!top.is_map())
    top.fail("expected a mapping of scenario fields at the top level, got " + top.describe());
  const Mapping scenario(top, keys("scenario"), "a scenario");
  spec_.name = scenario.require("name", "the scenario's name").name("scenario name");
  if (const auto description = scenario.get("description"))
    spec_.description = description->scalar("free text");

  read_simulation(
      scenario.get("simulation").value_or(Field(source_, YAML::Node(), "simulation", top.mark())));
  if (const auto layers = scenario.get("layers")) read_layers(*layers);
  // A scenario may run entirely on FaaS: devices are then optional.
  const bool has_faas = scenario.has("faas");
  if (const auto types = scenario.get("device_types"))
    read_device_types(*types);
  else if (!has_faas)
    scenario.require("device_types", "a mapping of device type names to their definitions");
  if (const auto faas = scenario.get("faas")) read_faas(*faas);  // before the network: it adds its layers
  if (const auto network = scenario.get("network")) read_network(*network);
  if (const auto devices = scenario.get("devices"))
    read_devices(*devices);
  else if (!has_faas)
    scenario.require("devices", "a mapping of device names to {type, count, ...}");
  if (const auto cloud = scenario.get("cloud_layers"))
    read_cloud_layers(*cloud);  // once every layer is known
  if (const auto early_exit = scenario.get("early_exit")) {
    // An early-exit pipeline is its own model: no component graph to place, no FaaS, no domains.
    for (const Mapping::Entry& entry : scenario.entries())
      if (entry.key == "application" || entry.key == "placement" || entry.key == "faas" ||
          entry.key == "network")
        entry.key_field.fail("an early-exit scenario (with `early_exit`) takes no " + quote(entry.key) +
                             "; its devices and link are given in the early_exit section");
    read_early_exit(*early_exit, scenario.require("workload", "a list with one source {name, arrivals}"));
    return std::move(spec_);
  }
  read_application(scenario.require("application", "a mapping with components, edges and path_constraints"));
  read_placement(scenario.require("placement", "a mapping of component names to {deployment, partitions}"));
  check_placed_demands_and_memory();
  check_network_reachability();
  read_workload(scenario.require("workload", "a list of sources {name, entry, arrivals}"));
  return std::move(spec_);
}

void ScenarioReader::read_simulation(const Field& field) {
  SimulationSpec& sim = spec_.simulation;
  if (field.is_null()) return;  // all defaults
  const Mapping m(field, keys("simulation"), "simulation");
  if (const auto f = m.get("horizon")) sim.horizon = f->quantity(Dimension::time, Bound::positive);
  if (const auto f = m.get("warmup")) {
    sim.warmup = f->quantity(Dimension::time, Bound::non_negative);
    if (sim.warmup >= sim.horizon)
      f->fail("the warm-up must end before the horizon (" + compact(sim.horizon) +
              " s): nothing would be measured");
  }
  if (const auto f = m.get("seed")) sim.seed = f->unsigned_integer(0);
  if (const auto f = m.get("replications")) sim.replications = static_cast<int>(f->integer(1, int_max));
  if (const auto f = m.get("max_events")) sim.max_events = f->unsigned_integer(1);
  if (const auto f = m.get("max_requests")) sim.max_requests = f->unsigned_integer(1);
  if (const auto f = m.get("drain_limit"))
    sim.drain_limit = f->quantity(Dimension::time, Bound::non_negative);
}

void ScenarioReader::read_layers(const Field& field) {
  layers_declared_ = true;
  const auto items = field.items("layer names");
  if (items.empty()) field.fail("expected at least one layer name (or leave `layers` out to collect them)");
  for (const Field& item : items) check_unique(item, item.name("layer name"), spec_.layers, "layer");
}

void ScenarioReader::read_cloud_layers(const Field& field) {
  for (const Field& item : field.items("layer names")) {
    const std::string layer = item.name("layer name");
    if (std::find(spec_.layers.begin(), spec_.layers.end(), layer) == spec_.layers.end())
      unknown_name(item, "layer", layer, spec_.layers);
    check_unique(item, layer, spec_.cloud_layers, "cloud layer");
  }
}

void ScenarioReader::read_device_types(const Field& field) {
  const Mapping types = Mapping::of_names(field, "device type", "device type names to their definitions");
  if (types.entries().empty()) field.fail("expected at least one device type");
  for (const auto& entry : types.entries()) {
    device_type_names_.push_back(entry.key);
    spec_.device_types.push_back(read_device_type(entry));
  }
}

DeviceTypeSpec ScenarioReader::read_device_type(const Mapping::Entry& entry) {
  DeviceTypeSpec type;
  type.name = entry.key;
  const Mapping m(entry.value, keys("device type"), "a device type");
  const Field layer = m.require("layer", "the computational layer, e.g. edge or cloud");
  type.layer = layer.name("layer name");
  if (layers_declared_) {
    if (std::find(spec_.layers.begin(), spec_.layers.end(), type.layer) == spec_.layers.end())
      unknown_name(layer, "layer", type.layer, spec_.layers);
  } else if (std::find(spec_.layers.begin(), spec_.layers.end(), type.layer) == spec_.layers.end()) {
    spec_.layers.push_back(type.layer);  // in order of appearance
  }
  if (const auto f = m.get("cores")) type.cores = static_cast<int>(f->integer(1, int_max));
  if (const auto f = m.get("speed")) type.speed = f->quantity(Dimension::flop_rate, Bound::positive);
  memory_given_[type.name] = false;
  if (const auto f = m.get("memory")) {
    type.memory = f->quantity(Dimension::data, Bound::positive);
    memory_given_[type.name] = true;
  }
  if (const auto f = m.get("buffer")) type.buffer = f->unsigned_integer(0);
  if (const auto f = m.get("discipline"))
    type.discipline = f->choice({"fcfs", "ps"}, "discipline") == "ps" ? Discipline::ps : Discipline::fcfs;
  if (const auto f = m.get("power")) {
    const Mapping power(*f, keys("power"), "power");
    if (const auto idle = power.get("idle"))
      type.power.idle_w = idle->quantity(Dimension::power, Bound::non_negative);
    type.power.busy_w = type.power.idle_w;  // constant power unless said otherwise
    if (const auto busy = power.get("busy")) {
      type.power.busy_w = busy->quantity(Dimension::power, Bound::non_negative);
      if (type.power.busy_w < type.power.idle_w)
        busy->fail("busy power is below idle power; power = idle + (busy - idle) * busy cores / cores");
    }
  }
  if (const auto f = m.get("cost")) {
    if (f->is_map()) {
      const Mapping cost(*f, keys("purchase cost"), "a purchase cost");
      type.cost.purchase_price =
          cost.require("purchase", "a price such as 75").quantity(Dimension::money, Bound::non_negative);
      type.cost.lifetime =
          cost.require("lifetime", "a time such as 3y").quantity(Dimension::time, Bound::positive);
    } else {
      type.cost.per_second = f->quantity(Dimension::money_rate, Bound::non_negative);
    }
  }
  if (const auto f = m.get("failures")) {
    const Mapping failures(*f, keys("failures"), "failures");
    FailureSpec spec;
    spec.mttf = failures.require("mttf", "a mean time to failure such as 1000h")
                    .quantity(Dimension::time, Bound::positive);
    spec.mttr = failures.require("mttr", "a mean time to repair such as 1h")
                    .quantity(Dimension::time, Bound::positive);
    if (const auto g = failures.get("on_failure"))
      spec.retry = g->choice({"lost", "retry"}, "on_failure action") == "retry";
    if (const auto g = failures.get("max_retries")) spec.max_retries = static_cast<int>(g->integer(0, 255));
    if (const auto g = failures.get("retry_delay"))
      spec.retry_delay = g->quantity(Dimension::time, Bound::non_negative);
    type.failures = spec;
  }
  return type;
}

void ScenarioReader::read_network(const Field& field) {
  const Mapping network(field, keys("network"), "network");
  // The topology first: devices refer to its sites.
  if (const auto topology = network.get("topology")) read_topology(*topology);
  const auto domains_field = network.get("domains");
  if (!domains_field) return;
  const Mapping domains =
      Mapping::of_names(*domains_field, "network domain", "domain names to {layers, bandwidth, ...}");
  for (const auto& entry : domains.entries()) {
    NetworkDomainSpec domain;
    domain.name = entry.key;
    const Mapping m(entry.value, keys("network domain"), "a network domain");
    const Field layers = m.require("layers", "the list of layers the domain joins, e.g. [edge, cloud]");
    const auto items = layers.items("layer names");
    if (items.empty()) layers.fail("a domain must contain at least one layer");
    for (const Field& item : items) {
      const std::string layer = item.name("layer name");
      if (std::find(spec_.layers.begin(), spec_.layers.end(), layer) == spec_.layers.end()) {
        if (layers_declared_) unknown_name(item, "layer", layer, spec_.layers);
        item.fail("unknown layer " + quote(layer) + hint_and_list(layer, spec_.layers, "known layers") +
                  " (collected from device_types; declare `layers:` to add others)");
      }
      check_unique(item, layer, domain.layers, "layer");
    }
    if (const auto f = m.get("access_delay"))
      domain.access_delay = f->quantity(Dimension::time, Bound::non_negative);
    domain.bandwidth =
        m.require("bandwidth", "a bandwidth such as 150Mbps").quantity(Dimension::bandwidth, Bound::positive);
    if (const auto f = m.get("tx_power"))
      domain.tx_power_w = f->quantity(Dimension::power, Bound::non_negative);
    if (const auto f = m.get("rx_power"))
      domain.rx_power_w = f->quantity(Dimension::power, Bound::non_negative);
    // Priced per GB (10^9 bytes) as cloud providers bill egress.
    if (const auto f = m.get("cost_per_GB"))
      domain.cost_per_byte = f->quantity(Dimension::money, Bound::non_negative) / 1e9;
    if (const auto f = m.get("outages")) domain.outages = read_outages(*f);
    spec_.domains.push_back(std::move(domain));
  }
}

OutageSpec ScenarioReader::read_outages(const Field& field) const {
  const Mapping m(field, keys("outages"), "outages");
  OutageSpec spec;
  if (const auto windows = m.get("windows"))
    for (const Field& window : windows->items("outage windows [start, end]")) {
      const auto ends = window.items("a start and an end time");
      if (ends.size() != 2)
        window.fail("an outage window is [start, end]; got " + std::to_string(ends.size()) + " values");
      const SimTime start = ends[0].quantity(Dimension::time, Bound::non_negative);
      const SimTime end = ends[1].quantity(Dimension::time, Bound::positive);
      if (!(end > start)) ends[1].fail("an outage window must end after it starts");
      spec.windows.emplace_back(start, end);
    }
  const auto mttf = m.get("mttf"), mttr = m.get("mttr");
  if (mttf.has_value() != mttr.has_value())
    (mttf ? *mttf : *mttr).fail("random outages need both mttf and mttr");
  if (mttf) {
    spec.mttf = mttf->quantity(Dimension::time, Bound::positive);
    spec.mttr = mttr->quantity(Dimension::time, Bound::positive);
  }
  if (spec.windows.empty() && !mttf) field.fail("outages need windows, or mttf and mttr, or both");
  if (const auto g = m.get("on_failure"))
    spec.retry = g->choice({"lost", "retry"}, "on_failure action") == "retry";
  if (const auto g = m.get("max_retries")) spec.max_retries = static_cast<int>(g->integer(0, 255));
  if (const auto g = m.get("retry_delay"))
    spec.retry_delay = g->quantity(Dimension::time, Bound::non_negative);
  return spec;
}

void ScenarioReader::read_topology(const Field& field) {
  const Mapping m(field, keys("topology"), "a topology");
  const Field sites = m.require("sites", "the list of site names");
  for (const Field& item : sites.items("site names"))
    check_unique(item, item.name("site name"), spec_.topology.sites, "site");
  const auto links = m.get("links");
  if (!links) return;
  std::vector<std::string> link_names;
  for (const Field& item : links->items("links {name, between, latency, bandwidth}")) {
    const Mapping link(item, keys("link"), "a link");
    LinkSpec spec;
    const Field name = link.require("name", "the link's name");
    spec.name = name.name("link name");
    check_unique(name, spec.name, link_names, "link");
    const Field between = link.require("between", "the two sites it joins, e.g. [core, datacenter]");
    const auto ends = between.items("site names");
    if (ends.size() != 2) between.fail("a link joins exactly two sites; got " + std::to_string(ends.size()));
    for (const Field& end : ends) {
      const std::string site = end.name("site name");
      if (std::find(spec_.topology.sites.begin(), spec_.topology.sites.end(), site) ==
          spec_.topology.sites.end())
        unknown_name(end, "site", site, spec_.topology.sites);
    }
    spec.a = ends[0].scalar("a site name");
    spec.b = ends[1].scalar("a site name");
    if (spec.a == spec.b) ends[1].fail("a link must join two different sites");
    if (const auto f = link.get("latency")) spec.latency = f->quantity(Dimension::time, Bound::non_negative);
    spec.bandwidth = link.require("bandwidth", "a bandwidth such as 1Gbps")
                         .quantity(Dimension::bandwidth, Bound::positive);
    if (const auto f = link.get("energy_per_bit"))
      spec.energy_per_bit = f->quantity(Dimension::energy, Bound::non_negative);
    if (const auto f = link.get("outages")) spec.outages = read_outages(*f);
    spec_.topology.links.push_back(std::move(spec));
  }
}

void ScenarioReader::read_devices(const Field& field) {
  const Mapping devices = Mapping::of_names(field, "device", "device names to {type, count, ...}");
  if (devices.entries().empty()) field.fail("expected at least one device");
  for (const auto& entry : devices.entries()) {
    DeviceSpec device;
    device.name = entry.key;
    const Mapping m(entry.value, keys("device"), "a device");
    const Field type = m.require("type", "a device type name");
    device.type = type.name("device type name");
    if (std::find(device_type_names_.begin(), device_type_names_.end(), device.type) ==
        device_type_names_.end())
      unknown_name(type, "device type", device.type, device_type_names_);
    if (const auto f = m.get("count")) device.count = static_cast<int>(f->integer(1, int_max));
    if (const auto f = m.get("dispatch")) {
      const std::string rule = f->choice({"random", "round_robin", "least_loaded"}, "dispatch rule");
      device.dispatch = rule == "random"        ? DispatchRule::random
                        : rule == "round_robin" ? DispatchRule::round_robin
                                                : DispatchRule::least_loaded;
    }
    if (const auto f = m.get("site")) {
      device.site = f->name("site name");
      const auto& sites = spec_.topology.sites;
      if (sites.empty())
        f->fail("site " + quote(device.site) +
                " given but the scenario has no topology (network.topology.sites)");
      if (std::find(sites.begin(), sites.end(), device.site) == sites.end())
        unknown_name(*f, "site", device.site, sites);
    }
    device_names_.push_back(device.name);
    spec_.devices.push_back(std::move(device));
  }
}

}  // namespace continuum::io::detail

namespace continuum::io::detail {

void ScenarioReader::read_faas(const Field& field) {
  const Mapping platforms = Mapping::of_names(field, "FaaS platform", "platform names to their definitions");
  for (const auto& entry : platforms.entries()) {
    const Mapping m(entry.value, keys("faas platform"), "a FaaS platform");
    FaasPlatformSpec platform;
    platform.name = entry.key;
    const Field layer = m.require("layer", "the computational layer the platform runs in");
    platform.layer = layer.name("layer name");
    if (!contains(spec_.layers, platform.layer)) {
      if (layers_declared_) unknown_name(layer, "layer", platform.layer, spec_.layers);
      spec_.layers.push_back(platform.layer);
    }
    if (const auto f = m.get("price_per_gb_second"))
      platform.price_per_gb_second = f->quantity(Dimension::money, Bound::non_negative);
    if (const auto f = m.get("price_per_invocation"))
      platform.price_per_invocation = f->quantity(Dimension::money, Bound::non_negative);
    if (const auto f = m.get("bill_cold_time"))
      platform.bill_cold_time = f->choice({"true", "false"}, "bill_cold_time") == "true";
    if (const auto f = m.get("billing"))
      platform.billing = f->choice({"pay_per_use", "space4ai"}, "billing model") == "space4ai"
                             ? FaasBillingModel::space4ai
                             : FaasBillingModel::pay_per_use;
    const Mapping functions =
        Mapping::of_names(m.require("functions", "a mapping of function names to definitions"), "function",
                          "function names to their definitions");
    for (const auto& function : functions.entries()) {
      if (contains(faas_function_names_, function.key))
        function.key_field.fail("the FaaS function name " + quote(function.key) +
                                " is used twice; placement targets `{faas: name}` need unique names");
      platform.functions.push_back(read_faas_function(function));
      faas_function_names_.push_back(function.key);
      faas_function_layers_.push_back(platform.layer);
    }
    spec_.faas_platforms.push_back(std::move(platform));
  }
}

FaasFunctionSpec ScenarioReader::read_faas_function(const Mapping::Entry& entry) {
  const Mapping m(entry.value, keys("faas function"), "a FaaS function");
  FaasFunctionSpec function;
  function.name = entry.key;
  if (const auto f = m.get("memory")) function.memory = f->quantity(Dimension::data, Bound::non_negative);
  function.warm = read_distribution(m.require("warm", "the warm service time (a time or a distribution)"),
                                    Dimension::time);
  function.cold = read_distribution(m.require("cold", "the cold service time: start-up + first execution"),
                                    Dimension::time);
  if (const auto f = m.get("keep_alive"))
    function.keep_alive = f->quantity(Dimension::time, Bound::non_negative);
  if (const auto f = m.get("max_instances"))
    function.max_instances = static_cast<int>(f->integer(1, int_max));
  if (const auto f = m.get("concurrency")) function.concurrency = static_cast<int>(f->integer(1, int_max));
  if (const auto f = m.get("startup_delay"))
    function.startup_delay = f->quantity(Dimension::time, Bound::non_negative);
  if (const auto f = m.get("price_per_warm_second"))
    function.price_per_warm_second = f->quantity(Dimension::money_rate, Bound::non_negative);
  if (const auto f = m.get("keep_alive_policy")) {
    // {name: fixed | hybrid_histogram, <parameter>: number, ...}; names and parameters are checked
    // against the keep-alive policy registry here, so that a typo is reported at its line.
    if (f->is_scalar()) {
      function.keep_alive_policy = f->name("keep-alive policy name");
    } else {
      const Mapping policy =
          Mapping::of_names(*f, "parameter", "name and parameters of the keep-alive policy");
      for (const auto& parameter : policy.entries()) {
        if (parameter.key == "name")
          function.keep_alive_policy = parameter.value.name("keep-alive policy name");
        else
          function.policy_parameters[parameter.key] =
              parameter.value.quantity(Dimension::dimensionless, Bound::any);
      }
    }
    try {
      faas::builtin_keep_alive_policies().resolve(function.keep_alive_policy, function.policy_parameters,
                                                  function.keep_alive);
    } catch (const std::invalid_argument& error) {
      f->fail(error.what());
    }
  }
  return function;
}

}  // namespace continuum::io::detail
