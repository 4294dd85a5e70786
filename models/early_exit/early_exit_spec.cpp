#include "models/early_exit/early_exit_spec.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/early_exit/input_model.hpp"

namespace continuum {

namespace {
void require(bool condition, const std::string& what) {
  if (!condition) throw std::invalid_argument("early-exit scenario: " + what);
}

bool finite_at_least(double value, double low) {
  return std::isfinite(value) && value >= low;
}

void check_device(const EarlyExitScenario& scenario, const DeviceSpec& device, const char* role) {
  const DeviceTypeSpec& type = device_type_of(scenario, device);
  const std::string where = std::string(role) + " device \"" + device.name + "\"";
  require(device.count == 1,
          where + ": count must be 1 (one queue per exit policy), got " + std::to_string(device.count));
  require(type.discipline == Discipline::fcfs,
          where + ": discipline must be fcfs (the policy decides when a job starts service)");
  require(type.cores >= 1, where + ": cores must be >= 1");
  require(finite_at_least(type.power.idle_w, 0.0) && finite_at_least(type.power.busy_w, 0.0),
          where + ": power must be finite and >= 0 W");
}
}  // namespace

const DeviceTypeSpec& device_type_of(const EarlyExitScenario& scenario, const DeviceSpec& device) {
  for (const DeviceTypeSpec& type : scenario.device_types)
    if (type.name == device.type) return type;
  std::string known;
  for (const DeviceTypeSpec& type : scenario.device_types) known += (known.empty() ? "" : ", ") + type.name;
  throw std::invalid_argument("early-exit scenario: device \"" + device.name + "\" has unknown type \"" +
                              device.type + "\"; known: " + (known.empty() ? "(none)" : known));
}

void validate_early_exit_scenario(const EarlyExitScenario& scenario) {
  const int gates = scenario.gate_count();
  require(gates >= 1, "the network needs at least one gate");
  const SimulationSpec& sim = scenario.simulation;
  require(std::isfinite(sim.horizon) && sim.horizon > 0, "simulation.horizon must be a positive finite time");
  require(finite_at_least(sim.warmup, 0.0) && sim.warmup < sim.horizon,
          "simulation.warmup must be >= 0 and below the horizon");
  require(finite_at_least(sim.drain_limit, 0.0), "simulation.drain_limit must be >= 0");

  check_device(scenario, scenario.edge_device, "edge");
  const int split = scenario.last_edge_gate();
  require(split >= 0 && split < gates,
          "split_gate must be in [0, " + std::to_string(gates - 1) + "], got " + std::to_string(split));
  if (split < gates - 1) {
    require(scenario.cloud_device.has_value(),
            "gates after the split gate " + std::to_string(split) + " need a cloud device");
    check_device(scenario, *scenario.cloud_device, "cloud");
    const EarlyExitLinkSpec& link = scenario.link;
    require(std::isfinite(link.bandwidth) && link.bandwidth > 0,
            "link.bandwidth must be a positive finite bit/s");
    require(finite_at_least(link.delay, 0.0), "link.delay must be >= 0 s");
    require(finite_at_least(link.tx_power_w, 0.0) && finite_at_least(link.rx_power_w, 0.0),
            "link powers must be >= 0 W");
    require(finite_at_least(scenario.split_bytes, 0.0), "split_bytes must be >= 0");
  }

  for (int e = 0; e < gates; ++e) {
    const EarlyExitGateSpec& gate = scenario.gates[static_cast<std::size_t>(e)];
    const std::string where = "gate " + std::to_string(e) + (gate.name.empty() ? "" : " (" + gate.name + ")");
    require(gate.accuracy >= 0.0 && gate.accuracy <= 1.0, where + ": accuracy must be in [0, 1]");
    const DeviceSpec& host = e <= split ? scenario.edge_device : *scenario.cloud_device;
    const auto time = gate.time.find(host.type);
    require(time != gate.time.end(), where + ": no time on device type \"" + host.type + "\" that hosts it");
    const double mean = time->second.mean();
    require(std::isfinite(mean) && mean >= 0 && std::isfinite(time->second.second_moment()),
            where + ": time must have a finite mean >= 0 and a finite variance");
    if (e == 0) require(mean > 0, where + ": the time to the first gate must be > 0");
  }

  require(finite_at_least(scenario.offload_overhead, 0.0), "offload_overhead must be >= 0");

  const ArrivalSpec& arrivals = scenario.arrivals;
  if (arrivals.process == ArrivalSpec::Process::poisson ||
      arrivals.process == ArrivalSpec::Process::deterministic)
    require(std::isfinite(arrivals.rate) && arrivals.rate > 0,
            "arrivals.rate must be a positive finite rate");
  if (arrivals.process == ArrivalSpec::Process::renewal)
    require(arrivals.gaps.has_value(), "renewal arrivals need a gap distribution");

  if (const auto* table = std::get_if<InputTable>(&scenario.inputs)) {
    require(!table->records.empty(), "the input table has no row");
    require(!table->classes.empty(), "the input table has no class name");
    for (std::size_t r = 0; r < table->records.size(); ++r) {
      const InputRecord& record = table->records[r];
      const std::string where = "input row " + std::to_string(r);
      require(record.confidence.size() == static_cast<std::size_t>(gates) &&
                  record.correct.size() == static_cast<std::size_t>(gates),
              where + ": needs a confidence and a correctness for each of the " + std::to_string(gates) +
                  " gates");
      require(record.input_class < table->classes.size(), where + ": class index out of range");
      for (double c : record.confidence) require(c >= 0.0 && c <= 1.0, where + ": confidence outside [0, 1]");
    }
  } else {
    std::vector<double> accuracies;
    for (const auto& gate : scenario.gates) accuracies.push_back(gate.accuracy);
    SyntheticInputGenerator check(std::get<SyntheticInputSpec>(scenario.inputs), std::move(accuracies));
  }
}

}  // namespace continuum
