#pragma once
// How a model's run is stopped: the measured phase [0, horizon], then the drain (sources stopped,
// requests in flight finish), both bounded by the scenario's limits and the command line's wall
// limit. Shared by the system and early-exit models so both report truncation the same way.
#include <string>

#include "models/accounting/run_summary.hpp"
#include "models/system/scenario_spec.hpp"
#include "sim/engine/simulation.hpp"

namespace continuum {

class RunControl {
 public:
  /// Starts the wall clock of `simulation.max_wall` (if set) now.
  explicit RunControl(const SimulationSpec& simulation);

  /// Up to `until` (the horizon, or a slice of it for progress reports).
  StopCondition measured_phase(SimTime until) const;
  /// After the horizon: up to horizon + drain_limit, with the same event and wall limits.
  StopCondition drain_phase() const;

  /// Fills `summary.stop_reason` and `summary.truncated` from how the last phase ended and how many
  /// requests were still in flight.
  static void record_outcome(RunSummary& summary, StopReason reason, std::uint64_t in_flight);

  /// The run's end time for the summary: when the last request finished (or the horizon, if later).
  /// The drain may have advanced the clock to horizon + drain_limit, which is when nothing happened;
  /// a run cut short by an event or wall limit ends at `now`, when it stopped.
  static SimTime end_time(StopReason reason, SimTime now, SimTime horizon, SimTime last_finish);

 private:
  const SimulationSpec& simulation_;
  std::optional<std::chrono::steady_clock::time_point> wall_deadline_;
};

}  // namespace continuum
