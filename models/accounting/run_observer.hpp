#pragma once
// What a run can tell an observer (the HDF5 trace writer, live plots) as it goes: one record per
// request when it finishes or is lost, periodic samples of every device, link and FaaS function,
// and one record per early-exit input. The models call these only when an observer is attached,
// so a run without tracing pays nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "models/accounting/run_summary.hpp"
#include "sim/engine/sim_time.hpp"

namespace continuum {

struct RequestRecord {
  std::uint64_t id = 0;      // arrival order, from 0
  std::uint32_t source = 0;  // index into ScenarioSpec::sources
  SimTime arrival = 0.0;
  SimTime finish = 0.0;           // completion or loss time
  double latency = 0.0;           // finish − arrival; NaN when lost
  std::int32_t exit_gate = -1;    // early-exit gate, −1 when not an early-exit request
  std::int32_t drop_reason = -1;  // static_cast<int>(LossCause), −1 when completed
  double energy_j = 0.0;          // service + transmission energy attributed to it
  // Money attributed to it: the FaaS bill of each invocation and the network price of each
  // transfer, counted only when the summary counts them (started after the warm-up and before the
  // horizon), so Σ cost over all records + the time-based device cost = the summary's total cost.
  // Device rental and purchase are paid per second whatever the load: not split among requests.
  double cost = 0.0;
  bool measured = true;  // arrived after the warm-up
};

struct DeviceSample {
  std::uint32_t device = 0;   // index into ScenarioSpec::devices
  double utilization = 0.0;   // busy cores / cores over the last interval, mean over instances
  double queue_length = 0.0;  // requests in the group now (all instances)
  double power_w = 0.0;       // mean power of the group over the last interval (all instances)
};

struct LinkSample {
  std::uint32_t link = 0;    // index into ScenarioSpec::topology.links
  double utilization = 0.0;  // allocated rate / bandwidth now
  std::uint32_t flows = 0;   // active flows now
};

/// The state of one FaaS function at a sampling time. Counters are totals since the start of the
/// run (warm-up included, never reset), so an observer gets per-interval counts by differencing.
struct FaasSample {
  std::uint32_t function = 0;     // index in the order of ScenarioSpec::faas_platforms, then functions
  std::uint32_t instances = 0;    // loaded now (starting, busy or idle)
  std::uint32_t busy = 0;         // instances with at least one request in service now
  std::uint64_t in_flight = 0;    // requests in service now
  std::uint64_t invocations = 0;  // accepted invocations so far
  std::uint64_t cold_starts = 0;  // so far
  std::uint64_t rejections = 0;   // so far
  double cost = 0.0;              // money billed so far (the platform's billing model)
};

/// What became of one early-exit input (EarlyExitModel), when it is answered or lost.
struct EarlyExitRecord {
  std::uint64_t id = 0;     // as RequestRecord::id
  SimTime time = 0.0;       // answer or loss time
  std::int32_t gate = -1;   // gate taken; −1 when lost before the policy decided
  double confidence = 0.0;  // at that gate; NaN without a gate
  double threshold = 0.0;   // chosen confidence threshold (threshold mode); NaN in single-exit mode
  std::uint32_t input_class = 0;
  bool answered = false;   // false: lost (buffer full)
  bool correct = false;    // answered, and right at that gate
  bool offloaded = false;  // the gate lies past the split (ran on the cloud)
  bool measured = true;    // arrived after the warm-up
};

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void on_request(const RequestRecord& record) = 0;
  /// Every sampling interval: all devices, then all links, at time `now`.
  virtual void on_sample(SimTime now, const std::vector<DeviceSample>& devices,
                         const std::vector<LinkSample>& links) = 0;
  /// Every sampling interval, right after on_sample, when the model has FaaS functions.
  virtual void on_faas_sample(SimTime /*now*/, const std::vector<FaasSample>& /*functions*/) {}
  /// For each early-exit input, right before its on_request.
  virtual void on_early_exit(const EarlyExitRecord& /*record*/) {}
};

}  // namespace continuum
