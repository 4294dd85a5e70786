#pragma once
// Builds a ScenarioSpec from a parsed (and overridden) YAML tree, checking every field and every
// cross-reference on the way (docs/scenario-format.md). Internal to sim/io: use load_scenario().
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "models/early_exit/early_exit_spec.hpp"
#include "models/system/scenario_spec.hpp"
#include "sim/io/yaml_field.hpp"

namespace continuum::io::detail {

class ScenarioReader {
 public:
  /// `base_dir`: where relative CSV paths (traces, empirical samples) resolve.
  ScenarioReader(const YamlSource& source, std::filesystem::path base_dir);

  /// The ScenarioSpec; for an early-exit scenario (top-level `early_exit:`) it holds only the name,
  /// simulation, device types, devices and the source, and take_early_exit() returns the pipeline.
  ScenarioSpec read(const YAML::Node& root);
  /// The early-exit scenario read by read(), if the file had an `early_exit` section (moved out).
  std::optional<EarlyExitScenario> take_early_exit() { return std::move(early_exit_); }

  /// Known keys of every mapping of the format, by mapping kind; docs/scenario-format.md documents
  /// each of them (a test checks it).
  static const std::map<std::string, std::vector<std::string>>& schema();
  /// The known keys of one mapping kind of schema().
  static const std::vector<std::string>& keys(const std::string& kind) { return schema().at(kind); }

 private:
  // Sections, in dependency order: what a section refers to is read before it.
  void read_simulation(const Field& field);
  void read_layers(const Field& field);
  void read_cloud_layers(const Field& field);
  void read_device_types(const Field& field);
  DeviceTypeSpec read_device_type(const Mapping::Entry& entry);
  void read_network(const Field& field);
  void read_topology(const Field& field);
  OutageSpec read_outages(const Field& field) const;
  void read_devices(const Field& field);
  void read_faas(const Field& field);
  FaasFunctionSpec read_faas_function(const Mapping::Entry& entry);
  void read_application(const Field& field);
  ComponentSpec read_component(const Mapping::Entry& entry);
  PartitionSpec read_partition(const Field& field);
  void read_edges(const Field& field);
  void check_component_graph() const;
  void read_path_constraints(const Field& field);
  void read_placement(const Field& field);
  void check_placed_demands_and_memory() const;
  void check_network_reachability() const;
  void read_workload(const Field& field);
  ArrivalSpec read_arrivals(const Field& field);
  // Early-exit pipelines (scenario_early_exit.cpp).
  void read_early_exit(const Field& field, const Field& workload);
  const DeviceSpec& read_early_exit_device(const Field& field, std::string_view role) const;
  EarlyExitGateSpec read_early_exit_gate(const Field& field);
  EarlyExitLinkSpec read_early_exit_link(const Field& field) const;
  InputModelSpec read_early_exit_inputs(const Field& field, int gate_count) const;
  SyntheticInputSpec read_synthetic_inputs(const Field& field) const;
  ExitPolicySpec read_exit_policy(const Field& field) const;
  void read_early_exit_workload(const Field& field);
  std::vector<SimTime> read_trace(const Mapping& arrivals);

  /// A bare quantity (exponential with that mean) or `{dist: ..., ...}`, in `dimension`.
  Distribution read_distribution(const Field& field, Dimension dimension) const;
  std::vector<double> read_csv_values(const Mapping& mapping, Dimension dimension, Bound bound) const;

  [[noreturn]] static void unknown_name(const Field& at, std::string_view what, const std::string& name,
                                        const std::vector<std::string>& known);

  const YamlSource& source_;
  std::filesystem::path base_dir_;
  ScenarioSpec spec_;
  std::optional<EarlyExitScenario> early_exit_;

  // Locations kept for the checks that span sections.
  bool layers_declared_ = false;
  std::vector<std::string> device_type_names_;
  std::vector<std::string> device_names_;
  std::vector<std::string> faas_function_names_;
  std::vector<std::string> faas_function_layers_;
  std::vector<std::string> component_names_;
  std::map<std::string, bool> memory_given_;  // device type -> memory limit stated
  std::vector<Field> edge_fields_;
  std::vector<Field> edge_from_fields_;
  struct PlacedPartition {
    const ComponentSpec* component;
    const PartitionSpec* partition;
    std::size_t device;               // index into spec_.devices; for FaaS, devices.size() + function index
    std::optional<std::size_t> faas;  // index into faas_functions_ when placed on a FaaS function
    Field target;
  };
  std::vector<std::vector<PlacedPartition>> placed_;  // per component, in partition order
};

}  // namespace continuum::io::detail
