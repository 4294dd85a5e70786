#pragma once
// An early-exit DNN pipeline simulated on the event kernel (MODELS.md §2, §6):
//
//   arrivals → edge device (FCFS, `cores` servers, K waiting places, loss when full)
//            → the policy picks the gate (single_exit) or the threshold (threshold) as the job starts
//            → gates ≤ split on the edge: answer there, or
//            → send the split tensor over the link (FIFO uplink, delay) → cloud device (FCFS, finite buffer)
//            → remaining gates → answer sent back (link delay).
//
// The decision is taken when a job *starts* service (the knapsack needs the queue behind it), which is
// why the devices here are their own small FCFS queues rather than ServiceStation (which fixes a job's
// service time when it arrives). Each input's gate times (one draw per gate, on the device hosting it),
// its record and its policy draw are taken at arrival from named streams, so every policy sees the same
// inputs and the same times (common random numbers).
//
// After the horizon no input arrives and those in flight finish (bounded by the drain limit), so
// offered = completed + lost; rates and time averages use [warm-up, horizon], as SystemModel does.
#include <cstdint>
#include <memory>

#include "models/accounting/run_observer.hpp"
#include "models/accounting/run_summary.hpp"
#include "models/early_exit/early_exit_spec.hpp"
#include "models/early_exit/exit_policy.hpp"
#include "sim/engine/simulation.hpp"

namespace continuum {

class EarlyExitModel final : public EventHandler {
 public:
  /// Validates the scenario (validate_early_exit_scenario) and builds the policy with `make_policy`
  /// from make_exit_policy_setup(scenario, …); throws std::invalid_argument when the policy does not
  /// support the scenario's mode. `scenario` must outlive the model.
  EarlyExitModel(Simulation& simulation, const EarlyExitScenario& scenario,
                 const ExitPolicyFactory& make_policy);
  ~EarlyExitModel();
  EarlyExitModel(const EarlyExitModel&) = delete;
  EarlyExitModel& operator=(const EarlyExitModel&) = delete;

  /// Runs to the horizon, drains, and returns the summary (common fields + early_exit).
  RunSummary run();

  /// Reports every input (RequestRecord::exit_gate set) and, every `sample_interval` s (0: never),
  /// the edge and cloud devices (links: none).
  void attach_observer(RunObserver& observer, double sample_interval);

  const ExitPolicy& policy() const;

  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One run of an early-exit scenario: EarlyExitModel(simulation, scenario, make_policy).run().
/// The simulation's seed is the run's seed (scenario.simulation.seed is for the caller to use).
RunSummary run_early_exit(Simulation& simulation, const EarlyExitScenario& scenario,
                          const ExitPolicyFactory& make_policy);

}  // namespace continuum
