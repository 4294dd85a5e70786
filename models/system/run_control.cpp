#include "models/system/run_control.hpp"

#include <algorithm>
#include <chrono>

namespace continuum {

RunControl::RunControl(const SimulationSpec& simulation) : simulation_(simulation) {
  if (simulation.max_wall)
    wall_deadline_ =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(*simulation.max_wall));
}

StopCondition RunControl::measured_phase(SimTime until) const {
  return {.until = until,
          .max_events = simulation_.max_events,
          .max_requests = simulation_.max_requests,
          .wall_deadline = wall_deadline_};
}

StopCondition RunControl::drain_phase() const {
  return {.until = simulation_.horizon + simulation_.drain_limit,
          .max_events = simulation_.max_events,
          .max_requests = std::nullopt,
          .wall_deadline = wall_deadline_};
}

void RunControl::record_outcome(RunSummary& summary, StopReason reason, std::uint64_t in_flight) {
  summary.stop_reason = std::string(to_string(reason));
  switch (reason) {
    case StopReason::event_limit:
      summary.truncated = "max_events";
      break;
    case StopReason::wall_limit:
      summary.truncated = "max_wall";
      break;
    default:
      // The drain ran out of time with requests still in flight (an overloaded set-up, typically).
      if (in_flight > 0 && reason != StopReason::request_limit) summary.truncated = "drain_limit";
      break;
  }
}

SimTime RunControl::end_time(StopReason reason, SimTime now, SimTime horizon, SimTime last_finish) {
  const bool cut = reason == StopReason::event_limit || reason == StopReason::wall_limit;
  return cut ? now : std::max(horizon, last_finish);
}

}  // namespace continuum
