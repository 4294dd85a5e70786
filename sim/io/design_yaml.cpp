#include "sim/io/design_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include "sim/io/load_error.hpp"

namespace continuum::io {

namespace {

YAML::Node placement_node(const placement::ScenarioDesign& design) {
  YAML::Node placement(YAML::NodeType::Map);
  for (const auto& [component, target] : design.placement) {
    YAML::Node entry(YAML::NodeType::Map);
    entry["deployment"] = target.deployment;
    YAML::Node partitions(YAML::NodeType::Map);
    for (const auto& [partition, where] : target.partitions) {
      if (where.kind == PlacementTarget::Kind::faas) {
        YAML::Node function(YAML::NodeType::Map);
        function["faas"] = where.name;
        function.SetStyle(YAML::EmitterStyle::Flow);
        partitions[partition] = function;
      } else {
        partitions[partition] = where.name;
      }
    }
    partitions.SetStyle(YAML::EmitterStyle::Flow);
    entry["partitions"] = partitions;
    entry.SetStyle(YAML::EmitterStyle::Flow);
    placement[component] = entry;
  }
  return placement;
}

}  // namespace

std::string scenario_yaml_with_design(std::string_view scenario_yaml, std::string_view file_name,
                                      const placement::ScenarioDesign& design) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(scenario_yaml));
  } catch (const YAML::Exception& error) {
    throw LoadError(std::string(file_name), error.mark.line + 1, error.mark.column + 1, "",
                    "YAML syntax error: " + error.msg);
  }
  if (!root.IsMap()) throw LoadError(std::string(file_name), 1, 1, "", "expected a scenario mapping");

  root["placement"] = placement_node(design);
  const YAML::Node& original = root;  // const lookups: no empty keys added
  if (original["devices"]) {
    YAML::Node devices(YAML::NodeType::Map);
    for (const auto& entry : original["devices"]) {
      const auto name = entry.first.as<std::string>();
      const auto count = design.device_counts.find(name);
      if (count == design.device_counts.end()) continue;  // unused: not provisioned, not charged
      YAML::Node device = entry.second;
      device["count"] = count->second;
      devices[name] = device;
    }
    root["devices"] = devices;
  }
  // Candidate lists belong to the design problem and may name the removed devices.
  for (auto component : root["application"]["components"])
    for (auto deployment : component.second["deployments"])
      for (auto partition : deployment["partitions"])
        if (partition.IsMap()) partition.remove("candidates");

  YAML::Emitter emitter;
  emitter << root;
  return std::string(emitter.c_str()) + "\n";
}

}  // namespace continuum::io
