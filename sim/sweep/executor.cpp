#include "sim/sweep/executor.hpp"

#include <chrono>
#include <stdexcept>

#include "sim/engine/simulation.hpp"
#include "sim/io/replication.hpp"
#include "sim/io/summary_json.hpp"
#include "sim/io/trace_writer.hpp"

namespace continuum::sweep {

std::filesystem::path RunExecutor::trace_path(const RunKey& key) const {
  return traces_->dir / spec_.policies.at(key.policy).name /
         ("point" + std::to_string(key.point) + "_rep" + std::to_string(key.replication) + ".h5");
}

RunRecord RunExecutor::operator()(const RunKey& key) const {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<io::Override> overrides = run_overrides(spec_, key);
  io::LoadedScenario loaded = io::load_scenario_text(spec_.scenario_text, spec_.scenario_file.string(),
                                                     overrides, spec_.scenario_file.parent_path());
  if (max_wall_) {
    loaded.spec.simulation.max_wall = max_wall_;
    if (loaded.early_exit) loaded.early_exit->simulation.max_wall = max_wall_;
  }
  RunRecord record;
  record.key = key;
  record.seed = loaded.spec.simulation.seed;
  Simulation simulation(record.seed);
  if (!traces_) {
    record.metrics = extract_metrics(io::run_replication(simulation, loaded));
  } else {
    std::vector<std::string> texts;
    for (const auto& o : overrides) texts.push_back(o.path + "=" + o.value);
    io::TraceOptions options;
    options.tables = traces_->tables;
    options.sample_interval = loaded.spec.simulation.horizon * traces_->sample_fraction_of_horizon;
    options.request_fraction = traces_->request_fraction;
    const auto path = trace_path(key);
    std::filesystem::create_directories(path.parent_path());
    io::TraceWriter trace(
        path, loaded.early_exit ? io::trace_layout(*loaded.early_exit) : io::trace_layout(loaded.spec),
        options,
        io::TraceProvenance{std::filesystem::absolute(spec_.scenario_file).string(), spec_.scenario_text,
                            loaded.hash, record.seed, texts});
    const RunSummary summary = io::run_replication(
        simulation, loaded,
        {.observer = &trace, .sample_interval = options.tables.any_series() ? options.sample_interval : 0.0});
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
