// The HDF5 trace writer: a real SystemModel run traced, then read back with the HDF5 C API.
#include "sim/io/trace_writer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "models/early_exit/early_exit_model.hpp"
#include "models/system/system_model.hpp"
#include "policies/early_exit/registry.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/hdf5_handle.hpp"
#include "sim/io/summary_json.hpp"

namespace continuum::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

/// A scratch directory per test, removed afterwards.
class TraceWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("continuum_trace_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Files in the directory other than `keep` (leftover temporaries).
  std::vector<std::string> others(const fs::path& keep) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_))
      if (entry.path() != keep) names.push_back(entry.path().filename().string());
    return names;
  }

  fs::path dir_;
};

/// M/M/1/K: Poisson(8/s) into one exponential(0.1 s) FCFS server with 4 waiting places, so
/// some requests are lost; optionally a second device behind a topology link.
ScenarioSpec small_scenario(bool with_link = false) {
  ScenarioSpec s;
  s.name = "trace_test";
  s.simulation.horizon = 2000.0;
  s.simulation.warmup = 200.0;
  s.layers = {"edge", "cloud"};
  DeviceTypeSpec server{
      .name = "server", .layer = "edge", .cores = 1, .buffer = 4, .discipline = Discipline::fcfs};
  server.power = {.idle_w = 20.0, .busy_w = 60.0};
  DeviceTypeSpec vm{.name = "vm", .layer = "cloud", .cores = 2, .discipline = Discipline::ps};
  vm.power = {.idle_w = 50.0, .busy_w = 150.0};
  s.device_types = {server, vm};
  s.devices = {{.name = "server", .type = "server", .site = with_link ? "edge_site" : ""}};
  PartitionSpec p{.name = "p"};
  p.demand.emplace("server", Distribution::exponential(0.1));
  s.application.components = {{.name = "serve", .deployments = {{.name = "d", .partitions = {p}}}}};
  s.placement["serve"] = {.deployment = "d",
                          .partitions = {{"p", {PlacementTarget::Kind::device, "server"}}}};
  if (with_link) {
    s.devices.push_back({.name = "cloud", .type = "vm", .site = "dc"});
    s.topology.sites = {"edge_site", "dc"};
    s.topology.links = {{.name = "uplink", .a = "edge_site", .b = "dc", .latency = 0.01, .bandwidth = 8e6}};
    PartitionSpec q{.name = "q"};
    q.demand.emplace("vm", Distribution::exponential(0.05));
    s.application.components.push_back({.name = "finish", .deployments = {{.name = "d", .partitions = {q}}}});
    s.application.edges = {{.from = "serve", .to = "finish", .probability = 1.0, .data_bytes = 1e5}};
    s.placement["finish"] = {.deployment = "d",
                             .partitions = {{"q", {PlacementTarget::Kind::device, "cloud"}}}};
  }
  s.sources = {{.name = "clients",
                .entry = "serve",
                .arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 8.0}}};
  return s;
}

hdf5::Handle open_file(const fs::path& path) {
  return hdf5::Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                      "opening " + path.string());
}

hdf5::Handle open_dataset(const hdf5::Handle& file, const std::string& path) {
  return hdf5::Handle(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT), H5Dclose, "opening " + path);
}

std::uint64_t row_count(const hdf5::Handle& dataset) {
  hdf5::Handle space(H5Dget_space(dataset.get()), H5Sclose, "space");
  hsize_t rows = 0;
  H5Sget_simple_extent_dims(space.get(), &rows, nullptr);
  return rows;
}

/// One column of a compound table, read by name (HDF5 converts the member to T).
template <class T>
std::vector<T> read_column(const hdf5::Handle& file, const std::string& table, const char* column) {
  const auto dataset = open_dataset(file, table);
  std::vector<T> values(row_count(dataset));
  hdf5::Handle type(H5Tcreate(H5T_COMPOUND, sizeof(T)), H5Tclose, "column type");
  hdf5::check(H5Tinsert(type.get(), column, 0, hdf5::native_type<T>()), "column member");
  hdf5::check(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "reading a column");
  return values;
}

std::string read_string_attribute(hid_t object, const char* name) {
  hdf5::Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, name);
  const auto type = hdf5::string_type();
  char* value = nullptr;
  hdf5::check(H5Aread(attribute.get(), type.get(), &value), name);
  std::string text(value);
  H5free_memory(value);
  return text;
}

double read_double_attribute(hid_t object, const char* name) {
  hdf5::Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, name);
  double value = 0;
  hdf5::check(H5Aread(attribute.get(), H5T_NATIVE_DOUBLE, &value), name);
  return value;
}

struct TracedRun {
  RunSummary summary;
  nlohmann::json json;
};

TracedRun traced_run(const ScenarioSpec& spec, const fs::path& path, TraceOptions options,
                     std::uint64_t seed = 7) {
  TraceProvenance provenance{.scenario_file = "in-memory",
                             .scenario_text = "name: trace_test\n",
                             .scenario_hash = "0123",
                             .seed = seed,
                             .overrides = {"simulation.seed=7"}};
  TraceWriter writer(path, spec, options, provenance);
  Simulation simulation(seed);
  SystemModel model(simulation, spec);
  model.attach_observer(writer, options.sample_interval);
  TracedRun run{model.run(), {}};
  run.json = summary_json(run.summary, {.scenario_file = "in-memory", .scenario_hash = "0123"});
  writer.finish(run.summary, run.json);
  return run;
}

TEST_F(TraceWriterTest, RequestRowsMatchTheSummaryOfTheRun) {
  const auto spec = small_scenario();
  const fs::path path = dir_ / "run.h5";
  const auto run = traced_run(spec, path, {.sample_interval = 2.0});
  const auto& s = run.summary;
  ASSERT_TRUE(fs::exists(path));
  EXPECT_THAT(others(path), ::testing::IsEmpty()) << "the temporary must be renamed away";

  const auto file = open_file(path);
  const auto ids = read_column<std::uint64_t>(file, "/requests", "id");
  const auto latency = read_column<double>(file, "/requests", "latency");
  const auto arrival = read_column<double>(file, "/requests", "arrival");
  const auto finish = read_column<double>(file, "/requests", "finish");
  const auto measured = read_column<std::uint8_t>(file, "/requests", "measured");
  const auto drop = read_column<std::int32_t>(file, "/requests", "drop_reason");
  ASSERT_EQ(s.unfinished, 0u);
  ASSERT_GT(s.lost, 0u) << "the scenario should lose requests at the full buffer";

  // Every request that arrived (warm-up included) finished and has exactly one row.
  std::vector<std::uint64_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::uint64_t> expected(ids.size());
  std::iota(expected.begin(), expected.end(), 0u);
  EXPECT_EQ(sorted, expected);

  std::uint64_t measured_rows = 0, measured_completed = 0, measured_lost = 0, warmup_rows = 0;
  double sum = 0.0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!measured[i]) {
      ++warmup_rows;
      EXPECT_LT(arrival[i], spec.simulation.warmup);
      continue;
    }
    EXPECT_GE(arrival[i], spec.simulation.warmup);
    ++measured_rows;
    if (drop[i] < 0) {
      ++measured_completed;
      sum += latency[i];
      EXPECT_DOUBLE_EQ(latency[i], finish[i] - arrival[i]);
    } else {
      ++measured_lost;
      EXPECT_TRUE(std::isnan(latency[i]));
      EXPECT_EQ(drop[i], static_cast<int>(LossCause::buffer_full));
    }
  }
  EXPECT_GT(warmup_rows, 1000u);  // 200 s at 8/s
  EXPECT_EQ(measured_rows, s.offered);
  EXPECT_EQ(measured_completed, s.completed);
  EXPECT_EQ(measured_lost, s.lost);
  const double mean = sum / static_cast<double>(measured_completed);
  EXPECT_NEAR(mean, s.latency.moments.mean(), 1e-9 * s.latency.moments.mean());

  // /summary holds the JSON summary and its main metrics as attributes.
  const auto summary = open_dataset(file, "/summary");
  EXPECT_NEAR(read_double_attribute(summary.get(), "latency_mean"), s.latency.moments.mean(), 1e-12);
  char* text = nullptr;
  const auto type = hdf5::string_type();
  hdf5::check(H5Dread(summary.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), "summary");
  const auto json = nlohmann::json::parse(text);
  H5free_memory(text);
  EXPECT_EQ(json.at("requests").at("offered").get<std::uint64_t>(), s.offered);
  EXPECT_DOUBLE_EQ(json.at("latency").at("mean").get<double>(), s.latency.moments.mean());
}

TEST_F(TraceWriterTest, RootAttributesCarryTheProvenance) {
  const fs::path path = dir_ / "run.h5";
  traced_run(small_scenario(), path, {.sample_interval = 10.0});
  const auto file = open_file(path);
  EXPECT_EQ(read_string_attribute(file.get(), "format"), "continuum-trace");
  EXPECT_EQ(read_string_attribute(file.get(), "scenario_name"), "trace_test");
  EXPECT_EQ(read_string_attribute(file.get(), "scenario_text"), "name: trace_test\n");
  EXPECT_EQ(read_string_attribute(file.get(), "scenario_hash"), "0123");
  EXPECT_EQ(read_string_attribute(file.get(), "git_revision"), git_revision_string());
  EXPECT_GE(read_double_attribute(file.get(), "wall_seconds"), 0.0);
  const auto parameters = nlohmann::json::parse(read_string_attribute(file.get(), "parameters"));
  EXPECT_EQ(parameters.at("simulation").at("horizon").get<double>(), 2000.0);
  EXPECT_EQ(parameters.at("trace").at("interval").get<double>(), 10.0);
  const auto placement = nlohmann::json::parse(read_string_attribute(file.get(), "placement"));
  EXPECT_EQ(placement.at("serve").at("partitions").at("p").at("name").get<std::string>(), "server");
  hdf5::Handle seed(H5Aopen(file.get(), "seed", H5P_DEFAULT), H5Aclose, "seed");
  std::uint64_t value = 0;
  hdf5::check(H5Aread(seed.get(), H5T_NATIVE_UINT64, &value), "seed");
  EXPECT_EQ(value, 7u);
}

TEST_F(TraceWriterTest, DeviceSeriesAverageToTheSummaryUtilisation) {
  const auto spec = small_scenario();
  const fs::path path = dir_ / "run.h5";
  const double interval = 2.0;
  const auto run = traced_run(spec, path, {.sample_interval = interval});
  const auto file = open_file(path);
  const auto time = read_column<double>(file, "/devices/server", "time");
  const auto utilization = read_column<double>(file, "/devices/server", "utilization");
  const auto power = read_column<double>(file, "/devices/server", "power");
  // Samples every interval up to the horizon.
  ASSERT_EQ(time.size(), static_cast<std::size_t>(spec.simulation.horizon / interval));
  EXPECT_DOUBLE_EQ(time.front(), interval);
  EXPECT_DOUBLE_EQ(time.back(), spec.simulation.horizon);
  double busy = 0.0;
  std::size_t samples = 0;
  for (std::size_t i = 0; i < time.size(); ++i) {
    EXPECT_GE(power[i], 20.0 - 1e-9);
    EXPECT_LE(power[i], 60.0 + 1e-9);
    EXPECT_NEAR(power[i], 20.0 + 40.0 * utilization[i], 1e-9);
    if (time[i] > spec.simulation.warmup) {  // intervals inside the measured window
      busy += utilization[i];
      ++samples;
    }
  }
  EXPECT_NEAR(busy / static_cast<double>(samples), run.summary.devices.front().utilization, 1e-9);
  // No topology, so no /links group.
  EXPECT_EQ(H5Lexists(file.get(), "links", H5P_DEFAULT), 0);
}

TEST_F(TraceWriterTest, LinkSeriesAppearWithATopology) {
  const auto spec = small_scenario(true);
  const fs::path path = dir_ / "run.h5";
  traced_run(spec, path, {.sample_interval = 5.0});
  const auto file = open_file(path);
  const auto utilization = read_column<double>(file, "/links/uplink", "utilization");
  const auto flows = read_column<std::uint64_t>(file, "/links/uplink", "flows");
  ASSERT_EQ(utilization.size(), 400u);
  EXPECT_TRUE(std::all_of(utilization.begin(), utilization.end(),
                          [](double u) { return u >= 0.0 && u <= 1.0 + 1e-12; }));
  // 8/s × 0.1 s transfers: the link is busy about 80 % of the time (less the losses).
  const auto busy = std::count_if(flows.begin(), flows.end(), [](std::uint64_t f) { return f > 0; });
  EXPECT_GT(busy, 200);
  EXPECT_LT(busy, 380);
  EXPECT_EQ(read_column<double>(file, "/devices/cloud", "time").size(), 400u);
}

TEST_F(TraceWriterTest, SamplingKeepsTheHashedShareOfRequests) {
  const auto spec = small_scenario();
  const fs::path path = dir_ / "sampled.h5";
  const double fraction = 0.25;
  TraceOptions options{.tables = parse_trace_filter("requests"), .request_fraction = fraction};
  traced_run(spec, path, options, 11);
  const auto file = open_file(path);
  const auto ids = read_column<std::uint64_t>(file, "/requests", "id");
  const auto total = static_cast<double>(*std::max_element(ids.begin(), ids.end()) + 1);
  // Binomial(total, 0.25): within 5 standard deviations.
  EXPECT_NEAR(static_cast<double>(ids.size()), fraction * total,
              5.0 * std::sqrt(total * fraction * (1 - fraction)));
  for (const auto id : ids) EXPECT_TRUE(keeps_request(11, id, fraction)) << id;
  EXPECT_EQ(H5Lexists(file.get(), "devices", H5P_DEFAULT), 0) << "the filter left devices out";
  const auto requests = open_dataset(file, "/requests");
  EXPECT_DOUBLE_EQ(read_double_attribute(requests.get(), "sample_fraction"), fraction);
}

TEST(TraceFilter, ParsesTableListsAndNamesTheKnownTables) {
  const auto tables = parse_trace_filter("requests, devices");
  EXPECT_TRUE(tables.requests);
  EXPECT_TRUE(tables.devices);
  EXPECT_FALSE(tables.links);
  const auto all = parse_trace_filter("all");
  EXPECT_TRUE(all.requests && all.devices && all.links);
  const auto models = parse_trace_filter("faas,early_exit");
  EXPECT_TRUE(models.faas && models.early_exit && !models.requests);
  EXPECT_TRUE(models.any_series());
  EXPECT_FALSE(parse_trace_filter("requests,early_exit").any_series());
  try {
    parse_trace_filter("requests,gpus");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr("\"gpus\""));
    EXPECT_THAT(error.what(), HasSubstr("known: requests, devices, links, faas, early_exit, all"));
  }
}

TEST(TraceSampler, KeepsAboutTheFractionAndDependsOnTheSeed) {
  std::size_t kept = 0, same = 0;
  for (std::uint64_t id = 0; id < 100000; ++id) {
    kept += keeps_request(1, id, 0.1);
    same += keeps_request(1, id, 0.1) == keeps_request(2, id, 0.1);
  }
  EXPECT_NEAR(static_cast<double>(kept), 10000.0, 5 * std::sqrt(100000 * 0.1 * 0.9));
  // Independent seeds agree on about 0.1² + 0.9² = 82 % of the ids.
  EXPECT_NEAR(static_cast<double>(same), 82000.0, 1000.0);
  EXPECT_TRUE(keeps_request(1, 5, 1.0));
}

TEST_F(TraceWriterTest, AnUnfinishedWriterLeavesNoFile) {
  const fs::path path = dir_ / "abandoned.h5";
  {
    TraceWriter writer(path, small_scenario(), {}, {});
    for (std::uint64_t id = 0; id < 100000; ++id) writer.on_request({.id = id, .latency = 1.0});
  }  // e.g. the run threw
  EXPECT_FALSE(fs::exists(path));
  EXPECT_THAT(others(path), ::testing::IsEmpty());
}

TEST_F(TraceWriterTest, AKilledWriterLeavesNothingUnderTheFinalName) {
  const fs::path path = dir_ / "killed.h5";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    TraceWriter writer(path, small_scenario(), {}, {});
    for (std::uint64_t id = 0; id < 200000; ++id)
      writer.on_request({.id = id, .latency = 1.0});  // 3 blocks flushed
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(fs::exists(path));
  const auto left = others(path);
  ASSERT_EQ(left.size(), 1u) << "the killed writer's temporary";
  EXPECT_THAT(left.front(), HasSubstr("killed.h5.tmp."));
}

TEST_F(TraceWriterTest, LongTablesStreamInChunkedCompressedBlocks) {
  const fs::path path = dir_ / "long.h5";
  const std::uint64_t n = 150000;  // two full 64 Ki blocks and a partial one
  {
    TraceWriter writer(path, small_scenario(), {.tables = parse_trace_filter("requests")}, {});
    for (std::uint64_t id = 0; id < n; ++id)
      writer.on_request({.id = id, .arrival = static_cast<double>(id), .latency = 0.5, .drop_reason = -1});
    EXPECT_EQ(writer.requests_written(), n);
    RunSummary empty;
    writer.finish(empty, nlohmann::json::object());
  }
  const auto file = open_file(path);
  const auto arrival = read_column<double>(file, "/requests", "arrival");
  ASSERT_EQ(arrival.size(), n);
  for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(arrival[i], static_cast<double>(i));
  const auto dataset = open_dataset(file, "/requests");
  hdf5::Handle properties(H5Dget_create_plist(dataset.get()), H5Pclose, "properties");
  hsize_t chunk = 0;
  ASSERT_EQ(H5Pget_chunk(properties.get(), 1, &chunk), 1);
  EXPECT_EQ(chunk, 16384u);
  EXPECT_GT(H5Pget_filter_by_id2(properties.get(), H5Z_FILTER_DEFLATE, nullptr, nullptr, nullptr, 0, nullptr,
                                 nullptr),
            -1);
  // 150000 rows of 48 bytes compress well below their raw size.
  EXPECT_LT(H5Dget_storage_size(dataset.get()), n * sizeof(RequestRow) / 2);
}

TEST_F(TraceWriterTest, ATraceInAMissingDirectoryIsRefusedNamingIt) {
  const fs::path path = dir_ / "missing" / "run.h5";
  try {
    TraceWriter writer(path, small_scenario(), {}, {});
    FAIL() << "expected an error";
  } catch (const std::ios_base::failure& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot write trace " + path.string()));
    EXPECT_THAT(error.what(), HasSubstr("no directory"));
  }
  EXPECT_THAT(others(path), ::testing::ElementsAre());
}

struct Padded {
  double x = 0.0;
  std::uint32_t y = 0;  // followed by 4 bytes of padding
};

TEST_F(TraceWriterTest, OutputsNeverReplaceADevice) {
  // A FIFO stands for /dev/null and the like: renaming a finished output over such a path would
  // replace the device (for every process, when running as root).
  const fs::path pipe = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  EXPECT_TRUE(is_special_file(pipe));
  EXPECT_FALSE(is_special_file(dir_ / "missing.h5"));
  EXPECT_THROW(TraceWriter(pipe, small_scenario(), {}, {}), std::ios_base::failure);
  EXPECT_TRUE(fs::is_fifo(pipe));
  // write_file_atomically writes in place, as `> pipe` would (a reader is open, so nothing blocks).
  const int reader = ::open(pipe.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  write_file_atomically(pipe, "{}\n");
  char text[8] = {};
  EXPECT_EQ(::read(reader, text, sizeof text), 3);
  ::close(reader);
  EXPECT_STREQ(text, "{}\n");
  EXPECT_TRUE(fs::is_fifo(pipe));
  EXPECT_THAT(others(pipe), ::testing::IsEmpty()) << "no temporary left beside it";
}

TEST_F(TraceWriterTest, ARowTypeWithPaddingIsRefused) {
  hdf5::File file(dir_ / "padded.h5");
  const auto schema =
      hdf5::TableSchema<Padded>().column("x", &Padded::x, "", "").column("y", &Padded::y, "", "");
  EXPECT_THROW(file.add_table("/padded", schema), std::logic_error);
}

/// Every compression mode gives back exactly the rows written, through HDF5's own filters: random
/// doubles (stored planes), slowly growing ids and times (mixed planes), constants (coded planes),
/// a row size that is not a multiple of 8 (the byte-by-byte shuffle) and a partial last chunk.
TEST_F(TraceWriterTest, EveryCompressionModeRoundTripsExactly) {
  struct Wide {
    std::uint64_t id;
    double time;
    double noise;
    float level;
    std::int32_t constant;
  };
  struct Narrow {
    std::uint8_t a, b, c;
  };
  const std::size_t n = 40000;  // two full 16 Ki chunks and a partial one
  std::mt19937_64 engine(3);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<Wide> wide(n);
  std::vector<Narrow> narrow(n);
  for (std::size_t i = 0; i < n; ++i) {
    wide[i] = {i * 3, 0.25 * static_cast<double>(i) + uniform(engine), uniform(engine) * 1e6,
               static_cast<float>(i % 7), -1};
    narrow[i] = {static_cast<std::uint8_t>(i), 9, static_cast<std::uint8_t>(engine())};
  }
  std::map<hdf5::Compression, hsize_t> sizes;
  for (const auto mode : {hdf5::Compression::none, hdf5::Compression::fast, hdf5::Compression::small}) {
    SCOPED_TRACE(static_cast<int>(mode));
    const fs::path path = dir_ / "modes.h5";
    {
      hdf5::File file(path);
      const hdf5::TableOptions options{.block_rows = 32768, .chunk_rows = 16384, .compression = mode};
      auto wide_table = file.add_table("/wide",
                                       hdf5::TableSchema<Wide>()
                                           .column("id", &Wide::id, "", "")
                                           .column("time", &Wide::time, "s", "")
                                           .column("noise", &Wide::noise, "", "")
                                           .column("level", &Wide::level, "", "")
                                           .column("constant", &Wide::constant, "", ""),
                                       options);
      auto narrow_table = file.add_table("/narrow",
                                         hdf5::TableSchema<Narrow>()
                                             .column("a", &Narrow::a, "", "")
                                             .column("b", &Narrow::b, "", "")
                                             .column("c", &Narrow::c, "", ""),
                                         options);
      for (std::size_t i = 0; i < n; ++i) {
        wide_table.append(wide[i]);
        narrow_table.append(narrow[i]);
      }
      file.close();
    }
    const auto file = open_file(path);
    const auto dataset = open_dataset(file, "/wide");
    ASSERT_EQ(row_count(dataset), n);
    std::vector<Wide> back(n);
    hdf5::Handle type(H5Dget_type(dataset.get()), H5Tclose, "type");
    ASSERT_GE(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0);
    EXPECT_EQ(std::memcmp(back.data(), wide.data(), n * sizeof(Wide)), 0);
    sizes[mode] = H5Dget_storage_size(dataset.get());
    const auto narrow_dataset = open_dataset(file, "/narrow");
    std::vector<Narrow> narrow_back(n);
    hdf5::Handle narrow_type(H5Dget_type(narrow_dataset.get()), H5Tclose, "type");
    ASSERT_GE(
        H5Dread(narrow_dataset.get(), narrow_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, narrow_back.data()),
        0);
    EXPECT_EQ(std::memcmp(narrow_back.data(), narrow.data(), n * sizeof(Narrow)), 0);
    fs::remove(path);
  }
  EXPECT_LT(sizes[hdf5::Compression::fast], sizes[hdf5::Compression::none] * 3 / 4);
  EXPECT_LE(sizes[hdf5::Compression::small], sizes[hdf5::Compression::fast]);
}

TEST_F(TraceWriterTest, ATableOfANewModelIsOneCall) {
  struct PoolRow {
    double time = 0.0;
    double instances = 0.0;
  };
  const fs::path path = dir_ / "pool.h5";
  {
    TraceWriter writer(path, small_scenario(), {.tables = parse_trace_filter("requests")}, {});
    auto table = writer.file().add_table("/pools/resize",
                                         hdf5::TableSchema<PoolRow>()
                                             .column("time", &PoolRow::time, "s", "sampling time")
                                             .column("instances", &PoolRow::instances, "", "instances"));
    for (int i = 0; i < 10; ++i) table.append({static_cast<double>(i), 2.0 * i});
    RunSummary empty;
    writer.finish(empty, nlohmann::json::object());
  }
  const auto file = open_file(path);
  const auto instances = read_column<double>(file, "/pools/resize", "instances");
  ASSERT_EQ(instances.size(), 10u);
  EXPECT_EQ(instances[9], 18.0);
}

/// small_scenario's server (now rented at 0.36/h) hands every request over a priced edge-cloud
/// domain to the FaaS function "resize" (pay per use, cold starts billed): each request costs
/// FaaS money and network money, and the server costs money per second.
ScenarioSpec faas_scenario(FaasBillingModel billing = FaasBillingModel::pay_per_use) {
  ScenarioSpec s = small_scenario();
  s.simulation.horizon = 1000.0;
  s.simulation.warmup = 100.0;
  s.device_types[0].buffer = 20;
  s.device_types[0].cost.per_second = 0.0001;
  s.domains = {{.name = "wan",
                .layers = {"edge", "cloud"},
                .access_delay = 0.02,
                .bandwidth = 1e8,
                .cost_per_byte = 1e-9}};
  FaasPlatformSpec platform{.name = "lambda",
                            .layer = "cloud",
                            .price_per_gb_second = 1.66667e-5,
                            .price_per_invocation = 2e-7,
                            .billing = billing};
  FaasFunctionSpec resize{.name = "resize", .memory = 512.0 * 1024 * 1024};
  resize.warm = Distribution::exponential(0.3);
  resize.cold = Distribution::exponential(1.5);
  resize.keep_alive = 5.0;   // short: instances come and go, so there are cold starts all along
  resize.max_instances = 3;  // and some rejections
  resize.price_per_warm_second = 2e-5;
  platform.functions = {resize};
  s.faas_platforms = {platform};
  s.application.components.push_back(
      {.name = "finish", .deployments = {{.name = "d", .partitions = {{.name = "q"}}}}});
  s.application.edges = {{.from = "serve", .to = "finish", .probability = 1.0, .data_bytes = 2e5}};
  s.placement["finish"] = {.deployment = "d", .partitions = {{"q", {PlacementTarget::Kind::faas, "resize"}}}};
  return s;
}

TEST_F(TraceWriterTest, FaasSeriesFollowTheFunctionAndRequestCostsAddUpToTheSummary) {
  for (const auto billing : {FaasBillingModel::pay_per_use, FaasBillingModel::space4ai}) {
    SCOPED_TRACE(billing == FaasBillingModel::pay_per_use ? "pay per use" : "space4ai");
    const auto spec = faas_scenario(billing);
    const fs::path path = dir_ / "faas.h5";
    const double interval = 5.0;
    const auto run = traced_run(spec, path, {.sample_interval = interval});
    const auto& s = run.summary;
    ASSERT_EQ(s.faas.size(), 1u);
    ASSERT_GT(s.faas_cost, 0.0);
    ASSERT_GT(s.network_cost, 0.0);
    ASSERT_GT(s.faas.front().rejections, 0u) << "the instance limit should reject some requests";
    ASSERT_EQ(s.unfinished, 0u);

    const auto file = open_file(path);
    const auto time = read_column<double>(file, "/faas/resize", "time");
    const auto instances = read_column<std::uint32_t>(file, "/faas/resize", "instances");
    const auto busy = read_column<std::uint32_t>(file, "/faas/resize", "busy");
    const auto idle = read_column<std::uint32_t>(file, "/faas/resize", "idle");
    const auto in_flight = read_column<std::uint32_t>(file, "/faas/resize", "in_flight");
    const auto invocations = read_column<std::uint64_t>(file, "/faas/resize", "invocations");
    const auto cold = read_column<std::uint64_t>(file, "/faas/resize", "cold_starts");
    const auto rejections = read_column<std::uint64_t>(file, "/faas/resize", "rejections");
    const auto cost = read_column<double>(file, "/faas/resize", "cost");
    ASSERT_EQ(time.size(), static_cast<std::size_t>(spec.simulation.horizon / interval));
    std::uint64_t window_invocations = 0, window_cold = 0, window_rejections = 0, peak = 0;
    double cost_at_warmup = 0.0;
    for (std::size_t i = 0; i < time.size(); ++i) {
      EXPECT_EQ(instances[i], busy[i] + idle[i]);
      EXPECT_LE(instances[i], 3u);
      EXPECT_LE(busy[i], in_flight[i]);  // concurrency 1: equal
      EXPECT_EQ(busy[i], in_flight[i]);
      if (i > 0) {
        EXPECT_GE(cost[i], cost[i - 1]);
      }
      peak = std::max<std::uint64_t>(peak, instances[i]);
      if (time[i] <= spec.simulation.warmup) {
        cost_at_warmup = cost[i];
      } else {
        window_invocations += invocations[i];
        window_cold += cold[i];
        window_rejections += rejections[i];
      }
    }
    // The interval counts of the measured window add up to the function's report (the sample at
    // the warm-up closes the warm-up intervals; the one at the horizon closes the window).
    const auto& report = s.faas.front();
    EXPECT_EQ(window_invocations, report.warm_starts + report.cold_starts);
    EXPECT_EQ(window_cold, report.cold_starts);
    EXPECT_EQ(window_rejections, report.rejections);
    EXPECT_EQ(static_cast<double>(peak), report.peak_instances);
    EXPECT_NEAR(cost.back() - cost_at_warmup, s.faas_cost, 1e-9 * s.faas_cost);

    // Σ request costs (all rows: a request of the warm-up may pay after it) + the time-based
    // device cost = the summary's total cost.
    const auto request_cost = read_column<double>(file, "/requests", "cost");  // float32 in the file
    const auto drop = read_column<std::int32_t>(file, "/requests", "drop_reason");
    const auto measured = read_column<std::uint8_t>(file, "/requests", "measured");
    const auto finish = read_column<double>(file, "/requests", "finish");
    double total = 0.0;
    std::size_t paying = 0;
    for (std::size_t i = 0; i < request_cost.size(); ++i) {
      EXPECT_GE(request_cost[i], 0.0);
      total += request_cost[i];
      if (request_cost[i] > 0) ++paying;
      const bool in_window = measured[i] && finish[i] < spec.simulation.horizon;
      if (drop[i] == static_cast<int>(LossCause::faas_rejected) && in_window) {
        EXPECT_GT(request_cost[i], 0.0) << "its transfer to the function was paid";
      }
    }
    EXPECT_GT(paying, request_cost.size() / 2);
    // Request costs are float32 (7 significant digits), so the sums agree to ~1e-7.
    EXPECT_NEAR(total, s.faas_cost + s.network_cost, 1e-6 * total);
    EXPECT_NEAR(total + s.device_cost, s.total_cost(), 1e-6 * s.total_cost());
    fs::remove(path);
  }
}

/// One edge CPU with three gates, Poisson 3/s (some inputs are lost at the 4-place buffer), the
/// last gate offloaded to a cloud VM; a threshold policy, so each row carries its threshold.
EarlyExitScenario early_exit_scenario() {
  EarlyExitScenario s;
  s.name = "early_exit_trace";
  s.simulation.horizon = 600.0;
  s.simulation.warmup = 60.0;
  DeviceTypeSpec pi{.name = "pi", .layer = "edge", .cores = 1, .buffer = 4};
  pi.power = {.idle_w = 2.0, .busy_w = 6.0};
  DeviceTypeSpec vm{.name = "vm", .layer = "cloud", .cores = 1};
  vm.power = {.idle_w = 50.0, .busy_w = 100.0};
  s.device_types = {pi, vm};
  s.edge_device = {.name = "edge", .type = "pi"};
  s.cloud_device = DeviceSpec{.name = "cloud", .type = "vm"};
  const double accuracy[] = {0.5, 0.7, 0.9};
  const double time[] = {0.05, 0.2, 0.1};
  for (int e = 0; e < 3; ++e) {
    EarlyExitGateSpec gate{.name = "g" + std::to_string(e), .accuracy = accuracy[e]};
    gate.time.emplace(e < 2 ? "pi" : "vm", Distribution::exponential(time[e]));
    s.gates.push_back(gate);
  }
  s.split_gate = 1;
  s.split_bytes = 1e5;
  s.link = {.delay = 0.01, .bandwidth = 1e8};
  s.mode = ExitMode::threshold;
  s.policy = {.name = "fixed_threshold", .parameters = {{"threshold", 0.6}}};
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 3.0};
  return s;
}

TEST_F(TraceWriterTest, EarlyExitRunsTraceOneRowPerInputThatMatchesTheSummary) {
  const auto scenario = early_exit_scenario();
  const fs::path path = dir_ / "early_exit.h5";
  const TraceOptions options{.sample_interval = 10.0};
  TraceWriter writer(path, trace_layout(scenario), options, {.seed = 5});
  early_exit::ExitPolicyRegistry policies;
  early_exit::register_builtin_exit_policies(policies);
  Simulation simulation(5);
  EarlyExitModel model(simulation, scenario, policies.factory());
  model.attach_observer(writer, options.sample_interval);
  const RunSummary s = model.run();
  writer.finish(s, summary_json(s, {}));
  ASSERT_TRUE(s.early_exit.has_value());
  ASSERT_GT(s.lost, 0u);
  ASSERT_EQ(s.unfinished, 0u);

  const auto file = open_file(path);
  const auto id = read_column<std::uint64_t>(file, "/early_exit", "id");
  const auto gate = read_column<std::int32_t>(file, "/early_exit", "gate");
  const auto confidence = read_column<double>(file, "/early_exit", "confidence");
  const auto threshold = read_column<double>(file, "/early_exit", "threshold");
  const auto correct = read_column<std::uint8_t>(file, "/early_exit", "correct");
  const auto answered = read_column<std::uint8_t>(file, "/early_exit", "answered");
  const auto offloaded = read_column<std::uint8_t>(file, "/early_exit", "offloaded");
  const auto measured = read_column<std::uint8_t>(file, "/early_exit", "measured");
  const auto request_ids = read_column<std::uint64_t>(file, "/requests", "id");
  const auto request_gate = read_column<std::int32_t>(file, "/requests", "exit_gate");
  ASSERT_EQ(id, request_ids) << "one /early_exit row per /requests row, in the same order";
  EXPECT_EQ(gate, request_gate);

  std::uint64_t measured_answered = 0, measured_correct = 0, measured_offloaded = 0;
  std::vector<std::uint64_t> exits(3, 0);
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (gate[i] < 0) {
      EXPECT_TRUE(std::isnan(confidence[i]));
      EXPECT_EQ(answered[i], 0);
    } else {
      EXPECT_GE(confidence[i], 0.0);
      EXPECT_LE(confidence[i], 1.0);
      EXPECT_DOUBLE_EQ(threshold[i], 0.6);
      // The first gate reaching the threshold, or the last one.
      if (gate[i] < 2) {
        EXPECT_GE(confidence[i], 0.6);
      }
      EXPECT_EQ(offloaded[i], gate[i] == 2 ? 1 : 0);
    }
    if (!answered[i]) {
      EXPECT_EQ(correct[i], 0);
    }
    if (measured[i] && answered[i]) {
      ++measured_answered;
      measured_correct += correct[i];
      measured_offloaded += offloaded[i];
      ++exits[static_cast<std::size_t>(gate[i])];
    }
  }
  const auto& report = *s.early_exit;
  ASSERT_EQ(measured_answered, report.answered);
  EXPECT_DOUBLE_EQ(static_cast<double>(measured_correct) / static_cast<double>(measured_answered),
                   report.accuracy);
  EXPECT_DOUBLE_EQ(static_cast<double>(measured_offloaded) / static_cast<double>(measured_answered),
                   report.offload_fraction);
  for (std::size_t e = 0; e < 3; ++e)
    EXPECT_DOUBLE_EQ(static_cast<double>(exits[e]) / static_cast<double>(measured_answered),
                     report.exit_fraction[e]);
  // Both devices are sampled; there is no FaaS and no link table.
  EXPECT_EQ(read_column<double>(file, "/devices/edge", "time").size(), 60u);
  EXPECT_EQ(read_column<double>(file, "/devices/cloud", "time").size(), 60u);
  EXPECT_EQ(H5Lexists(file.get(), "faas", H5P_DEFAULT), 0);
  EXPECT_EQ(H5Lexists(file.get(), "links", H5P_DEFAULT), 0);
  EXPECT_EQ(read_string_attribute(file.get(), "scenario_name"), "early_exit_trace");
}

}  // namespace
}  // namespace continuum::io
