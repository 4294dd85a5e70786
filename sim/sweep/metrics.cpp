#include "sim/sweep/metrics.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace continuum::sweep {

namespace {

constexpr std::array<MetricInfo, metric_count> infos{{
    {"latency_mean", "s", "mean end-to-end latency of completed requests", WorseWhen::higher},
    {"latency_p50", "s", "median end-to-end latency", WorseWhen::higher},
    {"latency_p95", "s", "95th percentile of end-to-end latency", WorseWhen::higher},
    {"latency_p99", "s", "99th percentile of end-to-end latency", WorseWhen::higher},
    {"latency_max", "s", "largest end-to-end latency", WorseWhen::higher},
    {"throughput", "1/s", "completed requests per second of measured time", WorseWhen::lower},
    {"loss_ratio", "", "lost requests / offered requests", WorseWhen::higher},
    {"energy", "J", "device + network energy over the measured window", WorseWhen::higher},
    {"cost", "", "device + network cost (scenario currency)", WorseWhen::higher},
    {"accuracy", "", "mean accuracy of early-exit answers (NaN without an early-exit network)",
     WorseWhen::lower},
    {"sla_violations_per_request", "", "local + global constraint violations / completed requests",
     WorseWhen::higher},
}};

constexpr std::string_view names_text =
    "latency_mean, latency_p50, latency_p95, latency_p99, latency_max, throughput, loss_ratio, energy, "
    "cost, accuracy, sla_violations_per_request";

}  // namespace

const MetricInfo& metric_info(Metric metric) {
  return infos[static_cast<std::size_t>(metric)];
}

std::string_view to_string(Metric metric) {
  return metric_info(metric).name;
}

std::optional<Metric> find_metric(std::string_view name) {
  for (std::size_t m = 0; m < metric_count; ++m)
    if (infos[m].name == name) return static_cast<Metric>(m);
  return std::nullopt;
}

std::string_view metric_names() {
  return names_text;
}

bool RunMetrics::same_as(const RunMetrics& other) const {
  for (std::size_t m = 0; m < metric_count; ++m) {
    const double a = values[m], b = other.values[m];
    // Bit for bit (0.0 and -0.0 differ), except that every NaN means "undefined".
    if (std::isnan(a) || std::isnan(b)) {
      if (std::isnan(a) != std::isnan(b)) return false;
    } else if (std::memcmp(&a, &b, sizeof a) != 0) {
      return false;
    }
  }
  return offered == other.offered && completed == other.completed && lost == other.lost &&
         events == other.events && truncated == other.truncated && unfinished == other.unfinished &&
         stable == other.stable;
}

RunMetrics extract_metrics(const RunSummary& summary) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  RunMetrics m;
  const bool any = summary.latency.moments.count() > 0;
  m[Metric::latency_mean] = any ? summary.latency.moments.mean() : nan;
  m[Metric::latency_p50] = any ? summary.latency.quantiles.quantile(0.50) : nan;
  m[Metric::latency_p95] = any ? summary.latency.quantiles.quantile(0.95) : nan;
  m[Metric::latency_p99] = any ? summary.latency.quantiles.quantile(0.99) : nan;
  m[Metric::latency_max] = any ? summary.latency.moments.max() : nan;
  m[Metric::throughput] = summary.throughput();
  m[Metric::loss_ratio] = summary.loss_ratio();
  m[Metric::energy] = summary.total_energy_j();
  m[Metric::cost] = summary.total_cost();
  m[Metric::accuracy] = summary.early_exit ? summary.early_exit->accuracy : nan;
  const auto violations = summary.local_sla_violations() + summary.global_sla_violations();
  m[Metric::sla_violations_per_request] =
      summary.completed ? static_cast<double>(violations) / static_cast<double>(summary.completed) : nan;
  m.offered = summary.offered;
  m.completed = summary.completed;
  m.lost = summary.lost;
  m.events = summary.events;
  m.truncated = summary.truncated;
  m.unfinished = summary.unfinished;
  m.stable = summary.stability.stable;
  return m;
}

}  // namespace continuum::sweep
