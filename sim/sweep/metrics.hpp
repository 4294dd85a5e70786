#pragma once
// The figures a sweep records for every run (MODELS.md §3): one flat row of numbers per run, the
// same for every scenario, so runs of different policies and points line up in one table.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/accounting/run_summary.hpp"

namespace continuum::sweep {

/// Per-run metrics, all doubles in SI units. Order = column order of /runs and /points.
enum class Metric : std::uint8_t {
  latency_mean,
  latency_p50,
  latency_p95,
  latency_p99,
  latency_max,
  throughput,
  loss_ratio,
  energy,
  cost,
  accuracy,
  sla_violations_per_request,
  count_
};
inline constexpr std::size_t metric_count = static_cast<std::size_t>(Metric::count_);

/// Which direction of change makes a policy worse (for regression verdicts).
enum class WorseWhen : std::uint8_t { higher, lower };

struct MetricInfo {
  std::string_view name;
  std::string_view unit;  // "" when dimensionless
  std::string_view description;
  WorseWhen worse;
};

const MetricInfo& metric_info(Metric metric);
std::string_view to_string(Metric metric);
/// The metric called `name`, or nullopt.
std::optional<Metric> find_metric(std::string_view name);
/// "latency_mean, latency_p50, ...": for error messages.
std::string_view metric_names();

/// What a sweep keeps of one run. Undefined figures (no request completed, no early-exit network
/// for accuracy) are NaN.
struct RunMetrics {
  std::array<double, metric_count> values{};
  std::uint64_t offered = 0;
  std::uint64_t completed = 0;
  std::uint64_t lost = 0;
  std::uint64_t events = 0;
  /// Whether the figures can be trusted as they stand (RunSummary::truncated, ::stability): a run
  /// cut short ("drain_limit", "max_events", "max_wall"; "" when complete) leaves `unfinished`
  /// requests uncounted, and an unstable run's averages grow with the horizon.
  std::string truncated;
  std::uint64_t unfinished = 0;
  bool stable = true;

  double operator[](Metric metric) const { return values[static_cast<std::size_t>(metric)]; }
  double& operator[](Metric metric) { return values[static_cast<std::size_t>(metric)]; }
  /// Bitwise equality of every figure (any NaN equals any NaN): runs repeat to the last bit.
  bool same_as(const RunMetrics& other) const;
};

/// Latency: end to end, over the requests completed after the warm-up (quantiles from the run's
/// DDSketch). Energy: devices + network over the measured window, J. Cost: devices + network.
/// SLA violations per request: (local + global constraint violations) / completed requests; it can
/// exceed 1 when one request breaks several constraints.
RunMetrics extract_metrics(const RunSummary& summary);

}  // namespace continuum::sweep
