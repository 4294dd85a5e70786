#include "sim/io/trace_writer.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <ios>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "continuum/version.hpp"
#include "sim/engine/random.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::io {

namespace {

/// Format name and version of the layout below; bump the version when a reader must adapt.
constexpr const char* format_name = "continuum-trace";
constexpr std::int64_t format_version = 1;

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::vector<std::string> table_names(const TraceTables& tables) {
  std::vector<std::string> names;
  if (tables.requests) names.emplace_back("requests");
  if (tables.devices) names.emplace_back("devices");
  if (tables.links) names.emplace_back("links");
  return names;
}

nlohmann::json placement_json(const ScenarioSpec& scenario) {
  nlohmann::json placement = nlohmann::json::object();
  for (const auto& [component, where] : scenario.placement) {
    nlohmann::json partitions = nlohmann::json::object();
    for (const auto& [partition, target] : where.partitions)
      partitions[partition] = {{"kind", target.kind == PlacementTarget::Kind::faas ? "faas" : "device"},
                               {"name", target.name}};
    placement[component] = {{"deployment", where.deployment}, {"partitions", partitions}};
  }
  return placement;
}

template <class T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

TraceTables parse_trace_filter(std::string_view text) {
  TraceTables tables{false, false, false};
  std::size_t begin = 0;
  bool any = false;
  while (begin <= text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view name = text.substr(begin, end - begin);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "requests") {
      tables.requests = true;
    } else if (name == "devices") {
      tables.devices = true;
    } else if (name == "links") {
      tables.links = true;
    } else if (name == "all") {
      tables = TraceTables{};
    } else {
      throw std::invalid_argument("unknown trace table \"" + std::string(name) +
                                  "\"; known: requests, devices, links, all");
    }
    any = true;
    begin = end + 1;
  }
  if (!any) throw std::invalid_argument("empty trace filter; known tables: requests, devices, links, all");
  return tables;
}

RequestSampler::RequestSampler(std::uint64_t seed, double fraction)
    : key_(stream_seed(seed, "trace/requests")),
      // fraction < 1 here, so the threshold fits in 64 bits; 2^64 is exact in a double.
      threshold_(fraction < 1.0 ? static_cast<std::uint64_t>(std::max(fraction, 0.0) * 18446744073709551616.0)
                                : 0),
      all_(fraction >= 1.0) {}

hdf5::TableSchema<RequestRow> request_schema() {
  // Columns in the documented order; the struct orders them by size so that it has no padding.
  return hdf5::TableSchema<RequestRow>()
      .column("id", &RequestRow::id, "", "request id, in arrival order from 0")
      .column("source", &RequestRow::source, "", "index of the source (see the attribute sources)")
      .column("arrival", &RequestRow::arrival, "s", "arrival time")
      .column("finish", &RequestRow::finish, "s", "completion time, or the time the request was lost")
      .column("latency", &RequestRow::latency, "s", "finish - arrival; NaN when lost")
      .column("exit_gate", &RequestRow::exit_gate, "", "early-exit gate, -1 when not an early-exit request")
      .column("drop_reason", &RequestRow::drop_reason, "",
              "loss cause (see the attribute drop_reasons), -1 when completed")
      .column("energy", &RequestRow::energy_j, "J",
              "service and transmission energy attributed to the request")
      .column("cost", &RequestRow::cost, "money", "money attributed to the request (FaaS, network)")
      .column("measured", &RequestRow::measured, "", "1 if the request arrived after the warm-up");
}

hdf5::TableSchema<DeviceRow> device_schema() {
  return hdf5::TableSchema<DeviceRow>()
      .column("time", &DeviceRow::time, "s", "sampling time (end of the interval)")
      .column("utilization", &DeviceRow::utilization, "",
              "busy cores / cores over the interval, mean over instances")
      .column("queue_length", &DeviceRow::queue_length, "", "requests in the group at the sampling time")
      .column("power", &DeviceRow::power_w, "W", "mean power of the group over the interval");
}

hdf5::TableSchema<LinkRow> link_schema() {
  return hdf5::TableSchema<LinkRow>()
      .column("time", &LinkRow::time, "s", "sampling time")
      .column("utilization", &LinkRow::utilization, "", "allocated rate / bandwidth at the sampling time")
      .column("flows", &LinkRow::flows, "", "active flows at the sampling time");
}

TraceWriter::TraceWriter(const std::filesystem::path& path, const ScenarioSpec& scenario,
                         const TraceOptions& options, const TraceProvenance& provenance)
    : path_(path),
      temporary_(temporary_sibling(path)),
      options_(options),
      sampler_(provenance.seed, options.request_fraction),
      started_(std::chrono::steady_clock::now()) {
  if (!(options.request_fraction > 0.0 && options.request_fraction <= 1.0))
    throw std::invalid_argument("trace sample fraction must be in (0, 1]");
  if (!(options.sample_interval >= 0.0)) throw std::invalid_argument("trace interval must be >= 0");
  if (const auto dir = path.parent_path(); !dir.empty() && !std::filesystem::is_directory(dir))
    throw std::ios_base::failure("cannot write trace " + path.string() + ": no directory " + dir.string());
  try {
    file_.emplace(temporary_);
    if (options.tables.requests) {
      requests_ = file_->add_table("/requests", request_schema(), options.request_table,
                                   "one row per request when it completes or is lost");
      const hid_t dataset = requests_.table().dataset();
      std::vector<std::string> sources, reasons;
      for (const auto& source : scenario.sources) sources.push_back(source.name);
      for (std::size_t c = 0; c < loss_cause_count; ++c)
        reasons.emplace_back(to_string(static_cast<LossCause>(c)));
      hdf5::write_attribute(dataset, "sources", sources);
      hdf5::write_attribute(dataset, "drop_reasons", reasons);
      hdf5::write_attribute(dataset, "sample_fraction", options.request_fraction);
      hdf5::write_attribute(
          dataset, "sample_method",
          options.request_fraction >= 1.0
              ? "all requests"
              : "splitmix64(id xor stream_seed(seed, \"trace/requests\")) < fraction * 2^64");
    }
    if (options.tables.devices) {
      std::vector<std::string> names;
      for (const auto& device : scenario.devices) {
        devices_.push_back(file_->add_table("/devices/" + device.name, device_schema(), options.series_table,
                                            "samples of device group " + device.name));
        names.push_back(device.name);
      }
      if (!names.empty()) {  // a scenario of FaaS functions only has no device groups
        const hdf5::Handle group = hdf5::require_group(file_->get(), "/devices");
        hdf5::write_attribute(group.get(), "names", names);
        hdf5::write_attribute(group.get(), "interval", options.sample_interval);
      }
    }
    if (options.tables.links) {
      std::vector<std::string> names;
      for (const auto& link : scenario.topology.links) {
        links_.push_back(file_->add_table("/links/" + link.name, link_schema(), options.series_table,
                                          "samples of topology link " + link.name));
        names.push_back(link.name);
      }
      // Only scenarios with a topology have links: no empty group otherwise.
      if (!names.empty()) {
        const hdf5::Handle group = hdf5::require_group(file_->get(), "/links");
        hdf5::write_attribute(group.get(), "names", names);
        hdf5::write_attribute(group.get(), "interval", options.sample_interval);
      }
    }
    write_provenance(scenario, provenance);
  } catch (...) {
    file_.reset();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw;
  }
}

TraceWriter::~TraceWriter() {
  if (finished_) return;
  file_.reset();  // closes whatever is open; errors no longer matter, the file is discarded
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void TraceWriter::write_provenance(const ScenarioSpec& scenario, const TraceProvenance& provenance) {
  const hid_t root = file_->get();
  const auto& sim = scenario.simulation;
  const nlohmann::json parameters = {{"simulation",
                                      {{"horizon", sim.horizon},
                                       {"warmup", sim.warmup},
                                       {"seed", sim.seed},
                                       {"drain_limit", sim.drain_limit},
                                       {"max_events", optional_json(sim.max_events)},
                                       {"max_requests", optional_json(sim.max_requests)},
                                       {"replications", sim.replications}}},
                                     {"trace",
                                      {{"interval", options_.sample_interval},
                                       {"tables", table_names(options_.tables)},
                                       {"request_fraction", options_.request_fraction}}}};
  hdf5::write_attribute(root, "format", format_name);
  hdf5::write_attribute(root, "format_version", format_version);
  hdf5::write_attribute(root, "continuum_version", version_string);
  hdf5::write_attribute(root, "git_revision", git_revision_string());
  hdf5::write_attribute(root, "scenario_name", scenario.name);
  hdf5::write_attribute(root, "scenario_file", provenance.scenario_file);
  hdf5::write_attribute(root, "scenario_text", provenance.scenario_text);
  hdf5::write_attribute(root, "scenario_hash", provenance.scenario_hash);
  hdf5::write_attribute(root, "seed", provenance.seed);
  hdf5::write_attribute(root, "horizon", sim.horizon);
  hdf5::write_attribute(root, "warmup", sim.warmup);
  hdf5::write_attribute(root, "overrides", provenance.overrides);
  hdf5::write_attribute(root, "policies", provenance.policies.dump());
  hdf5::write_attribute(root, "placement", placement_json(scenario).dump());
  hdf5::write_attribute(root, "parameters", parameters.dump());
  hdf5::write_attribute(root, "tables", table_names(options_.tables));
  hdf5::write_attribute(root, "started_utc", utc_now());
}

void TraceWriter::on_request(const RequestRecord& record) {
  ++requests_seen_;
  if (!requests_ || !sampler_.keeps(record.id)) return;
  RequestRow row;
  row.id = record.id;
  row.arrival = record.arrival;
  row.finish = record.finish;
  row.latency = record.latency;
  row.energy_j = record.energy_j;
  row.cost = record.cost;
  row.source = record.source;
  row.exit_gate = static_cast<std::int16_t>(record.exit_gate);
  row.drop_reason = static_cast<std::int8_t>(record.drop_reason);
  row.measured = record.measured ? 1 : 0;
  requests_.append(row);
  ++requests_written_;
}

void TraceWriter::on_sample(SimTime now, const std::vector<DeviceSample>& devices,
                            const std::vector<LinkSample>& links) {
  if (!devices_.empty())
    for (const auto& sample : devices)
      devices_.at(sample.device).append({now, sample.utilization, sample.queue_length, sample.power_w});
  if (!links_.empty())
    for (const auto& sample : links) links_.at(sample.link).append({now, sample.utilization, sample.flows});
}

void TraceWriter::finish(const RunSummary& summary, const nlohmann::json& summary_json) {
  if (finished_ || !file_) throw std::logic_error("trace " + path_.string() + ": finish called twice");
  const hid_t root = file_->get();
  {
    const hdf5::Handle dataset = hdf5::write_string_dataset(root, "summary", summary_json.dump(2));
    const hid_t d = dataset.get();
    const bool any = summary.latency.moments.count() > 0;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    hdf5::write_attribute(d, "format", "json");
    hdf5::write_attribute(d, "offered", summary.offered);
    hdf5::write_attribute(d, "completed", summary.completed);
    hdf5::write_attribute(d, "lost", summary.lost);
    hdf5::write_attribute(d, "unfinished", summary.unfinished);
    hdf5::write_attribute(d, "throughput", summary.throughput());
    hdf5::write_attribute(d, "loss_ratio", summary.loss_ratio());
    hdf5::write_attribute(d, "latency_mean", any ? summary.latency.moments.mean() : nan);
    hdf5::write_attribute(d, "latency_p50", any ? summary.latency.quantiles.quantile(0.50) : nan);
    hdf5::write_attribute(d, "latency_p95", any ? summary.latency.quantiles.quantile(0.95) : nan);
    hdf5::write_attribute(d, "latency_p99", any ? summary.latency.quantiles.quantile(0.99) : nan);
    hdf5::write_attribute(d, "latency_max", any ? summary.latency.moments.max() : nan);
    hdf5::write_attribute(d, "energy_total_j", summary.total_energy_j());
    hdf5::write_attribute(d, "cost_total", summary.total_cost());
    hdf5::write_attribute(d, "end_time", summary.end_time);
  }
  if (requests_) {
    const hid_t dataset = requests_.table().dataset();
    hdf5::write_attribute(dataset, "requests_seen", requests_seen_);
  }
  hdf5::write_attribute(root, "finished_utc", utc_now());
  hdf5::write_attribute(root, "wall_seconds",
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  try {
    file_->close();
    file_.reset();
    std::filesystem::rename(temporary_, path_);
  } catch (const std::exception& error) {
    file_.reset();
    std::error_code ignored;
    std::filesystem::remove(temporary_, ignored);
    throw std::ios_base::failure("cannot write trace " + path_.string() + ": " + error.what());
  }
  finished_ = true;
}

}  // namespace continuum::io
