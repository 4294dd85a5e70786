#include "sim/io/summary_json.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <functional>

#include "continuum/version.hpp"
#include "sim/engine/stats/confidence.hpp"

namespace continuum {
const char* git_revision();  // generated at build time (cmake/GitRevision.cmake)
}

namespace continuum::io {

namespace {
/// JSON has no NaN or infinity: an undefined statistic is written as null.
nlohmann::json number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}
}  // namespace

std::string fingerprint_text(std::uint64_t fingerprint) {
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(fingerprint));
  return text.data();
}

const char* git_revision_string() {
  return git_revision();
}

nlohmann::json latency_json(const LatencyMeter& meter) {
  const bool any = meter.moments.count() > 0;
  const auto ci = meter.batches.interval(0.95);
  return {{"count", meter.moments.count()},
          {"mean", any ? number(meter.moments.mean()) : nullptr},
          {"stddev", any ? number(meter.moments.stddev()) : nullptr},
          {"p50", any ? number(meter.quantiles.quantile(0.50)) : nullptr},
          {"p95", any ? number(meter.quantiles.quantile(0.95)) : nullptr},
          {"p99", any ? number(meter.quantiles.quantile(0.99)) : nullptr},
          {"max", any ? number(meter.moments.max()) : nullptr},
          {"ci95_half_width", number(ci.half_width)},
          {"ci_method", "batch_means"}};
}

nlohmann::json summary_json(const RunSummary& s, const Provenance& provenance) {
  nlohmann::json loss_causes = nlohmann::json::object();
  for (std::size_t c = 0; c < loss_cause_count; ++c)
    loss_causes[std::string(to_string(static_cast<LossCause>(c)))] = s.lost_by_cause[c];
  nlohmann::json components = nlohmann::json::object();
  for (const auto& component : s.components)
    components[component.name] = {{"latency", latency_json(component.latency)},
                                  {"completed", component.completed},
                                  {"sla_violations", component.sla_violations}};
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& path : s.paths)
    paths[path.name] = {{"limit", path.limit},
                        {"checked", path.checked},
                        {"violations", path.violations},
                        {"latency", latency_json(path.latency)}};
  nlohmann::json devices = nlohmann::json::object();
  nlohmann::json device_energy = nlohmann::json::object(), device_cost = nlohmann::json::object();
  for (const auto& d : s.devices) {
    devices[d.name] = {{"type", d.type},
                       {"layer", d.layer},
                       {"count", d.count},
                       {"utilization", d.utilization},
                       {"mean_in_system", d.mean_in_system},
                       {"served", d.served},
                       {"lost", d.lost},
                       {"energy_j", d.energy_j},
                       {"cost", d.cost},
                       {"availability", d.availability},
                       {"offered_utilization", number(d.offered_utilization)}};
    device_energy[d.name] = d.energy_j;
    device_cost[d.name] = d.cost;
  }
  nlohmann::json links = nlohmann::json::object();
  for (const auto& l : s.links)
    links[l.name] = {{"bytes", l.bytes},
                     {"utilization", l.utilization},
                     {"energy_j", l.energy_j},
                     {"flows", l.flows},
                     {"offered_load", number(l.offered_load)}};
  const double completed = static_cast<double>(s.completed);
  nlohmann::json early_exit = nullptr;
  if (s.early_exit) {
    const auto& e = *s.early_exit;
    early_exit = {{"policy", e.policy},
                  {"answered", e.answered},
                  {"accuracy", e.accuracy},
                  {"exit_fraction", e.exit_fraction},
                  {"offload_fraction", e.offload_fraction},
                  {"cumulative_reward", e.cumulative_reward},
                  {"regret", e.regret}};
  }
  nlohmann::json faas = nlohmann::json::object();
  for (const auto& f : s.faas)
    faas[f.name] = {{"arrivals", f.arrivals},
                    {"cold_starts", f.cold_starts},
                    {"rejections", f.rejections},
                    {"cold_start_probability", f.cold_start_probability},
                    {"rejection_probability", f.rejection_probability},
                    {"average_instances", f.average_instances},
                    {"average_running", f.average_running},
                    {"average_idle", f.average_idle},
                    {"mean_instance_lifespan", number(f.mean_instance_lifespan)},
                    {"mean_response_time", number(f.mean_response_time)},
                    {"cost", f.cost},
                    {"pay_per_use_cost", f.pay_per_use_cost},
                    {"space4ai_cost", f.space4ai_cost}};
  return {
      {"continuum", {{"version", version_string}, {"git_revision", git_revision()}}},
      {"scenario",
       {{"name", s.scenario}, {"file", provenance.scenario_file}, {"hash", provenance.scenario_hash}}},
      {"run",
       {{"seed", s.seed},
        {"horizon", s.horizon},
        {"warmup", s.warmup},
        {"measured_time", s.measured_time},
        {"end_time", s.end_time},
        {"events", s.events},
        {"stop_reason", s.stop_reason},
        {"truncated", s.truncated.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.truncated)},
        {"fingerprint",
         s.fingerprint ? nlohmann::json(fingerprint_text(*s.fingerprint)) : nlohmann::json(nullptr)},
        {"overrides", provenance.overrides},
        {"wall_seconds", provenance.wall_seconds}}},
      {"stability", {{"stable", s.stability.stable}, {"reasons", s.stability.reasons}}},
      {"requests",
       {{"offered", s.offered}, {"completed", s.completed}, {"lost", s.lost}, {"unfinished", s.unfinished}}},
      {"throughput", s.throughput()},
      {"latency", latency_json(s.latency)},
      {"loss", {{"total", s.lost}, {"ratio", s.loss_ratio()}, {"by_cause", loss_causes}}},
      {"energy",
       {{"total_j", s.total_energy_j()},
        {"devices_j", s.device_energy_j},
        {"network_j", s.network_energy_j},
        {"per_request_j", completed > 0 ? number(s.total_energy_j() / completed) : nullptr},
        {"dynamic_per_request_j", s.dynamic_energy_per_request_j},
        {"by_device_j", device_energy}}},
      {"cost",
       {{"total", s.total_cost()},
        {"devices", s.device_cost},
        {"network", s.network_cost},
        {"faas", s.faas_cost},
        {"by_device", device_cost}}},
      {"sla",
       {{"local_violations", s.local_sla_violations()},
        {"global_violations", s.global_sla_violations()},
        {"paths", paths}}},
      {"components", components},
      {"devices", devices},
      {"network", {{"bytes", s.network_bytes}, {"transfers", s.network_transfers}, {"links", links}}},
      {"early_exit", early_exit},
      {"faas", faas},
  };
}

nlohmann::json replications_json(const std::vector<RunSummary>& runs) {
  const std::vector<std::pair<const char*, std::function<double(const RunSummary&)>>> metrics = {
      {"latency_mean",
       [](const RunSummary& r) { return r.latency.moments.count() ? r.latency.moments.mean() : NAN; }},
      {"latency_p95",
       [](const RunSummary& r) {
         return r.latency.moments.count() ? r.latency.quantiles.quantile(0.95) : NAN;
       }},
      {"throughput", [](const RunSummary& r) { return r.throughput(); }},
      {"loss_ratio", [](const RunSummary& r) { return r.loss_ratio(); }},
      {"energy_total_j", [](const RunSummary& r) { return r.total_energy_j(); }},
      {"cost_total", [](const RunSummary& r) { return r.total_cost(); }},
  };
  nlohmann::json out = {{"replications", runs.size()}};
  for (const auto& [name, metric] : metrics) {
    std::vector<double> values;
    for (const auto& run : runs)
      if (const double v = metric(run); std::isfinite(v)) values.push_back(v);
    if (values.empty()) {
      out[name] = nullptr;
      continue;
    }
    const auto ci = stats::replication_interval(values, 0.95);
    out[name] = {{"mean", ci.mean}, {"ci95_half_width", number(ci.half_width)}, {"samples", values.size()}};
  }
  return out;
}

}  // namespace continuum::io
