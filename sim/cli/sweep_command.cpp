// `continuum sweep SWEEP.yaml --out results.h5`: every run of a sweep on all cores (or over MPI
// ranks, or one shard of it), resumable, into one HDF5 file (docs/sweeps.md).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "sim/cli/commands.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/load_error.hpp"
#include "sim/io/units.hpp"
#include "sim/sweep/local_pool.hpp"
#include "sim/sweep/mpi_sweep.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/sweep_session.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace continuum::cli {

namespace po = boost::program_options;

namespace {

/// Runs cut short or unstable still have figures, but not ones to compare as they stand: say how
/// many, on standard error (their /runs rows say which: truncated, unfinished, stable).
void warn_about_untrusted_runs(const std::vector<sweep::RunRecord>& runs) {
  std::size_t truncated = 0, unstable = 0;
  std::uint64_t unfinished = 0;
  for (const auto& run : runs) {
    truncated += !run.metrics.truncated.empty();
    unfinished += run.metrics.unfinished;
    unstable += !run.metrics.stable;
  }
  if (truncated > 0)
    std::cerr << "continuum sweep: warning: " << truncated << " of " << runs.size()
              << " runs were cut short (drain, event or wall limit; " << unfinished
              << " requests left in flight are not counted): see the truncated column of /runs\n";
  if (unstable > 0)
    std::cerr << "continuum sweep: warning: " << unstable << " of " << runs.size()
              << " runs offered a device or link more than its capacity (their averages grow with "
                 "the horizon): see the stable column of /runs\n";
}

po::options_description sweep_options() {
  po::options_description options("continuum sweep SWEEP.yaml --out FILE.h5 [options]");
  // clang-format off
  options.add_options()
      ("help,h", "this help")
      ("out,o", po::value<std::string>(), "the HDF5 results file (required); its journal is FILE.h5.journal")
      ("jobs,j", po::value<unsigned>()->default_value(0), "threads (default 0: all cores); ignored under MPI")
      ("shard", po::value<std::string>(), "run only shard i/N of the sweep (e.g. a Slurm array task)")
      ("max-wall", po::value<std::string>(),
       "wall-clock limit per run (e.g. 10min): a run that reaches it stops, is kept, and is marked "
       "truncated = max_wall (its figures then depend on the machine's speed)")
      ("check-all", "before starting, load the scenario of every (point, policy), not only of each parameter "
                    "value or range end")
      ("traces", po::value<std::string>(), "write each run's HDF5 trace under DIR/<policy>/point<P>_rep<R>.h5")
      ("trace-filter", po::value<std::string>(), "traced tables: requests,devices,links,faas,early_exit or all (default: all)")
      ("trace-sample", po::value<std::string>(), "share of request rows kept in traces, in (0, 1] (default: 1)")
      ("quiet,q", "print no table of results");
  // clang-format on
  return options;
}

/// "name [#####     ] 120/400 runs  ETA 35 s" on standard error, when it is a terminal.
class SweepProgressLine {
 public:
  SweepProgressLine(std::string label, bool enabled)
      : label_(std::move(label)),
        enabled_(enabled && ::isatty(2) != 0),
        started_(std::chrono::steady_clock::now()) {}
  ~SweepProgressLine() { clear(); }
  /// Erases the line and draws no more (before the summary is printed).
  void clear() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
    drawn_ = false;
    enabled_ = false;
  }
  SweepProgressLine(const SweepProgressLine&) = delete;
  SweepProgressLine& operator=(const SweepProgressLine&) = delete;

  void update(const sweep::SweepProgress& p) {
    if (!first_) first_ = p.completed;
    if (!enabled_ || p.planned == 0) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    if (elapsed < 1.0 || (drawn_ && now - last_ < std::chrono::milliseconds(200))) return;
    last_ = now;
    const int width = 30;
    const double fraction = static_cast<double>(p.completed) / static_cast<double>(p.planned);
    std::string bar(static_cast<std::size_t>(fraction * width), '#');
    bar.resize(width, ' ');
    // The ETA counts only this invocation's runs: restored ones took no time here.
    const double made = static_cast<double>(p.completed - *first_);
    char eta[64] = "ETA --";
    if (made > 0)
      std::snprintf(eta, sizeof eta, "ETA %.0f s",
                    elapsed / made * static_cast<double>(p.planned - p.completed));
    std::fprintf(stderr, "\r%s [%s] %zu/%zu runs  %s \033[K", label_.c_str(), bar.c_str(), p.completed,
                 p.planned, eta);
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::optional<std::size_t> first_;
  std::chrono::steady_clock::time_point started_, last_;
};

std::string format_value(double value) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

void print_table(std::ostream& out, const sweep::SweepSpec& spec, const sweep::SweepResults& results) {
  const auto rows = sweep::aggregate(results);
  const std::size_t shown = std::min<std::size_t>(rows.size(), 40);
  char line[512];
  std::snprintf(line, sizeof line, "%-6s %-28s %-16s %4s %22s %10s %10s %10s %10s %9s\n", "point",
                "parameters", "policy", "n", "latency_mean ± 95% hw", "p95", "loss", "energy", "cost",
                "accuracy");
  out << line;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& row = rows[i];
    std::string params;
    for (std::size_t k = 0; k < spec.design.parameters.size(); ++k) {
      const std::string& path = spec.design.parameters[k];
      const std::string last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
      params += (k ? " " : "") + last + "=" + spec.design.points[row.point][k];
    }
    if (params.size() > 28) params = params.substr(0, 27) + "~";
    const auto metric = [&](sweep::Metric m) { return row.metrics[static_cast<std::size_t>(m)]; };
    const auto latency = metric(sweep::Metric::latency_mean);
    const std::string mean =
        format_value(latency.mean) +
        (std::isfinite(latency.half_width) ? " ± " + format_value(latency.half_width) : "");
    std::snprintf(line, sizeof line, "%-6u %-28s %-16s %4u %22s %10s %10s %10s %10s %9s\n", row.point,
                  params.c_str(), spec.policies[row.policy].name.c_str(), row.replications, mean.c_str(),
                  format_value(metric(sweep::Metric::latency_p95).mean).c_str(),
                  format_value(metric(sweep::Metric::loss_ratio).mean).c_str(),
                  format_value(metric(sweep::Metric::energy).mean).c_str(),
                  format_value(metric(sweep::Metric::cost).mean).c_str(),
                  format_value(metric(sweep::Metric::accuracy).mean).c_str());
    out << line;
  }
  if (shown < rows.size()) out << "... " << rows.size() - shown << " more rows in /points\n";
}

}  // namespace

int sweep_command(const Arguments& args) {
  const auto options = sweep_options();
  po::options_description hidden;
  hidden.add_options()("sweep", po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("sweep", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& error) {
    std::cerr << "continuum sweep: " << error.what() << " (see continuum sweep --help)\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options << "\n"
              << "Runs every (point, policy, replication) of the sweep file (docs/sweeps.md) and writes\n"
              << "/runs and /points to the HDF5 file. Rerun the same command after an interruption:\n"
              << "finished runs are kept. In a build with -DCONTINUUM_MPI=ON started by mpirun, rank 0\n"
              << "hands the runs to the other ranks.\n"
              << "Exit codes: 0 success, 2 bad input or a failed run.\n";
    return 0;
  }
  if (!vm.count("sweep") || vm["sweep"].as<std::vector<std::string>>().size() != 1) {
    std::cerr << "continuum sweep: expected exactly one SWEEP file (see continuum sweep --help)\n";
    return 2;
  }
  if (!vm.count("out")) {
    std::cerr << "continuum sweep: --out FILE.h5 is required\n";
    return 2;
  }
  // The results file is renamed into place at the end, and its journal sits beside it: never a device.
  if (io::is_special_file(vm["out"].as<std::string>())) {
    std::cerr << "continuum sweep: --out " << vm["out"].as<std::string>()
              << ": not a regular file (the HDF5 results file is renamed into place)\n";
    return 2;
  }
  const std::string file = vm["sweep"].as<std::vector<std::string>>().front();
  // Every rank takes part in MPI_Init and MPI_Finalize, whatever happens in between.
  std::optional<sweep::mpi::Session> mpi;
  if (sweep::mpi::built_with_mpi() && sweep::mpi::launched_by_mpi()) mpi.emplace();
  const bool master = !mpi || mpi->rank() == 0;
  try {
    sweep::SweepOptions settings;
    if (vm.count("max-wall")) settings.max_wall = parse_wall_limit(vm["max-wall"].as<std::string>());
    settings.out = vm["out"].as<std::string>();
    settings.jobs = vm["jobs"].as<unsigned>();
    if (vm.count("shard")) settings.shard = sweep::parse_shard(vm["shard"].as<std::string>());
    if (vm.count("traces")) {
      sweep::TraceSettings traces;
      traces.dir = vm["traces"].as<std::string>();
      if (vm.count("trace-filter"))
        traces.tables = io::parse_trace_filter(vm["trace-filter"].as<std::string>());
      if (vm.count("trace-sample")) {
        traces.request_fraction =
            io::parse_quantity(vm["trace-sample"].as<std::string>(), io::Dimension::dimensionless);
        if (!(traces.request_fraction > 0.0 && traces.request_fraction <= 1.0))
          throw std::invalid_argument("--trace-sample must be in (0, 1]");
      }
      settings.traces = traces;
    }
    const sweep::SweepSpec spec = sweep::load_sweep(file);
    sweep::check_runs(spec, vm.count("check-all") > 0);

    SweepProgressLine progress(spec.name, master);
    settings.progress = [&progress](const sweep::SweepProgress& p) { progress.update(p); };
    settings.warn = [](const std::string& text) {
      std::cerr << "continuum sweep: warning: " << text << "\n";
    };
    const auto started = std::chrono::steady_clock::now();
    std::optional<sweep::SweepOutcome> outcome;
    if (mpi)
      outcome = sweep::mpi::run_sweep(*mpi, spec, settings);
    else
      outcome = sweep::run_sweep(spec, settings);
    if (!outcome) return 0;  // a worker rank
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    progress.clear();

    std::printf("sweep %s: %zu runs (%zu restored, %zu made now) in %.1f s%s%s -> %s\n", spec.name.c_str(),
                outcome->results.runs.size(), outcome->restored, outcome->executed, wall,
                settings.shard.whole() ? "" : ", shard ",
                settings.shard.whole() ? "" : settings.shard.to_string().c_str(), settings.out.c_str());
    if (mpi && mpi->size() > 1)
      std::printf("MPI: %d ranks (1 master, %d workers)\n", mpi->size(), mpi->size() - 1);
    warn_about_untrusted_runs(outcome->results.runs);
    if (!vm.count("quiet")) print_table(std::cout, spec, outcome->results);
    return 0;
  } catch (const io::LoadError& error) {
    if (master) std::cerr << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    if (master) std::cerr << "continuum sweep: " << error.what() << "\n";
    return 2;
  }
}

}  // namespace continuum::cli
