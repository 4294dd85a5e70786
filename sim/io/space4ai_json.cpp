#include "sim/io/space4ai_json.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "sim/io/input_file.hpp"
#include "sim/io/load_error.hpp"

namespace continuum::io {

namespace {

using Json = nlohmann::ordered_json;
using placement::no_index;
using placement::ResourceKind;

constexpr double mebibyte = 1024.0 * 1024.0;
constexpr double megabit_in_bytes = 1e6 / 8.0;
constexpr double seconds_per_hour = 3600.0;

std::string child(const std::string& path, std::string_view key) {
  std::string escaped;
  for (char ch : key) {
    if (ch == '~')
      escaped += "~0";
    else if (ch == '/')
      escaped += "~1";
    else
      escaped += ch;
  }
  return path + "/" + escaped;
}

std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

/// Short rendering of a value for "got …" in messages.
std::string shown(const Json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  const char* type = value.type_name();
  if (value.is_object() || value.is_array()) return std::string("an ") + type + " " + text;
  if (value.is_null()) return "null";
  return text;
}

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const {
    throw Space4aiError(source_ + ": at " + (path.empty() ? std::string("/") : path) + ": " + message);
  }
  [[noreturn]] void expected(const std::string& path, const std::string& what, const Json& got) const {
    fail(path, "expected " + what + ", got " + shown(got));
  }

  const Json& object(const Json& value, const std::string& path) const {
    if (!value.is_object()) expected(path, "an object", value);
    return value;
  }
  const Json& member(const Json& parent, const std::string& path, std::string_view key,
                     const std::string& what) const {
    const auto found = parent.find(std::string(key));
    if (found == parent.end()) fail(path, "missing \"" + std::string(key) + "\" (" + what + ")");
    return *found;
  }
  const Json* optional_member(const Json& parent, std::string_view key) const {
    const auto found = parent.find(std::string(key));
    return found == parent.end() ? nullptr : &*found;
  }

  double number(const Json& value, const std::string& path, const std::string& what, double low, double high,
                bool low_open = false, bool high_open = false) const {
    if (!value.is_number()) expected(path, what, value);
    const double x = value.get<double>();
    const bool ok = std::isfinite(x) && (low_open ? x > low : x >= low) && (high_open ? x < high : x <= high);
    if (!ok) expected(path, what, value);
    return x;
  }
  double positive(const Json& value, const std::string& path,
                  const std::string& what = "a positive number") const {
    return number(value, path, what, 0.0, HUGE_VAL, true, false);
  }
  double non_negative(const Json& value, const std::string& path,
                      const std::string& what = "a non-negative number") const {
    return number(value, path, what, 0.0, HUGE_VAL);
  }
  int count(const Json& value, const std::string& path) const {
    const std::string what = "a whole number of at least 1";
    const double x = number(value, path, what, 1.0, 1e9);
    if (x != std::floor(x)) expected(path, what, value);
    return static_cast<int>(x);
  }
  std::string string(const Json& value, const std::string& path, const std::string& what) const {
    if (!value.is_string()) expected(path, what, value);
    return value.get<std::string>();
  }
  /// A string or a list of strings.
  std::vector<std::string> names(const Json& value, const std::string& path, const std::string& what) const {
    std::vector<std::string> out;
    if (value.is_string()) {
      out.push_back(value.get<std::string>());
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) out.push_back(string(value[i], child(path, i), what));
    } else {
      expected(path, what + " or a list of them", value);
    }
    return out;
  }
  /// A number or a list of numbers, each checked by `check`.
  template <class Check>
  std::vector<double> numbers(const Json& value, const std::string& path, Check check) const {
    std::vector<double> out;
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) out.push_back(check(value[i], child(path, i)));
    } else {
      out.push_back(check(value, path));
    }
    return out;
  }

  const std::string& source() const { return source_; }

 private:
  std::string source_;
};

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 12; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 12) out += ", ...";
  return out;
}

/// A partition as read from Components, before compatibility and demands.
struct RawPartition {
  std::string name;
  std::string path;
  std::size_t deployment = 0;
  std::size_t position = 0;      // in the deployment's chain
  const Json* memory = nullptr;  // Appendix-C form: memory of the partition
};

/// "SOURCE:LINE:COL: " for a 0-based byte offset into `text`.
std::string text_position(std::string_view text, const std::string& source, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

Json parse_text(std::string_view text, const std::string& source) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& error) {
    // nlohmann reports the byte offset (1-based) of the offending character.
    std::string detail = error.what();
    const auto at_column = detail.find("column ");
    const auto colon = detail.find(": ", at_column == std::string::npos ? 0 : at_column);
    if (colon != std::string::npos) detail = detail.substr(colon + 2);
    throw Space4aiError(text_position(text, source, error.byte == 0 ? 0 : error.byte - 1) +
                        "JSON syntax error: " + detail);
  } catch (const Json::out_of_range& error) {
    // A number too large for a double ("number overflow parsing '1e400'"), found by fuzzing. nlohmann
    // gives no offset here; the number's first occurrence in the text is the one that overflowed.
    const std::string detail = error.what();
    const auto open = detail.find('\'');
    const auto close = detail.rfind('\'');
    const std::size_t offset = open != std::string::npos && close > open
                                   ? text.find(detail.substr(open + 1, close - open - 1))
                                   : std::string_view::npos;
    throw Space4aiError(
        (offset == std::string_view::npos ? source + ": " : text_position(text, source, offset)) +
        "JSON number out of range: " + detail.substr(detail.find(']') + 2));
  }
}

placement::PlacementProblem convert(const Json& root, const Reader& in,
                                    const Space4aiImportOptions& options) {
  placement::PlacementProblem problem;
  problem.name = in.source();
  in.object(root, "");

  // Layers and resources.
  struct Section {
    const char* key;
    ResourceKind kind;
  };
  for (const Section section :
       {Section{"EdgeResources", ResourceKind::edge}, Section{"CloudResources", ResourceKind::vm},
        Section{"FaaSResources", ResourceKind::faas}}) {
    const Json* layers = in.optional_member(root, section.key);
    if (layers == nullptr) continue;
    const std::string section_path = child("", section.key);
    in.object(*layers, section_path);
    for (const auto& [layer_name, layer_json] : layers->items()) {
      const std::string layer_path = child(section_path, layer_name);
      in.object(layer_json, layer_path);
      if (problem.find_layer(layer_name) != no_index)
        in.fail(layer_path, "layer \"" + layer_name + "\" defined twice");
      const std::size_t layer = problem.layers.size();
      problem.layers.push_back({layer_name, section.kind, {}});
      double layer_transition_cost = 0.0;
      for (const auto& [resource_name, resource_json] : layer_json.items()) {
        const std::string path = child(layer_path, resource_name);
        if (section.kind == ResourceKind::faas && resource_name == "transition_cost") {
          layer_transition_cost = in.non_negative(resource_json, path, "a non-negative transition cost");
          continue;
        }
        in.object(resource_json, path);
        if (problem.find_resource(resource_name) != no_index)
          in.fail(path, "resource \"" + resource_name + "\" defined twice");
        placement::Resource resource;
        resource.name = resource_name;
        resource.kind = section.kind;
        resource.layer = layer;
        if (const Json* description = in.optional_member(resource_json, "description"))
          resource.description = in.string(*description, child(path, "description"), "a string");
        resource.price = in.non_negative(in.member(resource_json, path, "cost", "cost per hour"),
                                         child(path, "cost"), "a non-negative cost per hour") /
                         seconds_per_hour;
        resource.memory = in.non_negative(in.member(resource_json, path, "memory", "memory in MiB"),
                                          child(path, "memory"), "a non-negative memory in MiB") *
                          mebibyte;
        if (section.kind == ResourceKind::faas) {
          if (const Json* keep_alive = in.optional_member(resource_json, "idle_time_before_kill"))
            resource.keep_alive =
                in.positive(*keep_alive, child(path, "idle_time_before_kill"), "a positive time in seconds");
          resource.transition_cost = -1.0;  // the layer's, unless given below
          if (const Json* transition = in.optional_member(resource_json, "transition_cost"))
            resource.transition_cost = in.non_negative(*transition, child(path, "transition_cost"));
        } else {
          resource.max_instances = in.count(
              in.member(resource_json, path, "number", "largest number of instances"), child(path, "number"));
          if (const Json* cores = in.optional_member(resource_json, "n_cores"))
            resource.cores = in.count(*cores, child(path, "n_cores"));
        }
        if (const Json* idle = in.optional_member(resource_json, "idle_power"))
          resource.power.idle_w =
              in.non_negative(*idle, child(path, "idle_power"), "a non-negative power in W");
        if (const Json* busy = in.optional_member(resource_json, "busy_power"))
          resource.power.busy_w =
              in.non_negative(*busy, child(path, "busy_power"), "a non-negative power in W");
        problem.layers[layer].resources.push_back(problem.resources.size());
        problem.resources.push_back(std::move(resource));
      }
      for (std::size_t r : problem.layers[layer].resources)
        if (problem.resources[r].transition_cost < 0.0)
          problem.resources[r].transition_cost = layer_transition_cost;
    }
  }
  if (problem.resources.empty())
    in.fail("", "expected at least one resource in EdgeResources, CloudResources or FaaSResources");
  std::vector<std::string> resource_names;
  for (const auto& resource : problem.resources) resource_names.push_back(resource.name);
  auto resource_index = [&](const std::string& name, const std::string& path) {
    const std::size_t r = problem.find_resource(name);
    if (r == no_index)
      in.fail(path, "unknown resource \"" + name + "\"; known: " + join_names(resource_names));
    return r;
  };

  // Components: names first, so that "next" can name components.
  const Json& components =
      in.object(in.member(root, "", "Components", "the application components"), "/Components");
  if (components.empty()) in.fail("/Components", "expected at least one component");
  for (const auto& [name, value] : components.items()) {
    (void)value;
    problem.components.push_back({name, {}});
  }
  std::vector<std::string> component_names;
  for (const auto& component : problem.components) component_names.push_back(component.name);
  auto component_index = [&](const std::string& name, const std::string& path) {
    const std::size_t c = problem.find_component(name);
    if (c == no_index)
      in.fail(path, "unknown component \"" + name + "\"; known: " + join_names(component_names));
    return c;
  };

  std::vector<std::map<std::string, RawPartition>> raw(problem.components.size());
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    auto& component = problem.components[c];
    const std::string component_path = child("/Components", component.name);
    const Json& deployments = in.object(components.at(component.name), component_path);
    if (deployments.empty()) in.fail(component_path, "expected at least one deployment");
    for (const auto& [deployment_name, deployment_json] : deployments.items()) {
      const std::string deployment_path = child(component_path, deployment_name);
      in.object(deployment_json, deployment_path);
      if (deployment_json.empty()) in.fail(deployment_path, "expected at least one partition");
      // Read every partition, then order them along their "next" links.
      struct Link {
        std::string name;
        std::string path;
        std::vector<std::string> next;
        std::vector<double> data;  // Mbit
        const Json* json;
      };
      std::vector<Link> links;
      for (const auto& [partition_name, partition_json] : deployment_json.items()) {
        const std::string path = child(deployment_path, partition_name);
        in.object(partition_json, path);
        if (raw[c].count(partition_name) != 0)
          in.fail(path,
                  "partition \"" + partition_name + "\" appears twice in component " + component.name +
                      " (partition names key the CompatibilityMatrix, so they must be unique per component)");
        Link link{partition_name, path, {}, {}, &partition_json};
        if (const Json* next = in.optional_member(partition_json, "next"))
          for (auto& name : in.names(*next, child(path, "next"), "a partition or component name"))
            if (!name.empty()) link.next.push_back(name);
        if (const Json* data = in.optional_member(partition_json, "data_size"))
          link.data = in.numbers(*data, child(path, "data_size"), [&](const Json& v, const std::string& p) {
            return in.non_negative(v, p, "a non-negative data size in Mbit");
          });
        links.push_back(std::move(link));
      }
      auto is_partition_here = [&](const std::string& name) {
        return std::any_of(links.begin(), links.end(), [&](const Link& l) { return l.name == name; });
      };
      std::map<std::string, std::size_t> next_of;  // partition → index of its next partition in `links`
      std::map<std::string, int> predecessors;
      for (std::size_t i = 0; i < links.size(); ++i) {
        std::size_t internal = 0;
        for (const auto& name : links[i].next) {
          if (!is_partition_here(name)) continue;
          ++internal;
          for (std::size_t j = 0; j < links.size(); ++j)
            if (links[j].name == name) next_of[links[i].name] = j;
          ++predecessors[name];
        }
        if (internal > 1) in.fail(child(links[i].path, "next"), "expected at most one next partition");
      }
      std::size_t first = no_index;
      for (std::size_t i = 0; i < links.size(); ++i)
        if (predecessors[links[i].name] == 0) {
          if (first != no_index)
            in.fail(deployment_path, "the partitions do not form one chain through \"next\" (" +
                                         links[first].name + " and " + links[i].name + " both start it)");
          first = i;
        }
      if (first == no_index) in.fail(deployment_path, "the partitions' \"next\" links form a cycle");

      placement::Deployment deployment;
      deployment.name = deployment_name;
      std::vector<bool> seen(links.size(), false);
      for (std::size_t i = first;;) {
        if (seen[i]) in.fail(deployment_path, "the partitions' \"next\" links form a cycle");
        seen[i] = true;
        const Link& link = links[i];
        placement::Partition partition;
        partition.name = link.name;
        if (const Json* exit = in.optional_member(*link.json, "early_exit_probability"))
          partition.early_exit_probability = in.number(*exit, child(link.path, "early_exit_probability"),
                                                       "a probability in [0, 1)", 0.0, 1.0, false, true);
        if (link.data.size() > 1 && link.data.size() != link.next.size())
          in.fail(child(link.path, "data_size"), "expected one data size per \"next\" entry (" +
                                                     std::to_string(link.next.size()) + "), got " +
                                                     std::to_string(link.data.size()));
        auto data_for = [&](std::size_t k) {
          if (link.data.empty()) return 0.0;
          return (link.data.size() == 1 ? link.data[0] : link.data[k]) * megabit_in_bytes;
        };
        partition.output_bytes = data_for(0);
        for (std::size_t k = 0; k < link.next.size(); ++k) {
          if (is_partition_here(link.next[k])) {
            partition.output_bytes = data_for(k);
          } else {
            const std::size_t successor = problem.find_component(link.next[k]);
            if (successor == no_index)
              in.fail(child(link.path, "next"),
                      "\"" + link.next[k] + "\" is neither a partition of this deployment nor a component");
            partition.to_components.push_back({successor, data_for(k)});
          }
        }
        raw[c][link.name] =
            RawPartition{link.name, link.path, component.deployments.size(), deployment.partitions.size(),
                         in.optional_member(*link.json, "memory")};
        deployment.partitions.push_back(std::move(partition));
        const auto next = next_of.find(link.name);
        if (next == next_of.end()) break;
        i = next->second;
      }
      if (deployment.partitions.size() != links.size())
        in.fail(deployment_path, "the partitions do not form one chain through \"next\"");
      component.deployments.push_back(std::move(deployment));
    }
  }
  auto partition_of = [&](std::size_t c, const RawPartition& r) -> placement::Partition& {
    return problem.components[c].deployments[r.deployment].partitions[r.position];
  };

  // Compatibility: which resources each partition may use, and its memory there.
  const Json& compatibility =
      in.object(in.member(root, "", "CompatibilityMatrix", "the compatible resources of each partition"),
                "/CompatibilityMatrix");
  for (const auto& [component_name, component_json] : compatibility.items()) {
    const std::string component_path = child("/CompatibilityMatrix", component_name);
    const std::size_t c = component_index(component_name, component_path);
    in.object(component_json, component_path);
    for (const auto& [partition_name, entries] : component_json.items()) {
      const std::string path = child(component_path, partition_name);
      const auto found = raw[c].find(partition_name);
      if (found == raw[c].end())
        in.fail(path, "component " + component_name + " has no partition \"" + partition_name + "\"");
      if (!entries.is_array()) in.expected(path, "a list of compatible resources", entries);
      auto& partition = partition_of(c, found->second);
      for (std::size_t k = 0; k < entries.size(); ++k) {
        const std::string entry_path = child(path, k);
        const Json& entry = entries[k];
        placement::PlacementOption option;
        const Json* memory = found->second.memory;
        std::string memory_path = child(found->second.path, "memory");
        if (entry.is_string()) {
          option.resource = resource_index(entry.get<std::string>(), entry_path);
        } else if (entry.is_object()) {
          option.resource =
              resource_index(in.string(in.member(entry, entry_path, "resource", "a resource name"),
                                       child(entry_path, "resource"), "a resource name"),
                             child(entry_path, "resource"));
          if (const Json* own = in.optional_member(entry, "memory")) {
            memory = own;
            memory_path = child(entry_path, "memory");
          }
        } else {
          in.expected(entry_path, "a resource name or {\"resource\": name, \"memory\": MiB}", entry);
        }
        if (memory == nullptr)
          in.fail(entry_path, "no memory for partition " + partition_name + " of " + component_name +
                                  " (give \"memory\" in the entry or in the partition under /Components)");
        option.memory = in.non_negative(*memory, memory_path, "a non-negative memory in MiB") * mebibyte;
        for (const auto& existing : partition.options)
          if (existing.resource == option.resource)
            in.fail(entry_path, "resource " + problem.resources[option.resource].name + " listed twice");
        partition.options.push_back(option);
      }
    }
  }
  for (std::size_t c = 0; c < problem.components.size(); ++c)
    for (const auto& [name, r] : raw[c])
      if (partition_of(c, r).options.empty())
        in.fail(child("/CompatibilityMatrix", problem.components[c].name),
                "partition " + name + " has no compatible resource");

  // Demands.
  const Json* performance = in.optional_member(root, "Performance");
  const Json* demand_matrix = in.optional_member(root, "DemandMatrix");
  if (performance != nullptr && demand_matrix != nullptr)
    in.fail("", "both \"Performance\" and \"DemandMatrix\" are given; keep one");
  if (performance == nullptr && demand_matrix == nullptr)
    in.fail("", "missing \"Performance\" (or \"DemandMatrix\" in the Appendix-C form): the demands");
  const bool old_form = performance == nullptr;
  const std::string demands_path = old_form ? "/DemandMatrix" : "/Performance";
  const Json& demands = in.object(old_form ? *demand_matrix : *performance, demands_path);
  for (const auto& [component_name, component_json] : demands.items()) {
    const std::string component_path = child(demands_path, component_name);
    const std::size_t c = component_index(component_name, component_path);
    in.object(component_json, component_path);
    for (const auto& [partition_name, partition_json] : component_json.items()) {
      const std::string partition_path = child(component_path, partition_name);
      const auto found = raw[c].find(partition_name);
      if (found == raw[c].end())
        in.fail(partition_path,
                "component " + component_name + " has no partition \"" + partition_name + "\"");
      in.object(partition_json, partition_path);
      auto& partition = partition_of(c, found->second);
      for (const auto& [resource_name, value] : partition_json.items()) {
        const std::string path = child(partition_path, resource_name);
        const std::size_t r = resource_index(resource_name, path);
        auto option = std::find_if(partition.options.begin(), partition.options.end(),
                                   [r](const placement::PlacementOption& o) { return o.resource == r; });
        if (option == partition.options.end())
          in.fail(path, "a demand for " + resource_name +
                            ", which the CompatibilityMatrix does not list for " + partition_name + " of " +
                            component_name);
        const bool faas = problem.resources[r].kind == ResourceKind::faas;
        if (old_form) {
          if (faas) {
            // SPACE4AI-D reads [warm, cold] here and uses the static FaaS model.
            if (!value.is_array() || value.size() != 2)
              in.expected(path, "[warm, cold] demands in seconds", value);
            option->demand = in.positive(value[0], child(path, 0), "a positive warm demand in seconds");
            option->cold_demand = in.positive(value[1], child(path, 1), "a positive cold demand in seconds");
            option->model = placement::ResponseModel::faas_static;
          } else {
            option->demand = in.positive(value, path, "a positive demand in seconds");
            option->model = placement::ResponseModel::processor_sharing;
          }
          continue;
        }
        in.object(value, path);
        const std::string model = in.string(in.member(value, path, "model", "the performance model"),
                                            child(path, "model"), "a model name");
        if (model == "QTedge" || model == "QTcloud") {
          if (faas)
            in.fail(child(path, "model"),
                    "model " + model + " needs an edge or VM resource; " + resource_name + " is FaaS");
          option->demand = in.positive(in.member(value, path, "demand", "the demand in seconds"),
                                       child(path, "demand"), "a positive demand in seconds");
          option->model = placement::ResponseModel::processor_sharing;
        } else if (model == "PACSLTK" || model == "PACSLTKSTATIC") {
          if (!faas)
            in.fail(child(path, "model"),
                    "model " + model + " needs a FaaS resource; " + resource_name + " is not");
          option->demand = in.positive(in.member(value, path, "demandWarm", "the warm demand in seconds"),
                                       child(path, "demandWarm"), "a positive warm demand in seconds");
          option->cold_demand =
              in.positive(in.member(value, path, "demandCold", "the cold demand in seconds"),
                          child(path, "demandCold"), "a positive cold demand in seconds");
          option->model =
              model == "PACSLTK" ? placement::ResponseModel::faas : placement::ResponseModel::faas_static;
        } else {
          in.fail(child(path, "model"), "unsupported performance model \"" + model +
                                            "\"; supported: QTedge, QTcloud, PACSLTK, PACSLTKSTATIC");
        }
      }
    }
  }
  for (std::size_t c = 0; c < problem.components.size(); ++c)
    for (const auto& [name, r] : raw[c])
      for (const auto& option : partition_of(c, r).options)
        if (!(option.demand > 0.0))
          in.fail(
              child(child(demands_path, problem.components[c].name), name),
              "missing the demand of partition " + name + " on " + problem.resources[option.resource].name);

  // Workload and horizon.
  if (options.arrival_rate) {
    if (!(std::isfinite(*options.arrival_rate) && *options.arrival_rate > 0.0))
      throw Space4aiError(in.source() + ": the arrival rate override must be positive");
    problem.arrival_rate = *options.arrival_rate;
  } else {
    problem.arrival_rate =
        in.positive(in.member(root, "", "Lambda", "the arrival rate in requests per second"), "/Lambda",
                    "a positive arrival rate in requests per second");
  }
  if (const Json* time = in.optional_member(root, "Time"))
    problem.horizon = in.positive(*time, "/Time", "a positive horizon in hours") * seconds_per_hour;

  // Network domains.
  if (const Json* network = in.optional_member(root, "NetworkTechnology")) {
    in.object(*network, "/NetworkTechnology");
    for (const auto& [domain_name, domain_json] : network->items()) {
      const std::string path = child("/NetworkTechnology", domain_name);
      in.object(domain_json, path);
      placement::NetworkDomain domain;
      domain.name = domain_name;
      const std::string layers_path = child(path, "computationallayers");
      const Json& layers = in.member(domain_json, path, "computationallayers", "the layers of the domain");
      if (!layers.is_array()) in.expected(layers_path, "a list of layer names", layers);
      for (std::size_t k = 0; k < layers.size(); ++k) {
        const std::string name = in.string(layers[k], child(layers_path, k), "a layer name");
        const std::size_t l = problem.find_layer(name);
        if (l == no_index) in.fail(child(layers_path, k), "unknown computational layer \"" + name + "\"");
        domain.layers.push_back(l);
      }
      domain.access_delay =
          in.non_negative(in.member(domain_json, path, "AccessDelay", "the access delay in seconds"),
                          child(path, "AccessDelay"), "a non-negative delay in seconds");
      domain.bandwidth = in.positive(in.member(domain_json, path, "Bandwidth", "the bandwidth in Mbit/s"),
                                     child(path, "Bandwidth"), "a positive bandwidth in Mbit/s") *
                         1e6;
      problem.domains.push_back(std::move(domain));
    }
  }

  // DAG.
  if (const Json* dag = in.optional_member(root, "DirectedAcyclicGraph")) {
    in.object(*dag, "/DirectedAcyclicGraph");
    for (const auto& [component_name, node] : dag->items()) {
      const std::string path = child("/DirectedAcyclicGraph", component_name);
      const std::size_t from = component_index(component_name, path);
      in.object(node, path);
      const auto next = in.names(in.member(node, path, "next", "the successor components"),
                                 child(path, "next"), "a component name");
      std::vector<double> probabilities;
      if (const Json* p = in.optional_member(node, "transition_probability"))
        probabilities =
            in.numbers(*p, child(path, "transition_probability"), [&](const Json& v, const std::string& q) {
              return in.number(v, q, "a probability in [0, 1]", 0.0, 1.0);
            });
      else
        probabilities.assign(next.size(), next.size() == 1 ? 1.0 : -1.0);
      if (probabilities.size() != next.size())
        in.fail(child(path, "transition_probability"), "expected one probability per successor (" +
                                                           std::to_string(next.size()) + "), got " +
                                                           std::to_string(probabilities.size()));
      for (std::size_t k = 0; k < next.size(); ++k) {
        if (probabilities[k] < 0.0) in.fail(path, "missing \"transition_probability\" for a branch");
        const std::size_t to = component_index(next[k], child(child(path, "next"), k));
        if (to == from) in.fail(child(path, "next"), "component " + component_name + " cannot follow itself");
        problem.edges.push_back({from, to, probabilities[k]});
      }
    }
  }

  // Constraints.
  if (const Json* local = in.optional_member(root, "LocalConstraints")) {
    in.object(*local, "/LocalConstraints");
    for (const auto& [component_name, value] : local->items()) {
      const std::string path = child("/LocalConstraints", component_name);
      const std::size_t c = component_index(component_name, path);
      in.object(value, path);
      problem.local_constraints.push_back(
          {c, in.positive(in.member(value, path, "local_res_time", "the response-time bound in seconds"),
                          child(path, "local_res_time"), "a positive time in seconds")});
    }
  }
  if (const Json* global = in.optional_member(root, "GlobalConstraints")) {
    in.object(*global, "/GlobalConstraints");
    for (const auto& [path_name, value] : global->items()) {
      const std::string path = child("/GlobalConstraints", path_name);
      in.object(value, path);
      placement::PathConstraint constraint;
      constraint.name = path_name;
      const std::string components_path = child(path, "components");
      const Json& names = in.member(value, path, "components", "the components of the path");
      if (!names.is_array() || names.empty())
        in.expected(components_path, "a non-empty list of component names", names);
      for (std::size_t k = 0; k < names.size(); ++k)
        constraint.components.push_back(component_index(
            in.string(names[k], child(components_path, k), "a component name"), child(components_path, k)));
      constraint.max_response_time =
          in.positive(in.member(value, path, "global_res_time", "the response-time bound in seconds"),
                      child(path, "global_res_time"), "a positive time in seconds");
      problem.path_constraints.push_back(std::move(constraint));
    }
  }

  try {
    problem.validate();
  } catch (const std::invalid_argument& error) {
    throw Space4aiError(in.source() + ": " + error.what());
  }
  return problem;
}

}  // namespace

placement::PlacementProblem parse_space4ai_json(std::string_view text, std::string_view source,
                                                const Space4aiImportOptions& options) {
  const Reader reader(source);
  const Json root = parse_text(text, reader.source());
  return convert(root, reader, options);
}

placement::PlacementProblem read_space4ai_json(const std::string& path,
                                               const Space4aiImportOptions& options) {
  std::string text;
  try {
    text = read_input_file(path, "file");
  } catch (const LoadError& error) {  // the importer has its own error type
    throw Space4aiError(error.what());
  }
  return parse_space4ai_json(text, path, options);
}

nlohmann::ordered_json space4ai_solution_json(const placement::PlacementProblem& problem,
                                              const placement::Placement& placement,
                                              const placement::Evaluation& evaluation) {
  Json solution;
  solution["Lambda"] = problem.arrival_rate;
  Json components = Json::object();
  auto number_or_inf = [](double x) { return std::isfinite(x) ? Json(x) : Json("inf"); };
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    const auto& component = problem.components[c];
    const std::size_t s = placement.deployment[c];
    const auto& deployment = component.deployments[s];
    Json partitions = Json::object();
    for (std::size_t h = 0; h < deployment.partitions.size(); ++h) {
      const auto& partition = deployment.partitions[h];
      const std::size_t r = partition.options[placement.option[c][h]].resource;
      const auto& resource = problem.resources[r];
      Json description;
      description["description"] = resource.description.empty() ? "No description" : resource.description;
      if (resource.kind == ResourceKind::faas) {
        description["cost"] = resource.price * seconds_per_hour;
        description["memory"] = resource.memory / mebibyte;
        description["idle_time_before_kill"] = resource.keep_alive;
        description["transition_cost"] = resource.transition_cost;
      } else {
        const int n = placement.instances[r];
        description["cost"] = resource.price * seconds_per_hour * n;
        description["memory"] = resource.memory / mebibyte;
        description["number"] = n;
      }
      Json entry;
      entry[problem.layers[resource.layer].name][resource.name] = description;
      if (c < evaluation.partition_response_time.size() && h < evaluation.partition_response_time[c].size())
        entry["response_time"] = number_or_inf(evaluation.partition_response_time[c][h]);
      partitions[partition.name] = entry;
    }
    Json entry;
    entry[deployment.name] = partitions;
    double bound = std::numeric_limits<double>::infinity();
    for (const auto& constraint : problem.local_constraints)
      if (constraint.component == c) bound = std::min(bound, constraint.max_response_time);
    const double response =
        c < evaluation.component_response_time.size() ? evaluation.component_response_time[c] : std::nan("");
    entry["response_time"] = std::isnan(response) ? Json(nullptr) : number_or_inf(response);
    entry["response_time_threshold"] = number_or_inf(bound);
    components[component.name] = entry;
  }
  solution["components"] = components;
  Json paths = Json::object();
  for (std::size_t p = 0; p < problem.path_constraints.size(); ++p) {
    const auto& path = problem.path_constraints[p];
    Json entry;
    Json names = Json::array();
    for (std::size_t c : path.components) names.push_back(problem.components[c].name);
    entry["components"] = names;
    entry["global_res_time"] = path.max_response_time;
    entry["path_response_time_threshold"] = path.max_response_time;
    const double response =
        p < evaluation.path_response_time.size() ? evaluation.path_response_time[p] : std::nan("");
    entry["path_response_time"] = std::isnan(response) ? Json(nullptr) : number_or_inf(response);
    paths[path.name] = entry;
  }
  solution["global_constraints"] = paths;
  solution["total_cost"] = std::isfinite(evaluation.cost) ? Json(evaluation.cost) : Json(nullptr);
  solution["feasible"] = evaluation.feasible;
  return solution;
}

}  // namespace continuum::io
