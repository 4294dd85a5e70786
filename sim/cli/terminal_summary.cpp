#include "sim/cli/terminal_summary.hpp"

#include <cstdio>
#include <string>

namespace continuum::cli {

namespace {
std::string format(const char* pattern, auto... values) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, pattern, values...);
  return buffer;
}
std::string seconds(double s) {
  if (s < 1e-3) return format("%.1f us", s * 1e6);
  if (s < 1.0) return format("%.2f ms", s * 1e3);
  return format("%.3f s", s);
}
}  // namespace

void print_terminal_summary(std::ostream& out, const std::vector<RunSummary>& runs, double wall_seconds) {
  const RunSummary& s = runs.front();
  out << "scenario " << s.scenario << "  seed " << s.seed << "  horizon " << seconds(s.horizon)
      << " (warm-up " << seconds(s.warmup) << ")";
  if (runs.size() > 1) out << "  replications " << runs.size() << " (figures of the first)";
  out << "\n";
  out << format("  requests   offered %llu  completed %llu  lost %llu (%.3f %%)  throughput %.4g /s\n",
                static_cast<unsigned long long>(s.offered), static_cast<unsigned long long>(s.completed),
                static_cast<unsigned long long>(s.lost), 100.0 * s.loss_ratio(), s.throughput());
  if (s.latency.moments.count() > 0)
    out << "  latency    mean " << seconds(s.latency.moments.mean()) << "  p50 "
        << seconds(s.latency.quantiles.quantile(0.5)) << "  p95 "
        << seconds(s.latency.quantiles.quantile(0.95)) << "  p99 "
        << seconds(s.latency.quantiles.quantile(0.99)) << "  max " << seconds(s.latency.moments.max())
        << "\n";
  out << format("  energy     %.6g J (devices %.6g J, network %.6g J)\n", s.total_energy_j(),
                s.device_energy_j, s.network_energy_j);
  out << format("  cost       %.6g\n", s.total_cost());
  out << format("  SLA        %llu local, %llu global violations\n",
                static_cast<unsigned long long>(s.local_sla_violations()),
                static_cast<unsigned long long>(s.global_sla_violations()));
  for (const auto& d : s.devices)
    out << format("  device %-16s x%-3d utilisation %5.1f %%  energy %.4g J  cost %.4g\n", d.name.c_str(),
                  d.count, 100.0 * d.utilization, d.energy_j, d.cost);
  for (const auto& f : s.faas)
    out << format("  function %-14s cold starts %.4g %%  rejected %.4g %%  instances %.4g  cost %.4g\n",
                  f.name.c_str(), 100.0 * f.cold_start_probability, 100.0 * f.rejection_probability,
                  f.average_instances, f.cost);
  if (s.early_exit) {
    const EarlyExitReport& e = *s.early_exit;
    std::string exits;
    for (const double fraction : e.exit_fraction) exits += format(" %.3f", fraction);
    out << format("  early exit policy %s  accuracy %.4f  offloaded %.2f %%  exits by gate:",
                  e.policy.c_str(), e.accuracy, 100.0 * e.offload_fraction)
        << exits << "\n";
  }
  out << format("  %llu events in %.3f s wall\n", static_cast<unsigned long long>(s.events), wall_seconds);
}

}  // namespace continuum::cli
