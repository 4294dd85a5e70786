// The `early_exit` section of a scenario (docs/scenario-format.md, "early_exit"): a multi-exit DNN
// on an edge device and optionally a cloud device, its inputs and its run-time exit policy. The
// result is an EarlyExitScenario for run_early_exit(); every field is checked here with its location,
// then validate_early_exit_scenario() checks the whole (its message is blamed on `early_exit`).
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include "models/early_exit/input_model.hpp"
#include "policies/early_exit/registry.hpp"
#include "sim/io/input_file.hpp"
#include "sim/io/scenario_reader.hpp"

namespace continuum::io::detail {

namespace {

const DeviceTypeSpec* find_type(const std::vector<DeviceTypeSpec>& types, const std::string& name) {
  for (const DeviceTypeSpec& type : types)
    if (type.name == name) return &type;
  return nullptr;
}

/// parse_input_table's "...line L: message" split into (L, message without "line L: "); (0, text)
/// when it names no line.
std::pair<int, std::string> table_error_line(const std::string& text) {
  constexpr std::string_view marker = "line ";
  for (std::size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
    int line = 0;
    const char* begin = text.data() + at + marker.size();
    const char* end = text.data() + text.size();
    const auto [rest, error] = std::from_chars(begin, end, line);
    if (error != std::errc() || rest == end || *rest != ':') continue;
    std::string tail(rest + 1, end);
    if (!tail.empty() && tail.front() == ' ') tail.erase(0, 1);
    return {line, text.substr(0, at) + tail};
  }
  return {0, text};
}

}  // namespace

void ScenarioReader::read_early_exit(const Field& field, const Field& workload) {
  const Mapping m(field, keys("early_exit"), "the early_exit section");
  EarlyExitScenario scenario;
  scenario.name = spec_.name;
  scenario.description = spec_.description;
  scenario.simulation = spec_.simulation;
  scenario.device_types = spec_.device_types;

  if (const auto f = m.get("mode"))
    scenario.mode = f->choice({"single_exit", "threshold"}, "exit mode") == "threshold"
                        ? ExitMode::threshold
                        : ExitMode::single_exit;
  scenario.edge_device = read_early_exit_device(
      m.require("edge_device", "the name of the device that runs the first gates"), "edge device");
  const auto cloud_field = m.get("cloud_device");
  if (cloud_field) {
    scenario.cloud_device = read_early_exit_device(*cloud_field, "cloud device");
    if (scenario.cloud_device->name == scenario.edge_device.name)
      cloud_field->fail("the cloud device must differ from the edge device " +
                        quote(scenario.edge_device.name));
  }

  const Field gates = m.require("gates", "a list of gates {name, accuracy, time}, shallow to deep");
  const auto items = gates.items("gates {name, accuracy, time}");
  if (items.empty()) gates.fail("expected at least one gate");
  std::vector<std::string> gate_names;
  for (const Field& item : items) {
    scenario.gates.push_back(read_early_exit_gate(item));
    check_unique(item, scenario.gates.back().name, gate_names, "gate");
  }
  const int gate_count = scenario.gate_count();

  const auto split_field = m.get("split_gate");
  if (split_field) {
    scenario.split_gate = static_cast<int>(split_field->integer(0, gate_count - 1));
    if (*scenario.split_gate < gate_count - 1 && !scenario.cloud_device)
      split_field->fail("gates after split gate " + std::to_string(*scenario.split_gate) +
                        " run in the cloud, but the section names no cloud_device");
  }
  // Each gate needs a time on the type of the device that hosts it.
  for (int e = 0; e < gate_count; ++e) {
    const bool on_edge = e <= scenario.last_edge_gate();
    const DeviceSpec& device = on_edge ? scenario.edge_device : *scenario.cloud_device;
    const EarlyExitGateSpec& gate = scenario.gates[static_cast<std::size_t>(e)];
    if (gate.time.count(device.type)) continue;
    std::vector<std::string> given;
    for (const auto& [type, _] : gate.time) given.push_back(type);
    const Mapping gate_map(items[static_cast<std::size_t>(e)], keys("early_exit gate"), "a gate");
    gate_map.require("time", "a mapping of device types to times")
        .fail("gate " + quote(gate.name) + " runs on the " + (on_edge ? "edge" : "cloud") + " device " +
              quote(device.name) + " (type " + quote(device.type) + ") but has no time." + device.type +
              " (times are given for: " + join_names(given) + ")");
  }
  if (cloud_field && !split_field)
    cloud_field->fail(
        "a cloud device is named but split_gate is not: without it every gate runs on the edge");

  if (const auto f = m.get("split_bytes"))
    scenario.split_bytes = f->quantity(Dimension::data, Bound::non_negative);
  if (const auto f = m.get("link")) scenario.link = read_early_exit_link(*f);
  if (const auto f = m.get("offload_overhead"))
    scenario.offload_overhead = f->quantity(Dimension::dimensionless, Bound::non_negative);
  if (const auto f = m.get("inputs")) scenario.inputs = read_early_exit_inputs(*f, gate_count);
  if (const auto f = m.get("policy")) scenario.policy = read_exit_policy(*f);

  read_early_exit_workload(workload);
  scenario.arrivals = spec_.sources.front().arrivals;

  try {
    validate_early_exit_scenario(scenario);
  } catch (const std::invalid_argument& error) {
    field.fail(error.what());
  }
  early_exit_ = std::move(scenario);
}

const DeviceSpec& ScenarioReader::read_early_exit_device(const Field& field, std::string_view role) const {
  const std::string name = field.name("device name");
  const DeviceSpec* device = nullptr;
  for (const DeviceSpec& d : spec_.devices)
    if (d.name == name) device = &d;
  if (!device) unknown_name(field, "device", name, device_names_);
  // One queue per device: the policy decides for that queue (docs/models/early_exit.md).
  if (device->count != 1)
    field.fail("the " + std::string(role) + " " + quote(name) + " has count " +
               std::to_string(device->count) +
               "; an early-exit pipeline runs on a single instance (count 1)");
  const DeviceTypeSpec* type = find_type(spec_.device_types, device->type);
  if (type && type->discipline != Discipline::fcfs)
    field.fail("the " + std::string(role) + " " + quote(name) + " has type " + quote(type->name) +
               " with discipline ps; early-exit devices serve one job at a time per core (fcfs)");
  return *device;
}

EarlyExitGateSpec ScenarioReader::read_early_exit_gate(const Field& field) {
  const Mapping m(field, keys("early_exit gate"), "a gate");
  EarlyExitGateSpec gate;
  gate.name = m.require("name", "the gate's name").name("gate name");
  gate.accuracy = m.require("accuracy", "the fraction of inputs answered correctly at this gate, in [0, 1]")
                      .probability();
  const Mapping time =
      Mapping::of_names(m.require("time", "a mapping of device types to times, e.g. {rpi4: 60ms}"),
                        "device type", "device type names to times from the previous gate");
  if (time.entries().empty()) time.field().fail("expected a time for at least one device type");
  for (const auto& entry : time.entries()) {
    if (!contains(device_type_names_, entry.key))
      unknown_name(entry.key_field, "device type", entry.key, device_type_names_);
    if (entry.value.is_null()) entry.value.fail("expected a time such as 60ms or a distribution {dist: ...}");
    gate.time.emplace(entry.key, read_distribution(entry.value, Dimension::time));
  }
  return gate;
}

EarlyExitLinkSpec ScenarioReader::read_early_exit_link(const Field& field) const {
  const Mapping m(field, keys("early_exit link"), "the early-exit link");
  EarlyExitLinkSpec link;
  if (const auto f = m.get("delay")) link.delay = f->quantity(Dimension::time, Bound::non_negative);
  link.bandwidth =
      m.require("bandwidth", "a bandwidth such as 20Mbps").quantity(Dimension::bandwidth, Bound::positive);
  if (const auto f = m.get("tx_power")) link.tx_power_w = f->quantity(Dimension::power, Bound::non_negative);
  if (const auto f = m.get("rx_power")) link.rx_power_w = f->quantity(Dimension::power, Bound::non_negative);
  if (const auto f = m.get("serialize")) link.serialize = f->choice({"true", "false"}, "serialize") == "true";
  return link;
}

InputModelSpec ScenarioReader::read_early_exit_inputs(const Field& field, int gate_count) const {
  const Mapping m(field, keys("early_exit inputs"), "the inputs");
  const auto table_field = m.get("table");
  const auto synthetic_field = m.get("synthetic");
  if (table_field && synthetic_field)
    synthetic_field->fail("give either `table` (a CSV file) or `synthetic`, not both");
  if (!table_field) {
    if (const auto order = m.get("order"))
      order->fail("`order` applies to a table of recorded inputs; synthetic inputs are drawn independently");
    if (!synthetic_field) m.field().fail("expected `table: inputs.csv` or `synthetic: {...}`");
    return read_synthetic_inputs(*synthetic_field);
  }
  const std::filesystem::path relative =
      table_field->scalar("a CSV file name, relative to the scenario file");
  const std::filesystem::path path =
      relative.is_absolute() ? relative : (base_dir_ / relative).lexically_normal();
  std::ifstream in(path, std::ios::binary);
  if (!in) table_field->fail("cannot open " + quote(path.string()) + ": " + std::strerror(errno));
  // Opened, but it may be a directory, a device that never ends, or far too large.
  if (const auto problem =
          input_file_problem(path, "input table " + quote(path.string()), max_csv_input_bytes))
    table_field->fail(*problem);
  std::ostringstream text;
  text << in.rdbuf();
  InputTable table;
  try {
    table = parse_input_table(text.str(), gate_count);
  } catch (const std::invalid_argument& error) {
    const auto [line, message] = table_error_line(error.what());
    throw LoadError(path.string(), line, 0, table_field->path(),
                    message + " (an input table with " + std::to_string(gate_count) + " gates)");
  }
  if (const auto order = m.get("order"))
    table.order = order->choice({"random", "sequential"}, "input order") == "sequential"
                      ? InputTable::Order::sequential
                      : InputTable::Order::random;
  return table;
}

SyntheticInputSpec ScenarioReader::read_synthetic_inputs(const Field& field) const {
  SyntheticInputSpec spec;
  if (field.is_null()) return spec;
  const Mapping m(field, keys("synthetic inputs"), "synthetic inputs");
  if (const auto f = m.get("sharpness"))
    spec.sharpness = f->quantity(Dimension::dimensionless, Bound::positive);
  if (const auto f = m.get("noise")) spec.noise = f->quantity(Dimension::dimensionless, Bound::non_negative);
  if (const auto f = m.get("labels")) spec.labels = static_cast<int>(f->integer(1, 1000000));
  if (const auto classes = m.get("classes")) {
    const auto items = classes->items("input classes {name, weight, difficulty}");
    if (items.empty()) classes->fail("expected at least one input class");
    spec.classes.clear();
    std::vector<std::string> names;
    for (const Field& item : items) {
      const Mapping c(item, keys("input class"), "an input class");
      SyntheticInputSpec::InputClass input_class;
      if (const auto f = c.get("name")) input_class.name = f->name("class name");
      check_unique(item, input_class.name, names, "input class");
      if (const auto f = c.get("weight"))
        input_class.weight = f->quantity(Dimension::dimensionless, Bound::non_negative);
      if (const auto f = c.get("difficulty")) {
        const Mapping d(*f, keys("difficulty"), "a Beta difficulty {alpha, beta}");
        if (const auto a = d.get("alpha"))
          input_class.difficulty_alpha = a->quantity(Dimension::dimensionless, Bound::positive);
        if (const auto b = d.get("beta"))
          input_class.difficulty_beta = b->quantity(Dimension::dimensionless, Bound::positive);
      }
      spec.classes.push_back(std::move(input_class));
    }
    double total = 0.0;
    for (const auto& input_class : spec.classes) total += input_class.weight;
    if (total <= 0.0) classes->fail("at least one input class needs a positive weight");
  }
  return spec;
}

ExitPolicySpec ScenarioReader::read_exit_policy(const Field& field) const {
  early_exit::ExitPolicyRegistry registry;
  early_exit::register_builtin_exit_policies(registry);
  ExitPolicySpec policy;
  std::optional<Field> name_field;
  std::vector<Mapping::Entry> parameters;
  if (field.is_scalar()) {
    name_field = field;
  } else {
    const Mapping m = Mapping::of_names(field, "parameter", "the policy's name and its parameters");
    name_field = m.require("name", "an exit policy name such as " + join_names(registry.names()));
    for (const auto& entry : m.entries())
      if (entry.key != "name") parameters.push_back(entry);
  }
  policy.name = name_field->name("exit policy name");
  const early_exit::ExitPolicyEntry* entry = registry.find(policy.name);
  if (!entry) unknown_name(*name_field, "exit policy", policy.name, registry.names());
  std::vector<std::string> known;
  for (const auto& parameter : entry->parameters) known.push_back(parameter.name);
  std::vector<std::string> of_other_policies;
  for (const std::string& other : registry.names())
    for (const auto& parameter : registry.at(other).parameters) of_other_policies.push_back(parameter.name);
  for (const auto& parameter : parameters) {
    if (!contains(known, parameter.key)) {
      // A parameter of another policy is left out, so that one `--set early_exit.policy.name=...`
      // switches policies; a key no policy declares is a typo.
      if (contains(of_other_policies, parameter.key)) continue;
      parameter.key_field.fail("unknown parameter " + quote(parameter.key) + " of exit policy " +
                               quote(policy.name) + hint_and_list(parameter.key, known, "its parameters"));
    }
    // A plain number, or a time with its unit (time_quantum: 20ms) in seconds.
    double value = 0.0;
    try {
      value = parse_quantity(parameter.value.scalar("a number"), Dimension::dimensionless);
    } catch (const std::invalid_argument&) {
      try {
        value = parse_quantity(parameter.value.scalar("a number"), Dimension::time);
      } catch (const std::invalid_argument&) {
        parameter.value.fail("expected a number (or a time such as 20ms) for parameter " +
                             quote(parameter.key) + "; got " + parameter.value.describe());
      }
    }
    policy.parameters[parameter.key] = value;
  }
  return policy;
}

void ScenarioReader::read_early_exit_workload(const Field& field) {
  const auto items = field.items("one source {name, arrivals}");
  if (items.size() != 1)
    field.fail("an early-exit scenario has exactly one source (the inputs of the network); got " +
               std::to_string(items.size()));
  const Mapping s(items.front(), keys("source"), "a source");
  if (const auto entry = s.get("entry"))
    entry->fail("an early-exit scenario has no components: leave `entry` out (inputs enter the first gate)");
  SourceSpec source;
  source.name = s.require("name", "the source's name").name("source name");
  source.arrivals = read_arrivals(s.require("arrivals", "an arrival process {process: poisson, rate: 1/s}"));
  spec_.sources.push_back(std::move(source));
}

}  // namespace continuum::io::detail
