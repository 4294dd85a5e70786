#include "sim/io/replication.hpp"

#include "models/early_exit/early_exit_model.hpp"
#include "models/system/system_model.hpp"
#include "policies/early_exit/registry.hpp"
#include "policies/faas/keep_alive_registry.hpp"

namespace continuum::io {

namespace {

template <class Model>
RunSummary run_model(Simulation& simulation, Model& model, const ReplicationHooks& hooks) {
  if (hooks.observer) model.attach_observer(*hooks.observer, hooks.sample_interval);
  RunSummary summary = model.run();
  if (simulation.fingerprint_enabled()) summary.fingerprint = simulation.fingerprint();
  return summary;
}

}  // namespace

RunSummary run_replication(Simulation& simulation, const LoadedScenario& scenario,
                           const ReplicationHooks& hooks) {
  if (scenario.early_exit) {
    // An early-exit pipeline is its own model (the scenario has no components to place).
    early_exit::ExitPolicyRegistry policies;  // per run: nothing shared between threads
    early_exit::register_builtin_exit_policies(policies);
    EarlyExitModel model(simulation, *scenario.early_exit, policies.factory());
    return run_model(simulation, model, hooks);
  }
  SystemModel model(simulation, scenario.spec, faas::make_keep_alive_policy);
  if (hooks.progress) model.set_progress(hooks.progress);
  return run_model(simulation, model, hooks);
}

}  // namespace continuum::io
