// Scenario sections that describe the application (components, deployments, partitions, DAG
// edges, path constraints), its placement on the devices, and the workload; with the checks that
// span sections (component graph, demands, memory, network reachability) and distributions.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include "sim/io/scenario_csv.hpp"
#include "sim/io/scenario_reader.hpp"

namespace continuum::io::detail {

namespace {

std::string bytes_text(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (unit < 4 && std::abs(bytes) >= 1000.0) bytes /= 1000.0, ++unit;
  return compact(bytes) + units[unit];
}

template <class Spec>
const Spec* find_named(const std::vector<Spec>& specs, const std::string& name) {
  for (const Spec& spec : specs)
    if (spec.name == name) return &spec;
  return nullptr;
}

/// A mapping whose fields depend on a discriminator (`process`, `dist`): reads the discriminator,
/// then checks the keys against that variant, telling which variant a misplaced key belongs to.
std::pair<std::string, Mapping> variant_mapping(const Field& field, const std::string& discriminator,
                                                const std::vector<std::string>& variants,
                                                const std::string& family, std::string_view expected) {
  if (!field.is_map()) field.fail("expected " + std::string(expected) + ", got " + field.describe());
  std::optional<Field> chosen_field;
  for (const auto& pair : field.node())
    if (pair.first.IsScalar() && pair.first.Scalar() == discriminator) {
      const Field key(field.source(), pair.first, child_path(field.path(), discriminator), field.mark());
      chosen_field = Field(field.source(), pair.second, child_path(field.path(), discriminator), key.mark());
    }
  if (!chosen_field || chosen_field->is_null())
    field.source().fail(
        child_path(field.path(), discriminator), field.mark(),
        "missing required field " + quote(discriminator) + " (one of " + join_names(variants) + ")");
  const std::string chosen = chosen_field->choice(variants, discriminator);
  const auto& keys = ScenarioReader::keys(chosen + " " + family);
  for (const auto& pair : field.node()) {
    if (!pair.first.IsScalar() || contains(keys, pair.first.Scalar())) continue;
    const std::string& key = pair.first.Scalar();
    for (const std::string& other : variants)
      if (contains(ScenarioReader::keys(other + " " + family), key))
        Field(field.source(), pair.first, child_path(field.path(), key), field.mark())
            .fail("field " + quote(key) + " does not apply to " + discriminator + " " + chosen +
                  " (it belongs to " + other + "); fields of " + chosen + " " + family + ": " +
                  join_names(keys));
  }
  return {chosen, Mapping(field, keys, chosen + " " + family)};
}

struct CsvQuantities {
  std::filesystem::path path;
  std::vector<double> values;
  std::vector<CsvCell> cells;
};

/// The numbers of one CSV column, each read as a quantity of `dimension` (so cells may carry units).
/// With a numeric column index, a first cell that is not a quantity is taken as a header.
CsvQuantities csv_quantities(const Mapping& mapping, const std::filesystem::path& base_dir,
                             Dimension dimension, Bound bound) {
  const Field file_field = mapping.require("file", "a CSV file name, relative to the scenario file");
  const std::filesystem::path relative = file_field.scalar("a CSV file name");
  const std::filesystem::path path =
      relative.is_absolute() ? relative : (base_dir / relative).lexically_normal();
  std::variant<std::size_t, std::string> column = std::size_t{0};
  if (const auto f = mapping.get("column")) {
    const std::string text = f->scalar("a column index (from 0) or a header name");
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      column = static_cast<std::size_t>(f->integer(0, 100000));
    else
      column = text;
  }
  std::vector<CsvCell> cells = read_csv_column(path, column, file_field);
  CsvQuantities out;
  out.path = path;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const CsvCell& cell = cells[i];
    double value = 0.0;
    try {
      value = parse_quantity(cell.text, dimension);
    } catch (const std::invalid_argument& error) {
      if (i == 0 && std::holds_alternative<std::size_t>(column)) continue;  // a header row
      throw LoadError(path.string(), cell.line, cell.column, file_field.path(), error.what());
    }
    if ((bound == Bound::non_negative && value < 0) || (bound == Bound::positive && value <= 0))
      throw LoadError(path.string(), cell.line, cell.column, file_field.path(),
                      std::string("must be ") + (bound == Bound::positive ? "> 0" : ">= 0") + "; got " +
                          quote(cell.text));
    out.values.push_back(value);
    out.cells.push_back(cell);
  }
  if (out.values.empty()) file_field.fail(quote(path.string()) + " holds no values");
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Application

void ScenarioReader::read_application(const Field& field) {
  const Mapping app(field, ScenarioReader::keys("application"), "the application");
  const Mapping components =
      Mapping::of_names(app.require("components", "a mapping of component names to definitions"), "component",
                        "component names to {deployments, constraint}");
  if (components.entries().empty()) components.field().fail("expected at least one component");
  for (const auto& entry : components.entries()) component_names_.push_back(entry.key);
  for (const auto& entry : components.entries())
    spec_.application.components.push_back(read_component(entry));
  if (const auto edges = app.get("edges")) read_edges(*edges);
  check_component_graph();
  if (const auto paths = app.get("path_constraints")) read_path_constraints(*paths);
}

ComponentSpec ScenarioReader::read_component(const Mapping::Entry& entry) {
  ComponentSpec component;
  component.name = entry.key;
  const Mapping m(entry.value, ScenarioReader::keys("component"), "a component");
  if (const auto f = m.get("constraint"))
    component.local_constraint = f->quantity(Dimension::time, Bound::positive);
  const Field deployments = m.require("deployments", "a list of deployments {name, partitions}");
  const auto items = deployments.items("deployments {name, partitions}");
  if (items.empty()) deployments.fail("a component needs at least one deployment");
  std::vector<std::string> deployment_names;
  for (const Field& item : items) {
    const Mapping d(item, ScenarioReader::keys("deployment"), "a deployment");
    DeploymentSpec deployment;
    const Field name = d.require("name", "the deployment's name");
    deployment.name = name.name("deployment name");
    check_unique(name, deployment.name, deployment_names, "deployment");
    const Field partitions = d.require("partitions", "a list of partitions {name, demand or flop, ...}");
    const auto parts = partitions.items("partitions {name, demand or flop, ...}");
    if (parts.empty()) partitions.fail("a deployment needs at least one partition");
    std::vector<std::string> partition_names;
    for (const Field& part : parts) {
      PartitionSpec partition = read_partition(part);
      check_unique(part, partition.name, partition_names, "partition");
      deployment.partitions.push_back(std::move(partition));
    }
    component.deployments.push_back(std::move(deployment));
  }
  return component;
}

PartitionSpec ScenarioReader::read_partition(const Field& field) {
  const Mapping m(field, ScenarioReader::keys("partition"), "a partition");
  PartitionSpec partition;
  partition.name = m.require("name", "the partition's name").name("partition name");
  if (const auto f = m.get("memory")) partition.memory = f->quantity(Dimension::data, Bound::non_negative);
  if (const auto f = m.get("demand")) {
    const Mapping demand = Mapping::of_names(*f, "device type", "device type names to service times");
    for (const auto& entry : demand.entries()) {
      if (!contains(device_type_names_, entry.key))
        unknown_name(entry.key_field, "device type", entry.key, device_type_names_);
      if (entry.value.is_null())
        entry.value.fail("expected a service time such as 0.3s or a distribution {dist: ...}");
      partition.demand.emplace(entry.key, read_distribution(entry.value, Dimension::time));
    }
  }
  if (const auto f = m.get("flop")) partition.flop = read_distribution(*f, Dimension::flop);
  if (const auto f = m.get("output"))
    partition.output_bytes = f->quantity(Dimension::data, Bound::non_negative);
  if (const auto f = m.get("early_exit")) partition.early_exit = f->probability();
  if (const auto f = m.get("candidates")) {
    std::vector<std::string> known = device_names_;
    known.insert(known.end(), faas_function_names_.begin(), faas_function_names_.end());
    const auto items = f->items("device or FaaS function names");
    if (items.empty()) f->fail("expected at least one device or FaaS function (or leave `candidates` out)");
    for (const Field& item : items) {
      const std::string name = item.name("device or FaaS function name");
      if (!contains(known, name)) unknown_name(item, "device or FaaS function", name, known);
      check_unique(item, name, partition.candidates, "candidate");
    }
  }
  return partition;
}

void ScenarioReader::read_edges(const Field& field) {
  for (const Field& item : field.items("edges {from, to, probability, data}")) {
    const Mapping e(item, ScenarioReader::keys("edge"), "an edge");
    EdgeSpec edge;
    const Field from = e.require("from", "a component name");
    edge.from = from.name("component name");
    if (!contains(component_names_, edge.from)) unknown_name(from, "component", edge.from, component_names_);
    const Field to = e.require("to", "a component name");
    edge.to = to.name("component name");
    if (!contains(component_names_, edge.to)) unknown_name(to, "component", edge.to, component_names_);
    if (const auto f = e.get("probability")) edge.probability = f->probability();
    if (const auto f = e.get("data")) edge.data_bytes = f->quantity(Dimension::data, Bound::non_negative);
    spec_.application.edges.push_back(std::move(edge));
    edge_fields_.push_back(item);
  }
}

namespace {
using ComponentGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                             boost::property<boost::edge_index_t, std::size_t>>;

/// Records the tree edge into each vertex and the first back edge: a back edge closes a cycle.
struct CycleFinder : boost::default_dfs_visitor {
  std::vector<std::size_t>* tree_edge_into;
  std::optional<std::size_t>* back;
  void tree_edge(ComponentGraph::edge_descriptor e, const ComponentGraph& g) const {
    (*tree_edge_into)[boost::target(e, g)] = boost::get(boost::edge_index, g, e);
  }
  void back_edge(ComponentGraph::edge_descriptor e, const ComponentGraph& g) const {
    if (!*back) *back = boost::get(boost::edge_index, g, e);
  }
};
}  // namespace

void ScenarioReader::check_component_graph() const {
  const auto& app = spec_.application;
  const auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(component_names_.begin(), component_names_.end(), name) -
                                    component_names_.begin());
  };
  ComponentGraph graph(component_names_.size());
  for (std::size_t e = 0; e < app.edges.size(); ++e)
    boost::add_edge(index_of(app.edges[e].from), index_of(app.edges[e].to), e, graph);
  std::vector<std::size_t> tree_edge_into(component_names_.size(), std::numeric_limits<std::size_t>::max());
  std::optional<std::size_t> back;
  CycleFinder finder;
  finder.tree_edge_into = &tree_edge_into;
  finder.back = &back;
  std::vector<boost::default_color_type> colors(component_names_.size());
  boost::depth_first_search(graph, boost::visitor(finder).color_map(boost::make_iterator_property_map(
                                       colors.begin(), boost::get(boost::vertex_index, graph))));
  if (back) {
    // The back edge u -> v closes v -> ... -> u -> v; walk the DFS tree up from u to v.
    const std::size_t u = index_of(app.edges[*back].from), v = index_of(app.edges[*back].to);
    std::vector<std::string> cycle{component_names_[u]};
    for (std::size_t w = u; w != v;) {
      w = index_of(app.edges[tree_edge_into[w]].from);
      cycle.push_back(component_names_[w]);
    }
    std::reverse(cycle.begin(), cycle.end());
    std::string text;
    for (const std::string& name : cycle) text += name + " -> ";
    edge_fields_[*back].fail("the component graph has a cycle: " + text + component_names_[v] +
                             "; the application must be a DAG");
  }
  // Outgoing branch probabilities: a request leaving a component takes exactly one edge.
  for (const std::string& component : component_names_) {
    double sum = 0.0;
    std::string terms;
    std::optional<std::size_t> first;
    for (std::size_t e = 0; e < app.edges.size(); ++e) {
      if (app.edges[e].from != component) continue;
      if (!first) first = e;
      sum += app.edges[e].probability;
      terms += (terms.empty() ? "" : ", ") + app.edges[e].to + " " + compact(app.edges[e].probability);
    }
    if (first && std::abs(sum - 1.0) > 1e-9)
      edge_fields_[*first].fail("the branch probabilities out of component " + quote(component) + " sum to " +
                                compact(sum) + " (" + terms + "); they must sum to 1");
  }
}

void ScenarioReader::read_path_constraints(const Field& field) {
  std::vector<std::string> names;
  for (const Field& item : field.items("path constraints {name, path, limit}")) {
    const Mapping p(item, ScenarioReader::keys("path constraint"), "a path constraint");
    PathConstraintSpec constraint;
    const Field name = p.require("name", "the constraint's name");
    constraint.name = name.name("path constraint name");
    check_unique(name, constraint.name, names, "path constraint");
    const Field path = p.require("path", "a list of component names joined by edges");
    const auto steps = path.items("component names");
    if (steps.empty()) path.fail("a path needs at least one component");
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string component = steps[i].name("component name");
      if (!contains(component_names_, component))
        unknown_name(steps[i], "component", component, component_names_);
      if (i > 0) {
        const std::string& previous = constraint.components.back();
        const auto& edges = spec_.application.edges;
        const bool joined = std::any_of(edges.begin(), edges.end(), [&](const EdgeSpec& e) {
          return e.from == previous && e.to == component;
        });
        if (!joined) {
          std::vector<std::string> successors;
          for (const EdgeSpec& e : edges)
            if (e.from == previous) successors.push_back(e.to);
          steps[i].fail("no edge from " + quote(previous) + " to " + quote(component) +
                        "; consecutive components of a path must be joined by an edge (edges out of " +
                        quote(previous) + " go to: " + join_names(successors) + ")");
        }
      }
      constraint.components.push_back(component);
    }
    constraint.limit = p.require("limit", "a time such as 1s").quantity(Dimension::time, Bound::positive);
    spec_.application.path_constraints.push_back(std::move(constraint));
  }
}

// ---------------------------------------------------------------------------------------------
// Placement

void ScenarioReader::read_placement(const Field& field) {
  const Mapping placement =
      Mapping::of_names(field, "component", "component names to {deployment, partitions}");
  const auto& components = spec_.application.components;
  placed_.assign(components.size(), {});
  for (const auto& entry : placement.entries()) {
    if (!contains(component_names_, entry.key))
      unknown_name(entry.key_field, "component", entry.key, component_names_);
    const auto c = static_cast<std::size_t>(
        std::find(component_names_.begin(), component_names_.end(), entry.key) - component_names_.begin());
    const ComponentSpec& component = components[c];
    const Mapping m(entry.value, ScenarioReader::keys("component placement"), "a component placement");
    std::vector<std::string> deployment_names;
    for (const auto& d : component.deployments) deployment_names.push_back(d.name);
    ComponentPlacement result;
    if (const auto f = m.get("deployment")) {
      result.deployment = f->name("deployment name");
      if (!contains(deployment_names, result.deployment))
        unknown_name(*f, "deployment", result.deployment, deployment_names);
    } else if (component.deployments.size() == 1) {
      result.deployment = component.deployments.front().name;  // the only choice
    } else {
      m.require("deployment", "one of " + join_names(deployment_names));
    }
    const DeploymentSpec& deployment = *find_named(component.deployments, result.deployment);
    std::vector<std::string> partition_names;
    for (const auto& p : deployment.partitions) partition_names.push_back(p.name);
    const Mapping partitions =
        Mapping::of_names(m.require("partitions", "a mapping of partition names to devices"), "partition",
                          "partition names to device names");
    for (const auto& target : partitions.entries()) {
      if (!contains(partition_names, target.key))
        target.key_field.fail(
            "unknown partition " + quote(target.key) +
            hint_and_list(target.key, partition_names, "partitions of deployment " + quote(deployment.name)));
      if (target.value.is_map()) {
        const Mapping faas(target.value, ScenarioReader::keys("placement target"), "a placement target");
        const Field name_field = faas.require("faas", "a function name");
        const std::string function = name_field.name("FaaS function name");
        if (!contains(faas_function_names_, function))
          unknown_name(name_field, "FaaS function", function, faas_function_names_);
        result.partitions[target.key] = PlacementTarget{PlacementTarget::Kind::faas, function};
        continue;
      }
      const std::string device = target.value.name("device name");
      if (!contains(device_names_, device)) unknown_name(target.value, "device", device, device_names_);
      result.partitions[target.key] = PlacementTarget{PlacementTarget::Kind::device, device};
    }
    for (const PartitionSpec& partition : deployment.partitions) {
      const auto target = std::find_if(partitions.entries().begin(), partitions.entries().end(),
                                       [&](const Mapping::Entry& e) { return e.key == partition.name; });
      if (target == partitions.entries().end())
        partitions.field().source().fail(
            child_path(partitions.field().path(), partition.name), partitions.field().mark(),
            "partition " + quote(partition.name) + " of deployment " + quote(deployment.name) +
                " is not placed; every partition of the chosen deployment needs a device");
      const PlacementTarget& placed_on = result.partitions[partition.name];
      if (placed_on.kind == PlacementTarget::Kind::faas) {
        const auto function = static_cast<std::size_t>(
            std::find(faas_function_names_.begin(), faas_function_names_.end(), placed_on.name) -
            faas_function_names_.begin());
        placed_[c].push_back(
            {&component, &partition, device_names_.size() + function, function, target->value});
        continue;
      }
      const auto device = static_cast<std::size_t>(
          std::find(device_names_.begin(), device_names_.end(), placed_on.name) - device_names_.begin());
      placed_[c].push_back({&component, &partition, device, std::nullopt, target->value});
    }
    spec_.placement[entry.key] = std::move(result);
  }
  for (const ComponentSpec& component : components)
    if (!spec_.placement.count(component.name))
      field.source().fail(child_path(field.path(), component.name), field.mark(),
                          "component " + quote(component.name) +
                              " is not placed; give it {deployment, partitions: {partition: device}}");
}

void ScenarioReader::check_placed_demands_and_memory() const {
  std::vector<double> used(spec_.devices.size(), 0.0);
  std::vector<std::string> holders(spec_.devices.size());
  for (const auto& component : placed_)
    for (const PlacedPartition& placed : component) {
      if (placed.faas) continue;  // a function's service times are its own warm and cold laws
      const DeviceSpec& device = spec_.devices[placed.device];
      const DeviceTypeSpec& type = *find_named(spec_.device_types, device.type);
      const PartitionSpec& partition = *placed.partition;
      const std::string who = "partition " + quote(placed.component->name + "." + partition.name);
      if (!partition.demand.count(type.name) && !(partition.flop && type.speed > 0)) {
        std::vector<std::string> listed;
        for (const auto& [name, _] : partition.demand) listed.push_back(name);
        std::string why =
            "it has no demand." + type.name + " (demands are given for: " + join_names(listed) + ")";
        why += partition.flop ? " and device type " + quote(type.name) + " has no speed to run its flop"
                              : " and no flop";
        placed.target.fail(who + " cannot run on device " + quote(device.name) + " (type " +
                           quote(type.name) + "): " + why);
      }
      used[placed.device] += partition.memory;
      holders[placed.device] += (holders[placed.device].empty() ? "" : ", ") + placed.component->name + "." +
                                partition.name + " " + bytes_text(partition.memory);
      // Every instance of the device holds all the partitions placed on it.
      if (memory_given_.at(type.name) && used[placed.device] > type.memory)
        placed.target.fail("the partitions placed on device " + quote(device.name) + " need " +
                           bytes_text(used[placed.device]) + " of memory (" + holders[placed.device] +
                           ") but its type " + quote(type.name) + " has " + bytes_text(type.memory));
    }
}

void ScenarioReader::check_network_reachability() const {
  // Sites joined by links, as union-find classes: a transfer between sites needs a route.
  const auto& sites = spec_.topology.sites;
  std::vector<std::size_t> parent(sites.size());
  std::iota(parent.begin(), parent.end(), 0);
  const auto site_index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(sites.begin(), sites.end(), name) - sites.begin());
  };
  const auto root = [&](std::size_t s) {
    while (parent[s] != s) s = parent[s] = parent[parent[s]];
    return s;
  };
  for (const LinkSpec& link : spec_.topology.links)
    parent[root(site_index(link.a))] = root(site_index(link.b));

  // Locations: devices, then FaaS functions (which have a layer and no site).
  const auto layer_of = [&](std::size_t device) {
    if (device >= spec_.devices.size()) return faas_function_layers_[device - spec_.devices.size()];
    return find_named(spec_.device_types, spec_.devices[device].type)->layer;
  };
  const auto location = [&](std::size_t device) -> DeviceSpec {
    if (device < spec_.devices.size()) return spec_.devices[device];
    return DeviceSpec{.name = faas_function_names_[device - spec_.devices.size()]};
  };
  // Mirrors Network::transfer: sites and links when both ends have a site, else the domains.
  const auto why_unreachable = [&](std::size_t from, std::size_t to) -> std::optional<std::string> {
    if (from == to) return std::nullopt;
    const DeviceSpec a = location(from);
    const DeviceSpec b = location(to);
    if (!a.site.empty() && !b.site.empty() && !spec_.topology.links.empty()) {
      if (root(site_index(a.site)) == root(site_index(b.site))) return std::nullopt;
      return "no chain of links joins site " + quote(a.site) + " (device " + quote(a.name) + ") to site " +
             quote(b.site) + " (device " + quote(b.name) + ")";
    }
    const std::string la = layer_of(from), lb = layer_of(to);
    for (const NetworkDomainSpec& domain : spec_.domains)
      if (contains(domain.layers, la) && contains(domain.layers, lb)) return std::nullopt;
    std::string domains;
    for (const NetworkDomainSpec& domain : spec_.domains)
      domains += (domains.empty() ? "" : ", ") + domain.name + " [" + join_names(domain.layers) + "]";
    return "no network domain contains both layer " + quote(la) + " (device " + quote(a.name) +
           ") and layer " + quote(lb) + " (device " + quote(b.name) +
           "); domains: " + (domains.empty() ? "none" : domains);
  };

  for (const auto& component : placed_)
    for (std::size_t i = 1; i < component.size(); ++i)
      if (const auto why = why_unreachable(component[i - 1].device, component[i].device))
        component[i].target.fail("partition " + quote(component[i].partition->name) +
                                 " cannot receive data from " + quote(component[i - 1].partition->name) +
                                 ": " + *why);
  const auto& edges = spec_.application.edges;
  const auto placed_of = [&](const std::string& name) -> const std::vector<PlacedPartition>& {
    return placed_[static_cast<std::size_t>(
        std::find(component_names_.begin(), component_names_.end(), name) - component_names_.begin())];
  };
  for (std::size_t e = 0; e < edges.size(); ++e) {
    if (edges[e].probability == 0.0) continue;
    const auto& from = placed_of(edges[e].from);
    const auto& to = placed_of(edges[e].to);
    // A request leaves a component after its last partition or after any partition with an early exit.
    for (std::size_t i = 0; i < from.size(); ++i) {
      if (i + 1 < from.size() && from[i].partition->early_exit == 0.0) continue;
      if (const auto why = why_unreachable(from[i].device, to.front().device))
        edge_fields_[e].fail("requests cannot move from " + quote(edges[e].from) + " to " +
                             quote(edges[e].to) + ": " + *why);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Workload

void ScenarioReader::read_workload(const Field& field) {
  const auto items = field.items("sources {name, entry, arrivals}");
  if (items.empty()) field.fail("expected at least one source");
  std::vector<std::string> names;
  for (const Field& item : items) {
    const Mapping s(item, ScenarioReader::keys("source"), "a source");
    SourceSpec source;
    const Field name = s.require("name", "the source's name");
    source.name = name.name("source name");
    check_unique(name, source.name, names, "source");
    const Field entry = s.require("entry", "the component its requests enter");
    source.entry = entry.name("component name");
    if (!contains(component_names_, source.entry))
      unknown_name(entry, "component", source.entry, component_names_);
    source.arrivals =
        read_arrivals(s.require("arrivals", "an arrival process {process: poisson, rate: 1/s}"));
    spec_.sources.push_back(std::move(source));
  }
}

ArrivalSpec ScenarioReader::read_arrivals(const Field& field) {
  const std::vector<std::string> processes{"poisson", "deterministic", "renewal",
                                           "mmpp",    "piecewise",     "trace"};
  const auto [process, m] = variant_mapping(field, "process", processes, "arrivals",
                                            "an arrival process {process: poisson, rate: 1/s}");
  ArrivalSpec arrivals;
  if (process == "poisson" || process == "deterministic") {
    arrivals.process =
        process == "poisson" ? ArrivalSpec::Process::poisson : ArrivalSpec::Process::deterministic;
    arrivals.rate = m.require("rate", "a rate such as 1/s").quantity(Dimension::rate, Bound::positive);
  } else if (process == "renewal") {
    arrivals.process = ArrivalSpec::Process::renewal;
    arrivals.gaps = read_distribution(
        m.require("gaps", "an inter-arrival distribution such as {dist: erlang, k: 2, mean: 1s}"),
        Dimension::time);
  } else if (process == "mmpp") {
    arrivals.process = ArrivalSpec::Process::mmpp;
    const Field rates = m.require("rates", "the arrival rates of the two states, e.g. [1/s, 10/s]");
    const auto r = rates.items("rates");
    if (r.size() != 2) rates.fail("a two-state MMPP needs exactly 2 rates; got " + std::to_string(r.size()));
    for (std::size_t i = 0; i < 2; ++i)
      arrivals.rates[i] = r[i].quantity(Dimension::rate, Bound::non_negative);
    if (arrivals.rates[0] + arrivals.rates[1] <= 0) rates.fail("at least one state needs a positive rate");
    const Field switches = m.require("switch_rates", "the rates of leaving each state, e.g. [1/h, 6/h]");
    const auto s = switches.items("rates");
    if (s.size() != 2)
      switches.fail("a two-state MMPP needs exactly 2 switch rates; got " + std::to_string(s.size()));
    for (std::size_t i = 0; i < 2; ++i)
      arrivals.switch_rates[i] = s[i].quantity(Dimension::rate, Bound::positive);
  } else if (process == "piecewise") {
    arrivals.process = ArrivalSpec::Process::piecewise;
    const Field starts = m.require("starts", "the start times of the segments, e.g. [0s, 6h]");
    const auto t = starts.items("start times");
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double start = t[i].quantity(Dimension::time, Bound::non_negative);
      if (i == 0 && start != 0.0) t[i].fail("the first segment must start at 0");
      if (i > 0 && start <= arrivals.starts.back()) t[i].fail("start times must increase");
      arrivals.starts.push_back(start);
    }
    const Field rates = m.require("rates", "the rate of each segment, e.g. [1/s, 5/s]");
    for (const Field& r : rates.items("rates"))
      arrivals.profile_rates.push_back(r.quantity(Dimension::rate, Bound::non_negative));
    if (arrivals.starts.empty()) starts.fail("expected at least one segment");
    if (arrivals.starts.size() != arrivals.profile_rates.size())
      rates.fail("expected one rate per start time (" + std::to_string(arrivals.starts.size()) + "); got " +
                 std::to_string(arrivals.profile_rates.size()));
    const bool any_positive = std::any_of(arrivals.profile_rates.begin(), arrivals.profile_rates.end(),
                                          [](double r) { return r > 0; });
    if (!any_positive) rates.fail("at least one segment needs a positive rate");
    if (const auto f = m.get("period")) {
      arrivals.period = f->quantity(Dimension::time, Bound::positive);
      if (arrivals.starts.back() >= arrivals.period)
        f->fail("every start time must lie within the period; the last starts at " +
                compact(arrivals.starts.back()) + " s");
    }
  } else {
    arrivals.process = ArrivalSpec::Process::trace;
    arrivals.timestamps = read_trace(m);
  }
  return arrivals;
}

std::vector<SimTime> ScenarioReader::read_trace(const Mapping& arrivals) {
  const CsvQuantities trace = csv_quantities(arrivals, base_dir_, Dimension::time, Bound::non_negative);
  for (std::size_t i = 1; i < trace.values.size(); ++i)
    if (trace.values[i] < trace.values[i - 1]) {
      const CsvCell& cell = trace.cells[i];
      throw LoadError(
          trace.path.string(), cell.line, cell.column, child_path(arrivals.field().path(), "file"),
          "timestamps must not decrease; " + quote(cell.text) + " follows " + quote(trace.cells[i - 1].text));
    }
  return trace.values;
}

std::vector<double> ScenarioReader::read_csv_values(const Mapping& mapping, Dimension dimension,
                                                    Bound bound) const {
  return csv_quantities(mapping, base_dir_, dimension, bound).values;
}

// ---------------------------------------------------------------------------------------------
// Distributions

Distribution ScenarioReader::read_distribution(const Field& field, Dimension dimension) const {
  const std::string kind(dimension_name(dimension));
  if (field.is_scalar()) {
    // A bare quantity is the mean of an exponential law: the M/M/· convention of the analytic models.
    const double mean = field.quantity(dimension, Bound::positive);
    return Distribution::exponential(mean);
  }
  const std::vector<std::string> laws{"exponential", "deterministic", "erlang",  "hyperexponential",
                                      "lognormal",   "gamma",         "uniform", "empirical"};
  const auto [law, m] =
      variant_mapping(field, "dist", laws, "distribution",
                      "a " + kind + " such as " + std::string(dimension_examples(dimension)) +
                          " or a distribution {dist: exponential, mean: ...}");
  const auto q = [&, &m = m](std::string_view key, Bound bound) {
    return m.require(key, "a " + kind + " such as " + std::string(dimension_examples(dimension)))
        .quantity(dimension, bound);
  };
  const auto scv = [&, &m = m] {
    return m.require("scv", "the squared coefficient of variation, e.g. 0.5")
        .quantity(Dimension::dimensionless, Bound::non_negative);
  };
  try {
    if (law == "exponential") return Distribution::exponential(q("mean", Bound::positive));
    if (law == "deterministic") return Distribution::deterministic(q("value", Bound::non_negative));
    if (law == "erlang") {
      const auto k = static_cast<int>(m.require("k", "the number of phases, e.g. 3").integer(1, 1000000));
      return Distribution::erlang(k, q("mean", Bound::positive));
    }
    if (law == "hyperexponential") {
      const double mean = q("mean", Bound::positive);
      return Distribution::hyperexponential(mean, scv());
    }
    if (law == "lognormal") {
      const double mean = q("mean", Bound::positive);
      return Distribution::lognormal(mean, scv());
    }
    if (law == "gamma") {
      const double mean = q("mean", Bound::positive);
      return Distribution::gamma(mean, scv());
    }
    if (law == "uniform") {
      const double low = q("low", Bound::non_negative);
      const Field high_field = m.require("high", "a " + kind);
      const double high = high_field.quantity(dimension, Bound::non_negative);
      if (high < low) high_field.fail("high must be >= low");
      return Distribution::uniform(low, high);
    }
    // empirical: measured values, inline or from a CSV column
    const auto values = m.get("values");
    if (values && m.has("file")) m.field().fail("give either `values` or `file`, not both");
    if (values) {
      std::vector<double> samples;
      for (const Field& v : values->items(kind + " values"))
        samples.push_back(v.quantity(dimension, Bound::non_negative));
      if (samples.empty()) values->fail("expected at least one value");
      return Distribution::empirical(std::move(samples));
    }
    if (!m.has("file"))
      m.field().fail("an empirical distribution needs `values: [...]` or `file: samples.csv`");
    return Distribution::empirical(read_csv_values(m, dimension, Bound::non_negative));
  } catch (const std::invalid_argument& error) {
    field.fail(error.what());  // the factories' own parameter checks
  }
}

}  // namespace continuum::io::detail
