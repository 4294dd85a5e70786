// kill -9 at random points of `continuum run --trace FILE.h5 --json FILE.json` (issue 10): whatever
// exists under a final name is complete (the HDF5 trace opens and has every table, the JSON parses),
// and what a killed run leaves behind is named as a temporary, never as a result.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "tests/io/program_runner.hpp"

namespace {

namespace fs = std::filesystem;

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";

/// Starts the traced run, kills it after `delay`; true if it was still running.
bool kill_run_after(const fs::path& trace, const fs::path& json, std::chrono::milliseconds delay) {
  // ~0.4 s of simulation and ~8 MB of trace: kills land in loading, running, writing and renaming.
  const auto outcome = continuum::testing::kill_continuum_after(
      {"run", minimal, "-q", "--horizon", "40000s", "--trace", trace.string(), "--json", json.string()},
      delay);
  if (!outcome.killed) {
    EXPECT_EQ(outcome.exit_code, 0);
  }
  return outcome.killed;
}

/// The trace opens and holds every table of docs/output-format.md for this scenario, non-empty.
void expect_complete_trace(const fs::path& path) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0) << path << " does not open as HDF5";
  for (const char* table : {"/requests", "/devices/server", "/summary"}) {
    const hid_t dataset = H5Dopen2(file, table, H5P_DEFAULT);
    EXPECT_GE(dataset, 0) << table << " missing in " << path;
    if (dataset < 0) continue;
    const hid_t space = H5Dget_space(dataset);
    EXPECT_GT(H5Sget_simple_extent_npoints(space), 0) << table;
    H5Sclose(space);
    H5Dclose(dataset);
  }
  H5Fclose(file);
}

TEST(RunCrashSafety, KillsAtRandomPointsLeaveOnlyCompleteFilesUnderTheFinalNames) {
  const fs::path dir = fs::temp_directory_path() / ("continuum_run_crash_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // a failed open is reported by the test, not printed
  // Kill points spread over the length of an uninterrupted run on this machine (so they land
  // while it runs however fast the build is), drawn with a fixed seed.
  const auto started = std::chrono::steady_clock::now();
  ASSERT_FALSE(kill_run_after(dir / "reference.h5", dir / "reference.json", std::chrono::minutes(5)));
  const auto run_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::mt19937 random(20261123);
  std::uniform_int_distribution<long> delay_ms(0, std::max<long>(50, run_ms.count() * 11 / 10));
  int killed = 0, finished = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const fs::path trace = dir / "trace.h5", json = dir / "summary.json";
    const bool was_killed = kill_run_after(trace, json, std::chrono::milliseconds(delay_ms(random)));
    (was_killed ? killed : finished) += 1;
    if (fs::exists(trace)) expect_complete_trace(trace);
    if (fs::exists(json)) {
      std::ifstream in(json);
      const auto summary = nlohmann::json::parse(in, nullptr, false);
      EXPECT_FALSE(summary.is_discarded()) << "trial " << trial << ": the JSON summary does not parse";
      EXPECT_TRUE(fs::exists(trace)) << "the summary is written after the trace is complete";
    }
    if (!was_killed) {
      EXPECT_TRUE(fs::exists(trace) && fs::exists(json)) << "trial " << trial;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path() != trace && entry.path() != json) {
        EXPECT_NE(name.find(".tmp."), std::string::npos) << "trial " << trial << " left " << name;
      }
    }
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  EXPECT_GE(killed, 5) << "too few kills landed while the run was going";
  fs::remove_all(dir);
}

}  // namespace
