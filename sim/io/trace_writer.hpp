#pragma once
// The HDF5 trace of one run (docs/output-format.md, "HDF5 trace"): a RunObserver that streams
// every request record and every device and link sample into chunked, compressed tables, then
// adds the summary and the provenance and renames the file into place.
//
// Layout: /requests, /devices/<device>, /links/<link>, /faas/<function>, /early_exit, /summary,
// root attributes; a table exists only when the traced model has such things. Memory is bounded
// by one block per table (hdf5_table.hpp) whatever the run length. The file is written under a
// temporary sibling name and renamed only by finish(): a run that is killed or throws leaves no
// file under the final name.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/accounting/run_observer.hpp"
#include "models/early_exit/early_exit_spec.hpp"
#include "models/system/scenario_spec.hpp"
#include "sim/io/hdf5_table.hpp"

namespace continuum::io {

/// Which tables a trace holds (`--trace-filter requests,devices`). /summary and the root
/// attributes are always written.
struct TraceTables {
  bool requests = true;
  bool devices = true;
  bool links = true;
  bool faas = true;
  bool early_exit = true;
  /// Whether a model must schedule sampling events (the time-series tables).
  bool any_series() const { return devices || links || faas; }
};

/// Parses `--trace-compression`: `none`, `fast` or `small` (hdf5::Compression); throws
/// std::invalid_argument listing them.
hdf5::Compression parse_trace_compression(std::string_view text);

/// Parses a comma-separated list of table names (`requests`, `devices`, `links`, `faas`,
/// `early_exit`, or `all`); throws std::invalid_argument naming an unknown table and listing the
/// known ones.
TraceTables parse_trace_filter(std::string_view text);

struct TraceOptions {
  TraceTables tables;
  double sample_interval = 0.0;  // s between device/link samples; 0: no time series rows
  /// Share of request rows kept, in (0, 1]. A row is kept when a hash of (seed, request id) falls
  /// below the fraction (see keeps_request): no simulation random stream is used, so tracing
  /// never changes a run, and runs with the same seed keep the same request ids.
  double request_fraction = 1.0;
  hdf5::TableOptions request_table{};  // 64 Ki-row blocks, 16 Ki-row chunks
  hdf5::TableOptions series_table{.block_rows = 4096, .chunk_rows = 1024};
};

/// What the traced model has, in the index order of its observer calls: the tables are laid out
/// from this. Built from a ScenarioSpec (SystemModel) or an EarlyExitScenario (EarlyExitModel).
struct TraceLayout {
  std::string scenario_name;
  SimulationSpec simulation;
  nlohmann::json placement = nlohmann::json::object();  // component -> deployment and partitions
  std::vector<std::string> sources;                     // RequestRecord::source
  std::vector<std::string> devices;                     // DeviceSample::device
  std::vector<std::string> links;                       // LinkSample::link
  std::vector<std::string> functions;                   // FaasSample::function
  std::vector<std::string> gates;  // early-exit gates, by EarlyExitRecord::gate; empty: no /early_exit
  std::vector<std::string> input_classes;  // by EarlyExitRecord::input_class
};

TraceLayout trace_layout(const ScenarioSpec& scenario);
TraceLayout trace_layout(const EarlyExitScenario& scenario);

/// Where the run came from, recorded as root attributes.
struct TraceProvenance {
  std::string scenario_file;                           // absolute path
  std::string scenario_text;                           // the file's bytes
  std::string scenario_hash;                           // as in the JSON summary
  std::uint64_t seed = 0;                              // master seed of the traced run
  std::vector<std::string> overrides;                  // "path=value"
  nlohmann::json policies = nlohmann::json::object();  // policy name -> parameters
};

/// The deterministic request sampler: keeps request `id` iff
/// splitmix64(id XOR stream_seed(seed, "trace/requests")) < fraction · 2^64.
class RequestSampler {
 public:
  RequestSampler(std::uint64_t seed, double fraction);
  bool keeps(std::uint64_t id) const { return all_ || mix(id ^ key_) < threshold_; }

 private:
  static std::uint64_t mix(std::uint64_t x) {
    // SplitMix64 finaliser (Steele, Lea & Flood 2014): outputs look uniform even for consecutive ids.
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  std::uint64_t key_;
  std::uint64_t threshold_;
  bool all_;
};

inline bool keeps_request(std::uint64_t seed, std::uint64_t id, double fraction) {
  return RequestSampler(seed, fraction).keeps(id);
}

/// One row of /requests, in memory exactly as in the file (no padding: every byte is a column).
/// 48 bytes: energy and cost are float32 (7 significant digits) because every byte of the row
/// costs compression time; times stay float64 (a float32 time at 10^6 s would be off by 0.06 s).
struct RequestRow {
  std::uint64_t id = 0;
  double arrival = 0.0;
  double finish = 0.0;
  double latency = 0.0;
  float energy_j = 0.0f;
  float cost = 0.0f;
  std::uint32_t source = 0;
  std::int16_t exit_gate = -1;
  std::int8_t drop_reason = -1;
  std::uint8_t measured = 1;
};

/// One row of /devices/<name>.
struct DeviceRow {
  double time = 0.0;
  double utilization = 0.0;
  double queue_length = 0.0;
  double power_w = 0.0;
};

/// One row of /links/<name>.
struct LinkRow {
  double time = 0.0;
  double utilization = 0.0;
  std::uint64_t flows = 0;
};

/// One row of /faas/<function>: the state at `time` and the counts of the interval that ends there.
struct FaasRow {
  double time = 0.0;
  double cost = 0.0;  // billed since the start of the run
  std::uint64_t invocations = 0;
  std::uint64_t cold_starts = 0;
  std::uint64_t rejections = 0;
  std::uint32_t instances = 0;
  std::uint32_t busy = 0;
  std::uint32_t idle = 0;
  std::uint32_t in_flight = 0;
};

/// One row of /early_exit.
struct EarlyExitRow {
  std::uint64_t id = 0;
  double time = 0.0;
  double confidence = 0.0;
  double threshold = 0.0;
  std::int16_t gate = -1;
  std::uint16_t input_class = 0;
  std::uint8_t answered = 0;
  std::uint8_t correct = 0;
  std::uint8_t offloaded = 0;
  std::uint8_t measured = 1;
};

hdf5::TableSchema<RequestRow> request_schema();
hdf5::TableSchema<DeviceRow> device_schema();
hdf5::TableSchema<LinkRow> link_schema();
hdf5::TableSchema<FaasRow> faas_schema();
hdf5::TableSchema<EarlyExitRow> early_exit_schema();

class TraceWriter final : public RunObserver {
 public:
  /// Creates the temporary sibling of `path` with the tables chosen by `options` and the
  /// provenance attributes. Throws std::ios_base::failure when the file cannot be created.
  TraceWriter(const std::filesystem::path& path, const TraceLayout& layout, const TraceOptions& options,
              const TraceProvenance& provenance);
  TraceWriter(const std::filesystem::path& path, const ScenarioSpec& scenario, const TraceOptions& options,
              const TraceProvenance& provenance)
      : TraceWriter(path, trace_layout(scenario), options, provenance) {}
  /// Without finish(): closes and deletes the temporary, leaving nothing under the final name.
  ~TraceWriter() override;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void on_request(const RequestRecord& record) override;
  void on_sample(SimTime now, const std::vector<DeviceSample>& devices,
                 const std::vector<LinkSample>& links) override;
  void on_faas_sample(SimTime now, const std::vector<FaasSample>& functions) override;
  void on_early_exit(const EarlyExitRecord& record) override;

  /// Writes /summary (the JSON text and scalar attributes of the main metrics) and the wall
  /// times, closes the file and renames it to its final name.
  void finish(const RunSummary& summary, const nlohmann::json& summary_json);

  /// For tables of further models: `file().add_table("/<group>/<name>", schema)`.
  hdf5::File& file() { return *file_; }
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& temporary_path() const { return temporary_; }
  std::uint64_t requests_seen() const { return requests_seen_; }
  std::uint64_t requests_written() const { return requests_written_; }

 private:
  void write_provenance(const TraceLayout& layout, const TraceProvenance& provenance);

  std::filesystem::path path_;
  std::filesystem::path temporary_;
  TraceOptions options_;
  RequestSampler sampler_;
  std::optional<hdf5::File> file_;
  hdf5::TableRef<RequestRow> requests_;
  std::vector<hdf5::TableRef<DeviceRow>> devices_;  // by ScenarioSpec::devices index
  std::vector<hdf5::TableRef<LinkRow>> links_;      // by ScenarioSpec::topology.links index
  std::vector<hdf5::TableRef<FaasRow>> functions_;  // by FaasSample::function
  std::vector<FaasSample> previous_faas_;           // totals at the previous sample
  hdf5::TableRef<EarlyExitRow> early_exit_;
  std::uint64_t requests_seen_ = 0;
  std::uint64_t requests_written_ = 0;
  std::chrono::steady_clock::time_point started_;
  bool finished_ = false;
};

}  // namespace continuum::io
