#pragma once
// One replication of a loaded scenario with whichever model it needs: the system model
// (components placed on devices and FaaS functions, network) or an early-exit pipeline. Shared by
// `continuum run` and the sweep executor, so both run a scenario the same way.
#include <functional>

#include "models/accounting/run_observer.hpp"
#include "models/accounting/run_summary.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/io/scenario_loader.hpp"

namespace continuum::io {

struct ReplicationHooks {
  RunObserver* observer = nullptr;       // e.g. a TraceWriter; none when null
  double sample_interval = 0.0;          // s between the observer's samples; 0: no sampling events
  std::function<void(double)> progress;  // share of the horizon simulated (system model only)
};

/// Runs `scenario` on `simulation` (seeded by the caller) and returns its summary, with
/// `fingerprint` set when the caller enabled the simulation's fingerprint.
RunSummary run_replication(Simulation& simulation, const LoadedScenario& scenario,
                           const ReplicationHooks& hooks = {});

}  // namespace continuum::io
