// `continuum run SCENARIO`: simulate a scenario, print a readable summary and the JSON summary.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "models/system/replication_seed.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/progress_bar.hpp"
#include "sim/cli/terminal_summary.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/load_error.hpp"
#include "sim/io/replication.hpp"
#include "sim/io/scenario_loader.hpp"
#include "sim/io/summary_json.hpp"
#include "sim/io/trace_writer.hpp"
#include "sim/io/units.hpp"

namespace continuum::cli {

namespace po = boost::program_options;

namespace {

po::options_description run_options() {
  po::options_description options("continuum run SCENARIO [options]");
  options.add_options()("help,h", "this help")("seed", po::value<std::string>(),
                                               "master seed (overrides simulation.seed)")(
      "horizon", po::value<std::string>(), "simulated time, e.g. 3600s or 2h (overrides simulation.horizon)")(
      "warmup", po::value<std::string>(), "warm-up discarded from statistics (overrides simulation.warmup)")(
      "replications", po::value<std::string>(),
      "independent replications (overrides simulation.replications)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override any scenario field: --set path=value (repeatable)")(
      "json", po::value<std::string>(),
      "write the JSON summary to FILE instead of standard output ('-': standard output)")(
      "quiet,q", "do not print the readable summary")("trace", po::value<std::string>(),
                                                      "write the HDF5 trace of the (first) run to FILE")(
      "trace-interval", po::value<std::string>(),
      "time between device/link/FaaS samples (default: horizon/1000)")(
      "trace-filter", po::value<std::string>(),
      "traced tables: requests,devices,links,faas,early_exit or all (default all)")(
      "trace-sample", po::value<std::string>(), "share of request rows kept, in (0, 1] (default: 1)")(
      "trace-compression", po::value<std::string>(),
      "none, fast (default: shuffle + deflate of the compressible bytes) or small (zlib on every byte)")(
      "max-events", po::value<std::string>(),
      "stop each run after N events (overrides simulation.max_events); a cut run exits with code 3")(
      "max-wall", po::value<std::string>(),
      "stop each run after this much wall-clock time, e.g. 30s or 5min; a cut run exits with code 3")(
      "fingerprint", "add the event fingerprint (run.fingerprint) to the JSON summary");
  return options;
}

/// The --trace-* options (docs/output-format.md, "HDF5 trace").
io::TraceOptions trace_options(const po::variables_map& vm, const ScenarioSpec& spec) {
  io::TraceOptions options;
  try {
    options.sample_interval = spec.simulation.horizon / 1000.0;
    if (vm.count("trace-interval"))
      options.sample_interval =
          io::parse_quantity(vm["trace-interval"].as<std::string>(), io::Dimension::time);
    if (!(options.sample_interval > 0.0)) throw std::invalid_argument("the trace interval must be positive");
    if (vm.count("trace-filter"))
      options.tables = io::parse_trace_filter(vm["trace-filter"].as<std::string>());
    if (vm.count("trace-sample"))
      options.request_fraction =
          io::parse_quantity(vm["trace-sample"].as<std::string>(), io::Dimension::dimensionless);
    if (!(options.request_fraction > 0.0 && options.request_fraction <= 1.0))
      throw std::invalid_argument("the trace sample fraction must be in (0, 1]");
    if (vm.count("trace-compression"))
      options.request_table.compression = options.series_table.compression =
          io::parse_trace_compression(vm["trace-compression"].as<std::string>());
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("--trace options: ") + error.what());
  }
  return options;
}

/// Option spelling of a simulation field: max_events -> max-events.
std::string option_name(std::string field) {
  std::replace(field.begin(), field.end(), '_', '-');
  return field;
}

/// Warns on standard error about truncated runs and unstable set-ups; true if any run was truncated.
bool warn_about_limits(const std::vector<RunSummary>& runs) {
  bool truncated = false;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const std::string which = runs.size() > 1 ? "replication " + std::to_string(r) + ": " : "";
    if (!runs[r].truncated.empty()) {
      truncated = true;
      std::cerr << "continuum run: warning: " << which << "run truncated (" << runs[r].truncated
                << ") at t = " << runs[r].end_time << " s (simulated) after " << runs[r].events
                << " events\n";
    }
    for (const auto& reason : runs[r].stability.reasons)
      std::cerr << "continuum run: warning: " << which << "unstable: " << reason << "\n";
  }
  return truncated;
}

}  // namespace

int run_command(const Arguments& args) {
  const auto options = run_options();
  po::options_description hidden;
  hidden.add_options()("scenario", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "continuum run: " << error.what() << " (see continuum run --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options << "\nPrints a readable summary and the JSON summary (docs/output-format.md).\n"
              << "Exit codes: 0 success, 2 bad input, 3 a run was truncated by --max-events, --max-wall\n"
              << "or the drain limit (the summary is still written, with run.truncated saying why).\n";
    return 0;
  }
  if (!vm.count("scenario") || vm["scenario"].as<std::vector<std::string>>().size() != 1) {
    std::cerr << "continuum run: expected exactly one SCENARIO file (see continuum run --help)\n";
    return 2;
  }
  const std::string file = vm["scenario"].as<std::vector<std::string>>().front();

  std::vector<io::Override> overrides;
  std::vector<std::string> override_texts;
  try {
    for (const char* field : {"seed", "horizon", "warmup", "replications", "max_events"})
      if (const std::string option = option_name(field); vm.count(option))
        overrides.push_back({std::string("simulation.") + field, vm[option].as<std::string>()});
    if (vm.count("set"))
      for (const auto& text : vm["set"].as<std::vector<std::string>>())
        overrides.push_back(io::parse_override(text));
    for (const auto& o : overrides) override_texts.push_back(o.path + "=" + o.value);

    const auto started = std::chrono::steady_clock::now();
    io::LoadedScenario loaded = io::load_scenario(file, overrides);
    if (vm.count("max-wall")) {
      const double seconds = parse_wall_limit(vm["max-wall"].as<std::string>());
      loaded.spec.simulation.max_wall = seconds;
      if (loaded.early_exit) loaded.early_exit->simulation.max_wall = seconds;
    }
    const ScenarioSpec& spec = loaded.spec;
    const bool fingerprint = vm.count("fingerprint") > 0;
    std::optional<io::TraceWriter> trace;  // of replication 0, whose figures the summary shows
    io::TraceOptions tracing;
    if (vm.count("trace")) {
      tracing = trace_options(vm, spec);
      trace.emplace(vm["trace"].as<std::string>(),
                    loaded.early_exit ? io::trace_layout(*loaded.early_exit) : io::trace_layout(spec),
                    tracing,
                    io::TraceProvenance{std::filesystem::absolute(file).string(), loaded.text, loaded.hash,
                                        spec.simulation.seed, override_texts});
    }
    std::vector<RunSummary> runs;
    for (int r = 0; r < spec.simulation.replications; ++r) {
      Simulation simulation(replication_seed(spec.simulation.seed, r));
      if (fingerprint) simulation.enable_fingerprint();
      ProgressBar progress(spec.name +
                           (spec.simulation.replications > 1 ? " #" + std::to_string(r + 1) : ""));
      io::ReplicationHooks hooks;
      hooks.progress = [&progress](double fraction) { progress.update(fraction); };
      if (trace && r == 0) {
        hooks.observer = &*trace;
        // Traced runs sample only when a time-series table is kept (0: no sampling events).
        hooks.sample_interval = tracing.tables.any_series() ? tracing.sample_interval : 0.0;
      }
      runs.push_back(io::run_replication(simulation, loaded, hooks));
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    io::Provenance provenance{std::filesystem::absolute(file).string(), loaded.hash, override_texts, wall};
    nlohmann::json json = io::summary_json(runs.front(), provenance);
    if (runs.size() > 1) json["replications"] = io::replications_json(runs);
    if (trace) trace->finish(runs.front(), json);

    // '-' names standard output, as in `continuum optimize`.
    const bool to_file = vm.count("json") > 0 && vm["json"].as<std::string>() != "-";
    if (!vm.count("quiet")) print_terminal_summary(to_file ? std::cout : std::cerr, runs, wall);
    if (to_file) {
      io::write_file_atomically(vm["json"].as<std::string>(), json.dump(2) + "\n");
    } else {
      std::cout << json.dump(2) << "\n";
    }
    return warn_about_limits(runs) ? 3 : 0;
  } catch (const io::LoadError& error) {
    std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& error) {
    std::cerr << file << ": error: " << error.what() << "\n";
    return 2;
  } catch (const std::ios_base::failure& error) {
    std::cerr << "continuum run: " << error.what() << "\n";
    return 2;
  }
}

double parse_wall_limit(const std::string& text) {
  double seconds = 0.0;
  try {
    seconds = io::parse_quantity(text, io::Dimension::time);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(std::string("--max-wall: ") + error.what());
  }
  if (!(seconds > 0.0) || !std::isfinite(seconds))
    throw std::invalid_argument("--max-wall: expected a positive time such as 30s or 5min, got \"" + text +
                                "\"");
  return seconds;
}

}  // namespace continuum::cli
