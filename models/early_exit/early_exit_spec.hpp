#pragma once
// The plain description of an early-exit DNN pipeline (MODELS.md §2, §6), as the scenario loader builds
// it and run_early_exit() simulates it: a multi-exit network whose gates run on an edge device and,
// past a split gate, on a cloud device reached over one link; inputs from a recorded table or a
// synthetic generator; a run-time exit policy chosen by name. Values are SI (s, bytes, bit/s, W).
// No file knowledge: a CSV table arrives here already parsed (parse_input_table in input_model.hpp).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "models/system/scenario_spec.hpp"
#include "sim/engine/distribution.hpp"

namespace continuum {

/// How the policy steers an input out of the network.
enum class ExitMode {
  single_exit,  ///< the policy fixes the gate when the job starts; only that gate answers (Casale & Roveri)
  threshold,    ///< the policy sets a confidence threshold; the input leaves at the first gate reaching it
};

/// One exit gate e of the network, shallow (0) to deep (E − 1).
struct EarlyExitGateSpec {
  std::string name;
  /// Device type name → time to run the network from the previous gate (the input for gate 0) up to
  /// gate e and evaluate gate e's classifier, in seconds: a law with its mean and spread. Only the
  /// device type that hosts the gate (edge for e ≤ split, cloud beyond) needs an entry.
  std::map<std::string, Distribution> time;
  /// a_e in [0, 1]: fraction of inputs leaving at gate e that are classified correctly (what the
  /// single-exit policies maximise; the synthetic generator makes correctness consistent with it).
  double accuracy = 0.0;
};

/// One recorded input: its class (context key, e.g. distortion type) and, per gate, the classifier's
/// confidence (max softmax, in [0, 1]) and whether its answer there is correct.
struct InputRecord {
  std::uint32_t input_class = 0;      ///< index into the class names of the input model
  std::vector<double> confidence;     ///< per gate
  std::vector<std::uint8_t> correct;  ///< per gate, 0 or 1
};

/// Inputs recorded by real early-exit inference (CSV, see input_model.hpp for the columns).
struct InputTable {
  enum class Order {
    random,      ///< each arrival draws a row uniformly, with replacement (stream "early_exit/inputs")
    sequential,  ///< rows in file order, cycling (replays a recorded stream)
  } order = Order::random;
  std::vector<std::string> classes;  ///< class names; records refer to them by index
  std::vector<InputRecord> records;
};

/// Synthetic inputs (documented in docs/models/early_exit.md): an input of class c has a difficulty
/// u ~ Beta(α_c, β_c); it is correct at gate e iff u < a_e, and its confidence there is
///     floor + (1 − floor) · logistic((a_e − u + noise·z_e) / sharpness),   z_e ~ N(0, 1),  floor = 1/labels,
/// so confidences rise with depth as a_e does, and with u ~ U(0, 1) (α = β = 1) the accuracy at gate e
/// is exactly a_e. Harder classes (β < α) lower every gate's accuracy to P(u < a_e).
struct SyntheticInputSpec {
  struct InputClass {
    std::string name = "default";
    double weight = 1.0;            ///< relative frequency among classes
    double difficulty_alpha = 1.0;  ///< Beta(α, β) difficulty; (1, 1) = uniform
    double difficulty_beta = 1.0;
  };
  std::vector<InputClass> classes{InputClass{}};
  double sharpness = 0.08;  ///< logistic scale of the margin a_e − u: smaller → more decisive confidences
  double noise = 0.05;      ///< standard deviation of the Gaussian noise added to each gate's margin
  int labels = 10;          ///< number of output labels; confidences stay ≥ 1/labels
};

/// Either a recorded table or the synthetic generator.
using InputModelSpec = std::variant<SyntheticInputSpec, InputTable>;

/// The edge → cloud link that carries the intermediate tensor at the split.
struct EarlyExitLinkSpec {
  double delay = 0.0;       ///< s, one way (propagation and access); the answer's way back pays it too
  double bandwidth = 0.0;   ///< bit/s; a tensor of s bytes is transmitted for 8 s / bandwidth
  double tx_power_w = 0.0;  ///< edge radio power while transmitting
  double rx_power_w = 0.0;  ///< cloud side power while receiving
  /// true: the edge transmits one tensor at a time (FIFO, the single radio of a small device);
  /// false: transfers do not interfere (as continuum's network domains).
  bool serialize = true;
};

/// Which exit policy runs, with its parameters (names and defaults: docs/models/early_exit.md).
struct ExitPolicySpec {
  std::string name = "always_deepest";
  std::map<std::string, double> parameters;
};

struct EarlyExitScenario {
  std::string name;
  std::string description;
  SimulationSpec simulation;

  std::vector<DeviceTypeSpec> device_types;  ///< cores, buffer (waiting places K − cores), power per type
  DeviceSpec edge_device;                    ///< count 1: one queue per policy
  std::optional<DeviceSpec> cloud_device;    ///< needed when split_gate < E − 1

  std::vector<EarlyExitGateSpec> gates;
  /// Gates 0..split_gate run on the edge device, the others on the cloud device. No value: E − 1 (the
  /// whole network on the edge).
  std::optional<int> split_gate;
  double split_bytes = 0.0;  ///< intermediate tensor sent at the split (bytes)
  EarlyExitLinkSpec link;

  ExitMode mode = ExitMode::single_exit;
  ExitPolicySpec policy;
  /// AdaEE offload overhead o (confidence units) charged in the bandits' reward when an input is
  /// offloaded past the edge part.
  double offload_overhead = 0.0;

  ArrivalSpec arrivals;
  InputModelSpec inputs = SyntheticInputSpec{};

  /// E, and the split gate with its default applied.
  int gate_count() const { return static_cast<int>(gates.size()); }
  int last_edge_gate() const { return split_gate.value_or(gate_count() - 1); }
};

/// Checks the scenario as a whole and throws std::invalid_argument naming the first bad field:
/// at least one gate; accuracies in [0, 1]; every gate has a time law on the type of the device
/// that hosts it; device names and types resolve; count 1 and FCFS for both devices; split in
/// [0, E − 1] with a cloud device and a link of positive bandwidth when split < E − 1; input
/// records sized E with confidences in [0, 1]; synthetic parameters positive; a positive arrival rate.
void validate_early_exit_scenario(const EarlyExitScenario& scenario);

/// The device type of a device (std::invalid_argument when unknown).
const DeviceTypeSpec& device_type_of(const EarlyExitScenario& scenario, const DeviceSpec& device);

}  // namespace continuum
