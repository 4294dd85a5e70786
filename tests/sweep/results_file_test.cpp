#include "sim/sweep/results_file.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/engine/stats/confidence.hpp"

namespace continuum::sweep {
namespace {

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";

SweepSpec spec_with(const std::string& parameters) {
  return parse_sweep("scenario: " + minimal + "\n" + parameters +
                         "policies: {fcfs: {device_types.server.discipline: fcfs}, ps: "
                         "{device_types.server.discipline: ps}}\n"
                         "replications: 3\n",
                     std::filesystem::path(CONTINUUM_SOURCE_DIR) / "tests/sweep/inline.yaml");
}

RunRecord run(std::uint32_t point, std::uint32_t policy, std::uint32_t replication) {
  RunRecord r;
  r.key = {point, policy, replication};
  r.seed = run_seed(1, point, replication);
  for (std::size_t m = 0; m < metric_count; ++m)
    r.metrics.values[m] =
        0.5 + 0.1 * point + 0.01 * replication + 0.001 * policy + 1e-3 * static_cast<double>(m);
  r.metrics[Metric::accuracy] = std::nan("");
  r.metrics.offered = 1000 + replication;
  r.metrics.completed = 990;
  r.metrics.lost = 10 + replication;
  r.metrics.events = 5000;
  r.wall_time = 0.01;
  return r;
}

/// One double column of a table, read with the HDF5 C API as a reader of the file would.
std::vector<double> column(const std::filesystem::path& file, const char* table, const char* name) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, table, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  const hid_t type = H5Tcreate(H5T_COMPOUND, sizeof(double));
  H5Tinsert(type, name, 0, H5T_NATIVE_DOUBLE);
  std::vector<double> values(n);
  const herr_t status = H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  EXPECT_GE(status, 0) << table << "/" << name;
  return values;
}

class ResultsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("continuum_results_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ResultsFileTest, ReadsBackEveryRunBitForBit) {
  const SweepSpec spec = spec_with(
      "parameters: {grid: {workload.clients.arrivals.rate: [2/s, 4/s], devices.server.count: [1, 2]}}\n");
  std::vector<RunRecord> runs;
  for (std::uint32_t p = 0; p < 4; ++p)
    for (std::uint32_t r = 0; r < 3; ++r) runs.push_back(run(p, 0, r));
  std::reverse(runs.begin(), runs.end());  // make_results sorts
  const auto path = dir_ / "out.h5";
  write_results(path, make_results(spec, Shard{1, 2}, runs, 1.5));
  const SweepResults back = read_results(path);
  EXPECT_EQ(back.name, "inline");
  EXPECT_EQ(back.sweep_hash, spec.hash());
  EXPECT_EQ(back.policies, (std::vector<std::string>{"fcfs", "ps"}));
  EXPECT_EQ(back.policy_overrides[1], "device_types.server.discipline=ps");
  EXPECT_EQ(back.design.parameters, spec.design.parameters);
  EXPECT_EQ(back.design.points, spec.design.points);
  EXPECT_EQ(back.shards, (std::vector<std::string>{"1/2"}));
  EXPECT_EQ(back.replications, 3u);
  ASSERT_EQ(back.runs.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_TRUE(back.runs[i].same_result(
        run(static_cast<std::uint32_t>(i / 3), 0, static_cast<std::uint32_t>(i % 3))))
        << i;
  }
}

TEST_F(ResultsFileTest, StoresNumericParametersInSIAndPointAggregatesWithStudentIntervals) {
  const SweepSpec spec = spec_with("parameters: {grid: {workload.clients.arrivals.rate: [120/min, 4/s]}}\n");
  std::vector<RunRecord> runs;
  for (std::uint32_t p = 0; p < 2; ++p)
    for (std::uint32_t q = 0; q < 2; ++q)
      for (std::uint32_t r = 0; r < 3; ++r) runs.push_back(run(p, q, r));
  const auto path = dir_ / "points.h5";
  write_results(path, make_results(spec, Shard{}, runs, 0.0));
  EXPECT_EQ(column(path, "runs", "workload.clients.arrivals.rate").front(), 2.0);  // 120/min in 1/s
  const auto rate = column(path, "points", "workload.clients.arrivals.rate");
  EXPECT_EQ(rate, (std::vector<double>{2.0, 2.0, 4.0, 4.0}));
  const auto mean = column(path, "points", "latency_mean");
  const auto half = column(path, "points", "latency_mean_half_width");
  const auto sd = column(path, "points", "latency_mean_stddev");
  ASSERT_EQ(mean.size(), 4u);
  // Point 1, policy ps: 0.5 + 0.1 + 0.001 + {0, 0.01, 0.02}: mean +0.01, s = 0.01, t_{0.975,2} = 4.303.
  EXPECT_NEAR(mean[3], 0.611, 1e-12);
  EXPECT_NEAR(sd[3], 0.01, 1e-12);
  EXPECT_NEAR(half[3], 4.302652729911275 * 0.01 / std::sqrt(3.0), 1e-9);
  EXPECT_TRUE(std::isnan(column(path, "points", "accuracy")[0]));
}

TEST_F(ResultsFileTest, MergesShardsAndRefusesConflictingOrForeignParts) {
  const SweepSpec spec = spec_with("");
  std::vector<RunRecord> first{run(0, 0, 0), run(0, 1, 0), run(0, 0, 1)}, second{run(0, 1, 1), run(0, 0, 0)};
  const SweepResults a = make_results(spec, Shard{0, 2}, first, 1.0);
  const SweepResults b = make_results(spec, Shard{1, 2}, second, 2.0);
  const SweepResults merged = merge_results({a, b});
  EXPECT_EQ(merged.runs.size(), 4u);  // run (0,0,0) is in both, with the same figures
  EXPECT_EQ(merged.shards, (std::vector<std::string>{"0/2", "1/2"}));
  EXPECT_TRUE(shards_complete(merged.shards));
  EXPECT_DOUBLE_EQ(merged.wall_seconds, 3.0);

  SweepResults conflicting = b;
  conflicting.runs.front().metrics[Metric::cost] += 1.0;  // run (0,0,0), also in `a`
  EXPECT_THROW(merge_results({a, conflicting}), std::invalid_argument);
  SweepResults foreign = b;
  foreign.sweep_hash = "ffffffffffffffff";
  EXPECT_THROW(merge_results({a, foreign}), std::invalid_argument);
  EXPECT_FALSE(shards_complete({"0/3", "2/3"}));
}

TEST_F(ResultsFileTest, RefusesAFileThatIsNotASweep) {
  const auto path = dir_ / "not.h5";
  { std::ofstream(path) << "hello"; }
  EXPECT_THROW(read_results(path), std::ios_base::failure);
  EXPECT_THROW(read_results(dir_ / "missing.h5"), std::ios_base::failure);
}

TEST(NumericValue, ConvertsQuantitiesToSIAndLeavesWordsAlone) {
  EXPECT_DOUBLE_EQ(*numeric_value("100ms"), 0.1);
  EXPECT_DOUBLE_EQ(*numeric_value("8/s"), 8.0);
  EXPECT_DOUBLE_EQ(*numeric_value("10Mbps"), 1e7);
  EXPECT_DOUBLE_EQ(*numeric_value("3"), 3.0);
  EXPECT_FALSE(numeric_value("ps"));
  EXPECT_FALSE(numeric_value("[edge, cloud]"));
}

}  // namespace
}  // namespace continuum::sweep
