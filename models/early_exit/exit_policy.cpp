#include "models/early_exit/exit_policy.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace continuum {

int ExitPolicy::choose_gate(const ExitContext&) {
  throw std::logic_error("exit policy " + std::string(name()) + " does not choose gates (single_exit mode)");
}

double ExitPolicy::choose_threshold(const ExitContext&) {
  throw std::logic_error("exit policy " + std::string(name()) +
                         " does not choose thresholds (threshold mode)");
}

ExitPolicySetup make_exit_policy_setup(const EarlyExitScenario& scenario,
                                       const std::vector<std::string>& input_classes) {
  ExitPolicySetup setup;
  setup.name = scenario.policy.name;
  setup.parameters = scenario.policy.parameters;
  setup.mode = scenario.mode;
  setup.last_edge_gate = scenario.last_edge_gate();
  setup.has_cloud = setup.last_edge_gate < scenario.gate_count() - 1;
  const DeviceTypeSpec& edge_type = device_type_of(scenario, scenario.edge_device);
  setup.edge_buffer = edge_type.buffer;
  setup.edge_cores = edge_type.cores;
  setup.link_bandwidth = setup.has_cloud ? scenario.link.bandwidth : 0.0;
  setup.offload_overhead = scenario.offload_overhead;
  setup.input_classes = input_classes;

  double edge_mean = 0.0, edge_variance = 0.0, cloud_mean = 0.0, cloud_variance = 0.0;
  for (int e = 0; e < scenario.gate_count(); ++e) {
    const EarlyExitGateSpec& gate = scenario.gates[static_cast<std::size_t>(e)];
    const bool on_edge = e <= setup.last_edge_gate;
    const std::string& host = on_edge ? scenario.edge_device.type : scenario.cloud_device->type;
    const Distribution& time = gate.time.at(host);
    const double mean = time.mean();
    const double variance = std::max(0.0, time.second_moment() - mean * mean);  // rounding can go below 0
    if (on_edge) {
      edge_mean += mean;
      edge_variance += variance;
    } else {
      cloud_mean += mean;
      cloud_variance += variance;
    }
    GateProfile profile;
    profile.edge_mean = edge_mean;
    profile.edge_variance = edge_variance;
    profile.total_mean = edge_mean;
    profile.total_variance = edge_variance + cloud_variance;
    if (!on_edge)
      profile.total_mean +=
          8.0 * scenario.split_bytes / scenario.link.bandwidth + 2.0 * scenario.link.delay + cloud_mean;
    profile.accuracy = gate.accuracy;
    setup.gates.push_back(profile);
  }
  return setup;
}

int first_gate_reaching(const InputRecord& input, double threshold) {
  const int gates = static_cast<int>(input.confidence.size());
  for (int e = 0; e < gates; ++e)
    if (input.confidence[static_cast<std::size_t>(e)] >= threshold) return e;
  return gates - 1;
}

}  // namespace continuum
