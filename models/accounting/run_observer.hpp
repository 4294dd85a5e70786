#pragma once
// What a run can tell an observer (the HDF5 trace writer, live plots) as it goes: one record per
// request when it finishes or is lost, and periodic samples of every device and link. The system
// model calls these only when an observer is attached, so a run without tracing pays nothing.
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
  double cost = 0.0;              // money attributed to it (FaaS, network)
  bool measured = true;           // arrived after the warm-up
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

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void on_request(const RequestRecord& record) = 0;
  /// Every sampling interval: all devices, then all links, at time `now`.
  virtual void on_sample(SimTime now, const std::vector<DeviceSample>& devices,
                         const std::vector<LinkSample>& links) = 0;
};

}  // namespace continuum
