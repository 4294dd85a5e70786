#include "sim/io/trace_writer.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <ios>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "models/early_exit/input_model.hpp"
#include "sim/engine/random.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::io {

namespace {

/// Format name and version of the layout below; bump the version when a reader must adapt.
constexpr const char* format_name = "continuum-trace";
constexpr std::uint64_t format_version = 1;

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
  if (tables.faas) names.emplace_back("faas");
  if (tables.early_exit) names.emplace_back("early_exit");
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

constexpr const char* known_tables = "requests, devices, links, faas, early_exit, all";

/// One table per name under `group` (e.g. /devices/<name>), and the group's `names` and
/// `interval` attributes; no group at all when there are no names.
template <class Row>
std::vector<hdf5::TableRef<Row>> add_series(hdf5::File& file, const std::string& group,
                                            const std::vector<std::string>& names,
                                            const hdf5::TableSchema<Row>& schema,
                                            const hdf5::TableOptions& options, const std::string& what,
                                            double interval) {
  std::vector<hdf5::TableRef<Row>> tables;
  for (const auto& name : names)
    tables.push_back(file.add_table(group + "/" + name, schema, options, "samples of " + what + " " + name));
  if (!names.empty()) {
    const hdf5::Handle handle = hdf5::require_group(file.get(), group);
    hdf5::write_attribute(handle.get(), "names", names);
    hdf5::write_attribute(handle.get(), "interval", interval);
  }
  return tables;
}

}  // namespace

TraceTables parse_trace_filter(std::string_view text) {
  TraceTables tables{false, false, false, false, false};
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
    } else if (name == "faas") {
      tables.faas = true;
    } else if (name == "early_exit") {
      tables.early_exit = true;
    } else if (name == "all") {
      tables = TraceTables{};
    } else {
      throw std::invalid_argument("unknown trace table \"" + std::string(name) +
                                  "\"; known: " + known_tables);
    }
    any = true;
    begin = end + 1;
  }
  if (!any) throw std::invalid_argument(std::string("empty trace filter; known tables: ") + known_tables);
  return tables;
}

hdf5::Compression parse_trace_compression(std::string_view text) {
  if (text == "none") return hdf5::Compression::none;
  if (text == "fast") return hdf5::Compression::fast;
  if (text == "small") return hdf5::Compression::small;
  throw std::invalid_argument("unknown trace compression \"" + std::string(text) +
                              "\"; known: none, fast, small");
}

RequestSampler::RequestSampler(std::uint64_t seed, double fraction)
    : key_(stream_seed(seed, "trace/requests")),
      // fraction < 1 here, so the threshold fits in 64 bits; 2^64 is exact in a double.
      threshold_(fraction < 1.0 ? static_cast<std::uint64_t>(std::max(fraction, 0.0) * 18446744073709551616.0)
                                : 0),
      all_(fraction >= 1.0) {}

TraceLayout trace_layout(const ScenarioSpec& scenario) {
  TraceLayout layout;
  layout.scenario_name = scenario.name;
  layout.simulation = scenario.simulation;
  layout.placement = placement_json(scenario);
  for (const auto& source : scenario.sources) layout.sources.push_back(source.name);
  for (const auto& device : scenario.devices) layout.devices.push_back(device.name);
  for (const auto& link : scenario.topology.links) layout.links.push_back(link.name);
  for (const auto& platform : scenario.faas_platforms)
    for (const auto& function : platform.functions) layout.functions.push_back(function.name);
  return layout;
}

TraceLayout trace_layout(const EarlyExitScenario& scenario) {
  TraceLayout layout;
  layout.scenario_name = scenario.name;
  layout.simulation = scenario.simulation;
  layout.sources = {"inputs"};
  // EarlyExitModel's device order: the edge, then the cloud when part of the network runs there.
  layout.devices = {scenario.edge_device.name};
  if (scenario.last_edge_gate() < scenario.gate_count() - 1)
    layout.devices.push_back(scenario.cloud_device->name);
  for (const auto& gate : scenario.gates) layout.gates.push_back(gate.name);
  layout.input_classes = input_class_names(scenario.inputs);
  return layout;
}

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
              "service and transmission energy attributed to the request (float32)")
      .column(
          "cost", &RequestRow::cost, "money",
          "money attributed to the request: FaaS bills and network prices counted in the summary (float32)")
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

hdf5::TableSchema<FaasRow> faas_schema() {
  return hdf5::TableSchema<FaasRow>()
      .column("time", &FaasRow::time, "s", "sampling time (end of the interval)")
      .column("instances", &FaasRow::instances, "",
              "instances loaded at the sampling time (starting, busy or idle)")
      .column("busy", &FaasRow::busy, "", "instances with a request in service at the sampling time")
      .column("idle", &FaasRow::idle, "", "loaded instances with no request in service at the sampling time")
      .column("in_flight", &FaasRow::in_flight, "", "requests in service at the sampling time")
      .column("invocations", &FaasRow::invocations, "", "accepted invocations in the interval")
      .column("cold_starts", &FaasRow::cold_starts, "", "cold starts in the interval")
      .column("rejections", &FaasRow::rejections, "", "invocations rejected in the interval (instance limit)")
      .column("cost", &FaasRow::cost, "money", "money billed since the start of the run (warm-up included)");
}

hdf5::TableSchema<EarlyExitRow> early_exit_schema() {
  return hdf5::TableSchema<EarlyExitRow>()
      .column("id", &EarlyExitRow::id, "", "input id (= /requests id)")
      .column("time", &EarlyExitRow::time, "s", "answer time, or the time the input was lost")
      .column("gate", &EarlyExitRow::gate, "",
              "gate taken (see the attribute gates), -1 when lost before the decision")
      .column("confidence", &EarlyExitRow::confidence, "", "confidence at the gate taken; NaN without a gate")
      .column("correct", &EarlyExitRow::correct, "", "1 if answered and right at that gate")
      .column("answered", &EarlyExitRow::answered, "", "1 if answered, 0 if lost")
      .column("threshold", &EarlyExitRow::threshold, "",
              "confidence threshold the policy chose (threshold mode); NaN in single-exit mode")
      .column("offloaded", &EarlyExitRow::offloaded, "", "1 if the gate lies past the split (cloud)")
      .column("input_class", &EarlyExitRow::input_class, "", "input class (see the attribute classes)")
      .column("measured", &EarlyExitRow::measured, "", "1 if the input arrived after the warm-up");
}

TraceWriter::TraceWriter(const std::filesystem::path& path, const TraceLayout& layout,
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
  // The trace is renamed into place at the end: never over a device such as /dev/null.
  if (is_special_file(path))
    throw std::ios_base::failure(
        "cannot write trace " + path.string() +
        ": not a regular file (an HDF5 trace needs a file it can rename into place)");
  try {
    file_.emplace(temporary_);
    if (options.tables.requests) {
      requests_ = file_->add_table("/requests", request_schema(), options.request_table,
                                   "one row per request when it completes or is lost");
      const hid_t dataset = requests_.table().dataset();
      std::vector<std::string> reasons;
      for (std::size_t c = 0; c < loss_cause_count; ++c)
        reasons.emplace_back(to_string(static_cast<LossCause>(c)));
      hdf5::write_attribute(dataset, "sources", layout.sources);
      hdf5::write_attribute(dataset, "drop_reasons", reasons);
      hdf5::write_attribute(dataset, "sample_fraction", options.request_fraction);
      hdf5::write_attribute(
          dataset, "sample_method",
          options.request_fraction >= 1.0
              ? "all requests"
              : "splitmix64(id xor stream_seed(seed, \"trace/requests\")) < fraction * 2^64");
    }
    // A scenario of FaaS functions only has no device groups, only one with a topology has links:
    // no empty groups.
    if (options.tables.devices)
      devices_ = add_series(*file_, "/devices", layout.devices, device_schema(), options.series_table,
                            "device group", options.sample_interval);
    if (options.tables.links)
      links_ = add_series(*file_, "/links", layout.links, link_schema(), options.series_table,
                          "topology link", options.sample_interval);
    if (options.tables.faas) {
      functions_ = add_series(*file_, "/faas", layout.functions, faas_schema(), options.series_table,
                              "FaaS function", options.sample_interval);
      previous_faas_.assign(layout.functions.size(), FaasSample{});
    }
    if (options.tables.early_exit && !layout.gates.empty()) {
      early_exit_ = file_->add_table("/early_exit", early_exit_schema(), options.request_table,
                                     "one row per early-exit input when it is answered or lost");
      const hid_t dataset = early_exit_.table().dataset();
      hdf5::write_attribute(dataset, "gates", layout.gates);
      hdf5::write_attribute(dataset, "classes", layout.input_classes);
      hdf5::write_attribute(dataset, "sample_fraction", options.request_fraction);
    }
    write_provenance(layout, provenance);
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

void TraceWriter::write_provenance(const TraceLayout& layout, const TraceProvenance& provenance) {
  const hid_t root = file_->get();
  const auto& sim = layout.simulation;
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
  hdf5::write_format_attributes(root, format_name, format_version);
  hdf5::write_attribute(root, "scenario_name", layout.scenario_name);
  hdf5::write_attribute(root, "scenario_file", provenance.scenario_file);
  hdf5::write_attribute(root, "scenario_text", provenance.scenario_text);
  hdf5::write_attribute(root, "scenario_hash", provenance.scenario_hash);
  hdf5::write_attribute(root, "seed", provenance.seed);
  hdf5::write_attribute(root, "horizon", sim.horizon);
  hdf5::write_attribute(root, "warmup", sim.warmup);
  hdf5::write_attribute(root, "overrides", provenance.overrides);
  hdf5::write_attribute(root, "policies", provenance.policies.dump());
  hdf5::write_attribute(root, "placement", layout.placement.dump());
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
  row.energy_j = static_cast<float>(record.energy_j);
  row.cost = static_cast<float>(record.cost);
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

void TraceWriter::on_faas_sample(SimTime now, const std::vector<FaasSample>& functions) {
  if (functions_.empty()) return;
  for (const auto& sample : functions) {
    FaasSample& previous = previous_faas_.at(sample.function);
    functions_.at(sample.function)
        .append({.time = now,
                 .cost = sample.cost,
                 .invocations = sample.invocations - previous.invocations,
                 .cold_starts = sample.cold_starts - previous.cold_starts,
                 .rejections = sample.rejections - previous.rejections,
                 .instances = sample.instances,
                 .busy = sample.busy,
                 .idle = sample.instances - sample.busy,
                 .in_flight = static_cast<std::uint32_t>(sample.in_flight)});
    previous = sample;
  }
}

void TraceWriter::on_early_exit(const EarlyExitRecord& record) {
  if (!early_exit_ || !sampler_.keeps(record.id)) return;
  early_exit_.append({.id = record.id,
                      .time = record.time,
                      .confidence = record.confidence,
                      .threshold = record.threshold,
                      .gate = static_cast<std::int16_t>(record.gate),
                      .input_class = static_cast<std::uint16_t>(record.input_class),
                      .answered = record.answered ? std::uint8_t{1} : std::uint8_t{0},
                      .correct = record.correct ? std::uint8_t{1} : std::uint8_t{0},
                      .offloaded = record.offloaded ? std::uint8_t{1} : std::uint8_t{0},
                      .measured = record.measured ? std::uint8_t{1} : std::uint8_t{0}});
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
