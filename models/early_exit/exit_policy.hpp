#pragma once
// What an early-exit policy sees of the running pipeline, and what it must answer. The models layer
// defines the interface; the policies layer (policies/early_exit/exit_policies.hpp) implements it with
// the decision cores, and run_early_exit() receives a factory, so models never include policies.
//
// Call order for one input: on_arrival (every arrival, lost ones included: rate estimates must see the
// overload) → at the start of its edge service choose_gate (single_exit) or choose_threshold
// (threshold) → on_outcome once it is answered or lost downstream. on_queue_empty whenever the edge
// device becomes empty.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/early_exit/early_exit_spec.hpp"
#include "sim/engine/sim_time.hpp"

namespace continuum {

/// The state a decision may use, taken when the job starts on the edge device.
struct ExitContext {
  std::uint64_t job = 0;  ///< arrival order of the input, from 0: matches its ExitOutcome
  SimTime now = 0.0;
  int queued_jobs = 0;          ///< q: jobs waiting on the edge device behind the one starting now
  int in_service = 0;           ///< jobs in service on the edge device, this one included
  int link_backlog = 0;         ///< tensors on the uplink (being sent or waiting to be sent)
  double link_bandwidth = 0.0;  ///< bit/s of the edge → cloud link (0 without a cloud part)
  std::uint32_t input_class = 0;
  std::string_view input_class_name;
  /// A U[0, 1) draw from the run's stream "early_exit/policy", one per input whether or not the policy
  /// uses it, so randomised policies stay reproducible and see common random numbers.
  double uniform01 = 0.0;
};

/// What happened to an input after the decision.
struct ExitOutcome {
  std::uint64_t job = 0;
  SimTime now = 0.0;
  const InputRecord* input = nullptr;  ///< its confidences and correctness at every gate
  int exit_gate = -1;                  ///< gate that answered (or would have, when lost downstream)
  double threshold = 0.0;              ///< the threshold chosen (threshold mode; NaN in single_exit)
  bool offloaded = false;              ///< it went past the edge part
  bool answered = false;               ///< false: lost at the cloud buffer
  bool correct = false;
  double latency = 0.0;  ///< s from arrival to answer (NaN when lost)
};

/// What a learning policy reports at the end (EarlyExitReport::cumulative_reward, regret).
struct LearningReport {
  double cumulative_reward = 0.0;
  double regret = 0.0;  ///< against the best fixed arm in hindsight
};

class ExitPolicy {
 public:
  virtual ~ExitPolicy() = default;
  virtual std::string_view name() const = 0;
  virtual bool supports(ExitMode mode) const = 0;

  /// single_exit mode: the gate (0..E−1) of the job starting now.
  virtual int choose_gate(const ExitContext& context);
  /// threshold mode: the confidence threshold for the job starting now (> 1 never exits early).
  virtual double choose_threshold(const ExitContext& context);

  virtual void on_arrival(SimTime /*now*/, bool /*admitted*/) {}
  virtual void on_queue_empty(SimTime /*now*/) {}
  virtual void on_outcome(const ExitOutcome& /*outcome*/) {}

  /// Learning policies: cumulative reward and regret so far.
  virtual std::optional<LearningReport> learning() const { return std::nullopt; }
};

/// Gate e as the policies see it (derived from the scenario by make_exit_policy_setup).
struct GateProfile {
  double edge_mean =
      0.0;  ///< s: time the job holds the edge device when it leaves at e (gates ≤ min(e, split))
  double edge_variance = 0.0;  ///< s²
  /// s: the whole service without queueing: edge part, and beyond the split the tensor's transmission,
  /// the link delay both ways and the cloud part.
  double total_mean = 0.0;
  double total_variance = 0.0;
  double accuracy = 0.0;
};

/// Everything a policy factory may use to build its policy.
struct ExitPolicySetup {
  std::string name;
  std::map<std::string, double> parameters;
  ExitMode mode = ExitMode::single_exit;
  std::vector<GateProfile> gates;
  int last_edge_gate = 0;  ///< split: gates ≤ it run on the edge device
  bool has_cloud = false;
  std::optional<std::uint64_t> edge_buffer;  ///< waiting places of the edge device (none: unbounded)
  int edge_cores = 1;
  double link_bandwidth = 0.0;
  double offload_overhead = 0.0;  ///< AdaEE o
  std::vector<std::string> input_classes;
};

/// Derives the policies' view of a (validated) scenario: per-gate edge and total times, split, buffer.
ExitPolicySetup make_exit_policy_setup(const EarlyExitScenario& scenario,
                                       const std::vector<std::string>& input_classes);

using ExitPolicyFactory = std::function<std::unique_ptr<ExitPolicy>(const ExitPolicySetup&)>;

/// First gate whose confidence reaches `threshold` (≥), else the last gate E − 1: where a
/// threshold-mode input leaves.
int first_gate_reaching(const InputRecord& input, double threshold);

}  // namespace continuum
