#include "policies/early_exit/registry.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "policies/early_exit/exit_policies.hpp"

namespace continuum::early_exit {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "(none)" : out;
}

[[noreturn]] void reject(std::string_view policy, const std::string& what) {
  throw std::invalid_argument("exit policy \"" + std::string(policy) + "\": " + what);
}

bool given(const ExitPolicyValues& values, std::string_view name) {
  return values.find(name) != values.end();
}

double number(const ExitPolicyValues& values, std::string_view policy, std::string_view name) {
  const auto found = values.find(name);
  if (found == values.end()) reject(policy, "missing parameter \"" + std::string(name) + "\"");
  if (std::isnan(found->second)) reject(policy, "parameter \"" + std::string(name) + "\" is not a number");
  return found->second;
}

double in_range(const ExitPolicyValues& values, std::string_view policy, std::string_view name, double low,
                double high) {
  const double value = number(values, policy, name);
  if (!(value >= low && value <= high))
    reject(policy, "parameter \"" + std::string(name) + "\" must be in [" + std::to_string(low) + ", " +
                       std::to_string(high) + "], got " + std::to_string(value));
  return value;
}

int integer(const ExitPolicyValues& values, std::string_view policy, std::string_view name, int low,
            int high) {
  const double value = number(values, policy, name);
  if (value != std::floor(value) || value < low || value > high)
    reject(policy, "parameter \"" + std::string(name) + "\" must be an integer in [" + std::to_string(low) +
                       ", " + std::to_string(high) + "], got " + std::to_string(value));
  return static_cast<int>(value);
}

/// The knapsack and the queueing LP model the edge device as one server with a finite waiting room.
int single_server_buffer(const ExitPolicySetup& setup) {
  if (!setup.edge_buffer) reject(setup.name, "needs a finite buffer on the edge device");
  if (setup.edge_cores != 1)
    reject(setup.name,
           "models the edge device as one server; it has " + std::to_string(setup.edge_cores) + " cores");
  if (*setup.edge_buffer > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
    reject(setup.name, "edge buffer too large");
  return static_cast<int>(*setup.edge_buffer);
}

void needs_cloud(const ExitPolicySetup& setup) {
  if (!setup.has_cloud)
    reject(setup.name,
           "needs a cloud part (split_gate < E - 1): its reward is the confidence gained by offloading past "
           "the edge");
}

const ExitPolicyParameter window_parameter{"window", "inter-arrival gaps in the rate estimate λ̂", 32.0};
const ExitPolicyParameter arms_parameter{"arms", "candidate thresholds, evenly spaced over [low, high]",
                                         11.0};
const ExitPolicyParameter low_parameter{"threshold_low", "smallest candidate threshold", 0.5};
const ExitPolicyParameter high_parameter{"threshold_high", "largest candidate threshold", 1.0};

std::size_t window(const ExitPolicyValues& values, std::string_view policy) {
  return static_cast<std::size_t>(integer(values, policy, "window", 1, 1 << 20));
}

std::vector<double> grid(const ExitPolicyValues& values, std::string_view policy) {
  const int arms = integer(values, policy, "arms", 1, 1000);
  const double low = in_range(values, policy, "threshold_low", 0.0, 2.0);
  const double high = in_range(values, policy, "threshold_high", low, 2.0);
  return threshold_grid(arms, low, high);
}

}  // namespace

void ExitPolicyRegistry::add(ExitPolicyEntry entry) {
  if (entry.name.empty()) throw std::invalid_argument("exit policy registry: empty name");
  if (!entry.make) throw std::invalid_argument("exit policy registry: \"" + entry.name + "\" has no factory");
  if (entries_.count(entry.name))
    throw std::invalid_argument("exit policy registry: \"" + entry.name + "\" is already registered");
  const std::string name = entry.name;
  entries_.emplace(name, std::move(entry));
}

const ExitPolicyEntry* ExitPolicyRegistry::find(std::string_view name) const {
  const auto found = entries_.find(name);
  return found == entries_.end() ? nullptr : &found->second;
}

const ExitPolicyEntry& ExitPolicyRegistry::at(std::string_view name) const {
  if (const ExitPolicyEntry* entry = find(name)) return *entry;
  throw std::invalid_argument("unknown exit policy \"" + std::string(name) + "\"; known: " + join(names()));
}

std::vector<std::string> ExitPolicyRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : entries_) out.push_back(name);
  return out;
}

std::unique_ptr<ExitPolicy> ExitPolicyRegistry::make(const ExitPolicySetup& setup) const {
  const ExitPolicyEntry& entry = at(setup.name);
  ExitPolicyValues values;
  for (const auto& parameter : entry.parameters)
    if (parameter.has_default && !parameter.required) values[parameter.name] = parameter.default_value;
  for (const auto& [name, value] : setup.parameters) {
    bool known = false;
    for (const auto& parameter : entry.parameters) known = known || parameter.name == name;
    if (!known) {
      std::vector<std::string> known_names;
      for (const auto& parameter : entry.parameters) known_names.push_back(parameter.name);
      reject(setup.name, "unknown parameter \"" + name + "\"; known: " + join(known_names));
    }
    values[name] = value;
  }
  for (const auto& parameter : entry.parameters)
    if (parameter.required && !given(values, parameter.name))
      reject(setup.name, "missing parameter \"" + parameter.name + "\" (" + parameter.help + ")");
  std::unique_ptr<ExitPolicy> policy = entry.make(setup, values);
  if (!policy->supports(setup.mode))
    reject(setup.name, setup.mode == ExitMode::single_exit ? "does not support single_exit mode"
                                                           : "does not support threshold mode");
  return policy;
}

ExitPolicyFactory ExitPolicyRegistry::factory() const {
  return [this](const ExitPolicySetup& setup) { return make(setup); };
}

void register_builtin_exit_policies(ExitPolicyRegistry& registry) {
  registry.add({"fixed_gate",
                "every input leaves at one gate (single_exit); gate 0 is always-shallowest",
                {{"gate", "the gate, 0..E-1", 0.0, false, true}},
                [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
                  const int gates = static_cast<int>(setup.gates.size());
                  return std::make_unique<FixedGatePolicy>(gates,
                                                           integer(values, setup.name, "gate", 0, gates - 1));
                }});

  registry.add({"fixed_threshold",
                "one confidence threshold for every input (threshold mode)",
                {{"threshold", "confidence an input needs to leave at a gate", 0.0, false, true}},
                [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
                  return std::make_unique<FixedThresholdPolicy>(number(values, setup.name, "threshold"));
                }});

  registry.add({"always_deepest",
                "the plain network: every input runs to the last gate (both modes)",
                {},
                [](const ExitPolicySetup& setup, const ExitPolicyValues&) {
                  return std::make_unique<AlwaysDeepestPolicy>(static_cast<int>(setup.gates.size()));
                }});

  registry.add({"reactive",
                "one gate shallower per lost arrival, one deeper when the edge device empties (single_exit)",
                {{"initial_gate", "gate before the first signal; default E-1", 0.0, false, false}},
                [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
                  const int gates = static_cast<int>(setup.gates.size());
                  const int initial = given(values, "initial_gate")
                                          ? integer(values, setup.name, "initial_gate", 0, gates - 1)
                                          : gates - 1;
                  return std::make_unique<ReactivePolicy>(gates, initial);
                }});

  registry.add({"knapsack",
                "Casale & Roveri single-exit knapsack over the next q+1 jobs (single_exit)",
                {{"time_quantum", "s, DP grid; default: a tenth of the smallest extra time t_e - t_0", 0.0,
                  false, false},
                 window_parameter},
                [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
                  const int buffer = single_server_buffer(setup);
                  const double quantum = given(values, "time_quantum")
                                             ? in_range(values, setup.name, "time_quantum", 1e-12, 1e9)
                                             : 0.0;
                  return std::make_unique<KnapsackPolicy>(edge_gates(setup), buffer, quantum,
                                                          window(values, setup.name));
                }});

  registry.add(
      {"queueing_lp",
       "Casale & Roveri M/G/1/K loss-constrained gate mixture by LP (single_exit)",
       {{"loss_target", "largest acceptable predicted loss ε", 0.01},
        {"grid_points", "candidate mean service times (plus every gate time)", 50.0},
        {"relative_threshold", "relative move of λ̂ that triggers a new solve", 0.1},
        window_parameter},
       [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
         const int buffer = single_server_buffer(setup);
         const double epsilon = number(values, setup.name, "loss_target");
         if (!(epsilon > 0 && epsilon < 1)) reject(setup.name, "parameter \"loss_target\" must be in (0, 1)");
         return std::make_unique<QueueingLpPolicy>(
             edge_gates(setup), buffer, epsilon, integer(values, setup.name, "grid_points", 2, 100000),
             in_range(values, setup.name, "relative_threshold", 0.0, 1e9), window(values, setup.name));
       }});

  registry.add({"ucb",
                "AdaEE: UCB1 over edge confidence thresholds, one bandit per input class (threshold mode)",
                {arms_parameter,
                 low_parameter,
                 high_parameter,
                 {"exploration_c", "UCB exploration weight c", 1.0},
                 {"per_class", "1: one bandit per input class (AdaEE contexts); 0: one for all", 1.0}},
                [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
                  needs_cloud(setup);
                  return std::make_unique<UcbThresholdPolicy>(
                      grid(values, setup.name), in_range(values, setup.name, "exploration_c", 0.0, 1e9),
                      integer(values, setup.name, "per_class", 0, 1) == 1, setup.input_classes,
                      setup.last_edge_gate, setup.offload_overhead);
                }});

  registry.add(
      {"linucb",
       "LinUCB over thresholds with context (queue, load, uplink backlog, input class) (threshold mode)",
       {arms_parameter,
        low_parameter,
        high_parameter,
        {"alpha", "LinUCB confidence width α", 1.0},
        {"ridge_lambda", "ridge prior precision λ", 1.0},
        {"link_weight", "offload overhead grows as o·(1 + w·uplink backlog); 0: AdaEE's reward", 0.0},
        window_parameter},
       [](const ExitPolicySetup& setup, const ExitPolicyValues& values) {
         needs_cloud(setup);
         const double ridge = number(values, setup.name, "ridge_lambda");
         if (!(ridge > 0 && std::isfinite(ridge)))
           reject(setup.name, "parameter \"ridge_lambda\" must be > 0");
         return std::make_unique<LinUcbThresholdPolicy>(
             grid(values, setup.name), in_range(values, setup.name, "alpha", 0.0, 1e9), ridge,
             in_range(values, setup.name, "link_weight", 0.0, 1e9), window(values, setup.name), setup);
       }});
}

}  // namespace continuum::early_exit
