#pragma once
// Makes one run of a sweep: the scenario with the run's overrides, simulated from the run's seed.
#include <filesystem>
#include <optional>

#include "sim/io/trace_writer.hpp"
#include "sim/sweep/run_record.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace continuum::sweep {

/// Per-run HDF5 traces (docs/output-format.md, "HDF5 trace"), one file per run:
/// <dir>/<policy>/point<P>_rep<R>.h5. Tracing never changes a run's results.
struct TraceSettings {
  std::filesystem::path dir;
  io::TraceTables tables;
  double sample_fraction_of_horizon = 1e-3;  // device/link sample interval = horizon · this
  double request_fraction = 1.0;
};

/// Runs are independent: call it from any number of threads at once.
class RunExecutor {
 public:
  /// `max_wall`: seconds of wall-clock time each run may take (RunSummary::truncated "max_wall"
  /// beyond); none by default, so that results never depend on the machine's speed.
  explicit RunExecutor(const SweepSpec& spec, std::optional<TraceSettings> traces = std::nullopt,
                       std::optional<double> max_wall = std::nullopt)
      : spec_(spec), traces_(std::move(traces)), max_wall_(max_wall) {}

  /// Throws io::LoadError (bad overrides for this point) or what the model throws.
  RunRecord operator()(const RunKey& key) const;

  /// Where the trace of `key` goes (when tracing).
  std::filesystem::path trace_path(const RunKey& key) const;

 private:
  const SweepSpec& spec_;
  std::optional<TraceSettings> traces_;
  std::optional<double> max_wall_;
};

}  // namespace continuum::sweep
