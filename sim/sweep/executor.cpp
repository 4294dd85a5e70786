#include "sim/sweep/executor.hpp"

#include <chrono>
#include <stdexcept>

#include "models/early_exit/early_exit_model.hpp"
#include "models/system/system_model.hpp"
#include "policies/early_exit/registry.hpp"
#include "policies/faas/keep_alive_registry.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::sweep {

std::filesystem::path RunExecutor::trace_path(const RunKey& key) const {
  return traces_->dir / spec_.policies.at(key.policy).name /
         ("point" + std::to_string(key.point) + "_rep" + std::to_string(key.replication) + ".h5");
}

RunRecord RunExecutor::operator()(const RunKey& key) const {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<io::Override> overrides = run_overrides(spec_, key);
  const io::LoadedScenario loaded = io::load_scenario_text(spec_.scenario_text, spec_.scenario_file.string(),
                                                           overrides, spec_.scenario_file.parent_path());
  RunRecord record;
  record.key = key;
  record.seed = loaded.spec.simulation.seed;
  Simulation simulation(record.seed);
  if (loaded.early_exit) {
    // An early-exit pipeline is its own model (the scenario has no components to place).
    if (traces_)
      throw std::invalid_argument(
          "--traces is not supported for early-exit scenarios (the trace lays out "
          "its tables from devices and links the pipeline does not use)");
    early_exit::ExitPolicyRegistry policies;  // per run: nothing shared between threads
    early_exit::register_builtin_exit_policies(policies);
    record.metrics = extract_metrics(run_early_exit(simulation, *loaded.early_exit, policies.factory()));
  } else if (!traces_) {
    SystemModel model(simulation, loaded.spec, faas::make_keep_alive_policy);
    record.metrics = extract_metrics(model.run());
  } else {
    SystemModel model(simulation, loaded.spec, faas::make_keep_alive_policy);
    std::vector<std::string> texts;
    for (const auto& o : overrides) texts.push_back(o.path + "=" + o.value);
    io::TraceOptions options;
    options.tables = traces_->tables;
    options.sample_interval = loaded.spec.simulation.horizon * traces_->sample_fraction_of_horizon;
    options.request_fraction = traces_->request_fraction;
    const auto path = trace_path(key);
    std::filesystem::create_directories(path.parent_path());
    io::TraceWriter trace(path, loaded.spec, options,
                          io::TraceProvenance{std::filesystem::absolute(spec_.scenario_file).string(),
                                              spec_.scenario_text, loaded.hash, record.seed, texts});
    model.attach_observer(trace, options.tables.any_series() ? options.sample_interval : 0.0);
    const RunSummary summary = model.run();
    record.metrics = extract_metrics(summary);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    trace.finish(summary, io::summary_json(
                              summary, io::Provenance{std::filesystem::absolute(spec_.scenario_file).string(),
                                                      loaded.hash, texts, wall}));
  }
  record.wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return record;
}

}  // namespace continuum::sweep
