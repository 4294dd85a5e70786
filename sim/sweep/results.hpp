#pragma once
// The results of a sweep (or of some shards of it): what the output file holds, in memory.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sweep/design.hpp"
#include "sim/sweep/run_record.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace continuum::sweep {

struct SweepResults {
  std::string name;
  std::string sweep_file;
  std::string sweep_text;
  std::string sweep_hash;
  std::string scenario_file;
  std::string scenario_text;
  std::uint64_t base_seed = 0;
  std::vector<std::string> policies;          // names, by policy index
  std::vector<std::string> policy_overrides;  // "path=value; path=value", by policy index
  std::vector<std::string> fixed_overrides;   // "path=value" of `set:`
  Design design;                              // parameters and point values, by point index
  std::uint32_t replications = 0;             // fixed count; with a stopping rule, its minimum
  std::string stopping;                       // the rule as text, "" without one
  std::uint32_t max_replications = 0;         // with a stopping rule
  std::vector<std::string> shards;            // "i/N" of every part that went in, sorted
  std::vector<RunRecord> runs;                // sorted by (point, policy, replication)
  double wall_seconds = 0.0;                  // of the sweep command(s) that made the runs
};

/// The results of `runs` (any order) of `spec` made by `shard`.
SweepResults make_results(const SweepSpec& spec, const Shard& shard, std::vector<RunRecord> runs,
                          double wall_seconds);

/// Summary over the replications of one policy at one point.
struct MetricSummary {
  double mean = 0.0;
  double stddev = 0.0;
  double half_width = 0.0;    // Student-t, at the level of aggregate()
  std::uint32_t samples = 0;  // finite values
};

struct PointAggregate {
  std::uint32_t point = 0;
  std::uint32_t policy = 0;
  std::uint32_t replications = 0;
  std::array<MetricSummary, metric_count> metrics{};
};

/// One aggregate per (point, policy) with runs, in (point, policy) order. For each metric, over
/// its finite values: mean, sample standard deviation and the Student-t half-width
/// t_{(1+level)/2, n−1} · s/√n (infinite with one value; NaN mean with none).
std::vector<PointAggregate> aggregate(const SweepResults& results, double level = 0.95);

/// Combines the results of shards (or any parts) of one sweep: the union of their runs. Throws
/// std::invalid_argument when the parts come from different sweeps (hash), or when one run appears
/// twice with different figures (the same run twice with the same figures is kept once).
SweepResults merge_results(const std::vector<SweepResults>& parts);

/// Whether the shards listed in `results` cover the whole sweep: {"0/1"}, or every i of some N.
bool shards_complete(const std::vector<std::string>& shards);

/// The SI value of a parameter text, if it is a number with an optional unit the scenario format
/// knows ("8/s" → 8, "100ms" → 0.1, "3" → 3); nullopt for anything else ("ps", "[a, b]").
std::optional<double> numeric_value(const std::string& text);

}  // namespace continuum::sweep
