// Runs the `continuum` program: sweep, kill and resume, shards and merge, regress, and MPI.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <hdf5.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sim/sweep/results_file.hpp"
#include "tests/io/program_runner.hpp"

#ifdef CONTINUUM_MPI
#include <mpi.h>
#endif

namespace continuum::sweep {
namespace {

using ::testing::HasSubstr;

const std::string binary = CONTINUUM_BINARY;
const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";

struct Outcome {
  int status = -1;
  std::string output;
};

/// Runs a shell command line, returning its exit status and standard output + error.
Outcome run(const std::string& command) {
  Outcome outcome;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return outcome;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) outcome.output.append(buffer, n);
  const int status = ::pclose(pipe);
  outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

/// Complete lines (a line being written has no newline yet).
std::size_t lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::size_t lines = 0;
  for (char c; in.get(c);) lines += c == '\n';
  return lines;
}

/// Asserts that two result files hold the same runs with the same figures (wall time aside).
void expect_same_runs(const std::filesystem::path& a, const std::filesystem::path& b) {
  const SweepResults x = read_results(a), y = read_results(b);
  ASSERT_EQ(x.runs.size(), y.runs.size()) << a << " vs " << b;
  for (std::size_t i = 0; i < x.runs.size(); ++i)
    EXPECT_TRUE(x.runs[i].same_result(y.runs[i]))
        << "run " << i << " (point " << x.runs[i].key.point << ", policy " << x.runs[i].key.policy
        << ", replication " << x.runs[i].key.replication << ")";
}

class SweepCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("continuum_sweep_cli_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    // 3 rates × 2 policies × 3 replications = 18 runs; horizons short for most tests, longer for the
    // one that must be killed in the middle.
    write_sweep("short.yaml", "3000s");
    write_sweep("long.yaml", "12000s");
    const Outcome reference = run(binary + " sweep " + (dir_ / "short.yaml").string() + " --out " +
                                  (dir_ / "reference.h5").string() + " --jobs 2 --quiet");
    ASSERT_EQ(reference.status, 0) << reference.output;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static void write_sweep(const std::string& name, const std::string& horizon) {
    std::ofstream(dir_ / name) << "name: cli_" << name.substr(0, name.find('.')) << "\nscenario: " << minimal
                               << "\nset: {simulation.horizon: " << horizon
                               << ", simulation.warmup: 100s}\n"
                                  "parameters: {grid: {workload.clients.arrivals.rate: [4/s, 6/s, 8/s]}}\n"
                                  "policies: {fcfs: {device_types.server.discipline: fcfs}, ps: "
                                  "{device_types.server.discipline: ps}}\n"
                                  "replications: 3\n";
  }

  static std::string sweep(const std::string& file, const std::string& out, const std::string& options = "") {
    return binary + " sweep " + (dir_ / file).string() + " --out " + (dir_ / out).string() + " --quiet " +
           options;
  }

  static inline std::filesystem::path dir_;
};

TEST_F(SweepCli, WritesEveryRunAndThePointAggregates) {
  const SweepResults results = read_results(dir_ / "reference.h5");
  EXPECT_EQ(results.runs.size(), 18u);
  EXPECT_EQ(results.policies, (std::vector<std::string>{"fcfs", "ps"}));
  EXPECT_EQ(results.shards, (std::vector<std::string>{"0/1"}));
  for (const auto& r : results.runs) {
    EXPECT_GT(r.metrics[Metric::latency_mean], 0.0);
    EXPECT_EQ(r.seed, run_seed(1, r.key.point, r.key.replication));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "reference.h5.journal"));
}

TEST_F(SweepCli, GivesTheSameRunsOnOneThread) {
  const Outcome serial = run(sweep("short.yaml", "serial.h5", "--jobs 1"));
  ASSERT_EQ(serial.status, 0) << serial.output;
  expect_same_runs(dir_ / "reference.h5", dir_ / "serial.h5");
}

TEST_F(SweepCli, RecomputesNothingWhenRunAgainAfterFinishing) {
  std::filesystem::copy_file(dir_ / "reference.h5", dir_ / "again.h5");
  const Outcome again = run(binary + " sweep " + (dir_ / "short.yaml").string() + " --out " +
                            (dir_ / "again.h5").string() + " --jobs 2");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("18 runs (18 restored, 0 made now)"));
  EXPECT_THAT(again.output, HasSubstr("latency_mean"));  // the table
  expect_same_runs(dir_ / "reference.h5", dir_ / "again.h5");
}

/// Starts `continuum sweep SWEEP --out OUT --jobs JOBS`, kills it with SIGKILL after `delay` and
/// returns whether it was still running (false: it had finished, with exit code 0).
bool kill_sweep_after(const std::filesystem::path& sweep_file, const std::filesystem::path& out,
                      const char* jobs, std::chrono::milliseconds delay) {
  const auto outcome = continuum::testing::kill_continuum_after(
      {"sweep", sweep_file.string(), "--out", out.string(), "--jobs", jobs, "--quiet"}, delay);
  if (!outcome.killed) {
    EXPECT_EQ(outcome.exit_code, 0);
  }
  return outcome.killed;
}

TEST_F(SweepCli, ResumesAfterAKillWithoutLosingOrRepeatingRuns) {
  // 20 kills at random points (fixed seed: the same delays every time), in 5 chains of 4: each chain
  // resumes its own journal after every kill, then runs to the end; every chain must give exactly
  // the runs of an uninterrupted sweep. The delays span start-up, running and writing the results.
  // The delays are scaled to an uninterrupted sweep's wall time on this machine (so they land
  // mid-sweep however fast the build is): up to half of it, while each chain resumes its progress.
  const auto started = std::chrono::steady_clock::now();
  const Outcome uninterrupted = run(sweep("long.yaml", "uninterrupted.h5", "--jobs 2"));
  ASSERT_EQ(uninterrupted.status, 0) << uninterrupted.output;
  const auto sweep_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::mt19937 random(20261123);
  std::uniform_int_distribution<long> delay_ms(5, std::max<long>(50, sweep_ms.count() / 2));
  int killed_mid_sweep = 0;
  for (int chain = 0; chain < 5; ++chain) {
    const auto out = dir_ / ("killed" + std::to_string(chain) + ".h5");
    const auto journal = std::filesystem::path(out.string() + ".journal");
    for (int trial = 0; trial < 4; ++trial) {
      const std::size_t before = std::filesystem::exists(journal) ? lines_of(journal) : 0;
      const bool killed = kill_sweep_after(dir_ / "long.yaml", out, trial % 2 ? "2" : "1",
                                           std::chrono::milliseconds(delay_ms(random)));
      // Under its final name there is either nothing or the complete results file.
      if (std::filesystem::exists(out)) {
        const SweepResults results = read_results(out);
        EXPECT_EQ(results.runs.size(), 18u) << "chain " << chain << " trial " << trial;
      }
      // The journal only grows, one complete line per finished run, never past the sweep.
      if (std::filesystem::exists(journal)) {
        EXPECT_GE(lines_of(journal), before);
        EXPECT_LE(lines_of(journal), 19u);
        if (killed && lines_of(journal) > 1 && lines_of(journal) < 19) ++killed_mid_sweep;
      }
    }
    const Outcome resumed = run(sweep("long.yaml", out.filename().string(), "--jobs 2"));
    ASSERT_EQ(resumed.status, 0) << resumed.output;
    EXPECT_THAT(resumed.output, HasSubstr("18 runs ("));
    EXPECT_FALSE(std::filesystem::exists(journal));
  }
  EXPECT_GE(killed_mid_sweep, 5) << "too few kills landed in the middle of a sweep to test resuming";
  for (int chain = 0; chain < 5; ++chain) {
    const auto out = dir_ / ("killed" + std::to_string(chain) + ".h5");
    expect_same_runs(dir_ / "uninterrupted.h5", out);
    // No (point, policy, replication) twice: the same set of rows as the uninterrupted sweep.
    const SweepResults results = read_results(out);
    std::set<RunKey> keys;
    for (const auto& r : results.runs) keys.insert(r.key);
    EXPECT_EQ(keys.size(), results.runs.size());
  }
  // Whatever the kills left is a results file (valid), or named as a temporary or a journal.
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("killed", 0) != 0) continue;
    if (entry.path().extension() == ".h5") {
      EXPECT_NO_THROW(read_results(entry.path())) << name;
    } else {
      EXPECT_TRUE(name.find(".tmp.") != std::string::npos || name.find(".journal") != std::string::npos)
          << name;
    }
  }
}

TEST_F(SweepCli, ShardsMergedGiveTheWholeSweep) {
  for (int i = 0; i < 3; ++i) {
    const Outcome shard = run(sweep("short.yaml", "shard" + std::to_string(i) + ".h5",
                                    "--jobs 1 --shard " + std::to_string(i) + "/3"));
    ASSERT_EQ(shard.status, 0) << shard.output;
    EXPECT_EQ(read_results(dir_ / ("shard" + std::to_string(i) + ".h5")).runs.size(), 6u);
  }
  const Outcome partial = run(binary + " merge " + (dir_ / "shard0.h5").string() + " " +
                              (dir_ / "shard2.h5").string() + " --out " + (dir_ / "partial.h5").string());
  EXPECT_EQ(partial.status, 0) << partial.output;
  EXPECT_THAT(partial.output, HasSubstr("do not cover the whole sweep"));
  const Outcome merged = run(binary + " merge " + (dir_ / "shard2.h5").string() + " " +
                             (dir_ / "shard0.h5").string() + " " + (dir_ / "shard1.h5").string() + " " +
                             (dir_ / "partial.h5").string() + " --out " + (dir_ / "merged.h5").string());
  ASSERT_EQ(merged.status, 0) << merged.output;
  EXPECT_THAT(merged.output, HasSubstr("18 runs"));
  expect_same_runs(dir_ / "reference.h5", dir_ / "merged.h5");
  EXPECT_EQ(read_results(dir_ / "merged.h5").shards, (std::vector<std::string>{"0/3", "1/3", "2/3"}));
}

TEST_F(SweepCli, WritesATraceOfEachRunWhenAsked) {
  const auto traces = dir_ / "traces";
  const Outcome traced =
      run(sweep("short.yaml", "traced.h5", "--jobs 2 --shard 4/9 --traces " + traces.string()));
  ASSERT_EQ(traced.status, 0) << traced.output;
  const SweepResults results = read_results(dir_ / "traced.h5");
  ASSERT_EQ(results.runs.size(), 2u);
  const SweepResults reference = read_results(dir_ / "reference.h5");
  for (const auto& run : results.runs) {
    const auto path =
        traces / results.policies[run.key.policy] /
        ("point" + std::to_string(run.key.point) + "_rep" + std::to_string(run.key.replication) + ".h5");
    EXPECT_GT(H5Fis_hdf5(path.c_str()), 0) << path;
    // Tracing does not change a run's figures; only the event count grows by the sampling events.
    const auto same = std::find_if(reference.runs.begin(), reference.runs.end(),
                                   [&](const RunRecord& r) { return r.key == run.key; });
    ASSERT_NE(same, reference.runs.end());
    RunMetrics traced_metrics = run.metrics;
    traced_metrics.events = same->metrics.events;
    EXPECT_TRUE(same->metrics.same_as(traced_metrics));
    EXPECT_GT(run.metrics.events, same->metrics.events);
  }
}

TEST_F(SweepCli, TracesEarlyExitRunsToo) {
  std::ofstream(dir_ / "early_exit.yaml")
      << "name: cli_early_exit\nscenario: " << CONTINUUM_SOURCE_DIR
      << "/scenarios/early_exit_resnet.yaml\nset: {simulation.horizon: 300s, simulation.warmup: 0s}\n"
         "parameters: {grid: {workload.images.arrivals.rate: [1/s]}}\n"
         "policies: {reactive: {early_exit.policy: {name: reactive}}}\nreplications: 1\n";
  const auto traces = dir_ / "early_exit_traces";
  const Outcome traced = run(sweep("early_exit.yaml", "early_exit.h5", "--traces " + traces.string()));
  ASSERT_EQ(traced.status, 0) << traced.output;
  const auto path = traces / "reactive" / "point0_rep0.h5";
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0) << path;
  // One /early_exit row per input, as many as /requests rows (every input is answered or lost).
  hsize_t rows[2] = {0, 0};
  const char* tables[2] = {"/requests", "/early_exit"};
  for (int t = 0; t < 2; ++t) {
    const hid_t dataset = H5Dopen2(file, tables[t], H5P_DEFAULT);
    ASSERT_GE(dataset, 0) << tables[t];
    const hid_t space = H5Dget_space(dataset);
    H5Sget_simple_extent_dims(space, &rows[t], nullptr);
    H5Sclose(space);
    H5Dclose(dataset);
  }
  H5Fclose(file);
  EXPECT_GT(rows[0], 200u);  // ~300 images at 1/s
  EXPECT_EQ(rows[0], rows[1]);
}

TEST_F(SweepCli, FlagsRunsCutShortOrOverloaded) {
  // ρ = 1.2 at the second point: the queue grows, and a 1 s drain cannot empty it.
  std::ofstream(dir_ / "overload.yaml")
      << "name: cli_overload\nscenario: " << minimal
      << "\nset: {simulation.horizon: 2000s, simulation.warmup: 100s, simulation.drain_limit: 1s}\n"
         "parameters: {grid: {workload.clients.arrivals.rate: [4/s, 12/s]}}\nreplications: 1\n";
  const Outcome overloaded = run(sweep("overload.yaml", "overload.h5"));
  ASSERT_EQ(overloaded.status, 0) << overloaded.output;
  EXPECT_THAT(overloaded.output, HasSubstr("1 of 2 runs were cut short"));
  EXPECT_THAT(overloaded.output, HasSubstr("1 of 2 runs offered a device or link more than its capacity"));
  const SweepResults results = read_results(dir_ / "overload.h5");
  ASSERT_EQ(results.runs.size(), 2u);
  for (const auto& r : results.runs) {
    const bool overload = r.key.point == 1;
    EXPECT_EQ(r.metrics.truncated, overload ? "drain_limit" : "") << r.key.point;
    EXPECT_EQ(r.metrics.stable, !overload) << r.key.point;
    if (overload) {
      EXPECT_GT(r.metrics.unfinished, 100u);  // ~ (12 − 10)/s × 1900 s left waiting
    } else {
      EXPECT_EQ(r.metrics.unfinished, 0u);
    }
  }
}

TEST_F(SweepCli, AWallLimitPerRunStopsLongRunsAndMarksThem) {
  // 2·10^6 s at 4/s is 8·10^6 requests, seconds of work: a 20 ms limit stops every run.
  std::ofstream(dir_ / "long_runs.yaml")
      << "name: cli_long_runs\nscenario: " << minimal
      << "\nset: {simulation.horizon: 2000000s, simulation.warmup: 0s}\n"
         "parameters: {grid: {workload.clients.arrivals.rate: [4/s, 6/s]}}\nreplications: 1\n";
  const Outcome limited = run(sweep("long_runs.yaml", "long_runs.h5", "--max-wall 20ms"));
  ASSERT_EQ(limited.status, 0) << limited.output;
  EXPECT_THAT(limited.output, HasSubstr("2 of 2 runs were cut short"));
  const SweepResults results = read_results(dir_ / "long_runs.h5");
  ASSERT_EQ(results.runs.size(), 2u);
  for (const auto& r : results.runs) {
    EXPECT_EQ(r.metrics.truncated, "max_wall");
    EXPECT_LT(r.metrics.offered, 7'000'000u);
  }
  EXPECT_EQ(run(sweep("long_runs.yaml", "refused.h5", "--max-wall 0s")).status, 2);
}

TEST_F(SweepCli, RefusesToMergeFilesOfDifferentSweeps) {
  const Outcome other = run(sweep("long.yaml", "other.h5", "--jobs 2 --shard 0/9"));
  ASSERT_EQ(other.status, 0) << other.output;
  const Outcome merged = run(binary + " merge " + (dir_ / "reference.h5").string() + " " +
                             (dir_ / "other.h5").string() + " --out " + (dir_ / "bad.h5").string());
  EXPECT_EQ(merged.status, 2);
  EXPECT_THAT(merged.output, HasSubstr("another sweep"));
}

TEST_F(SweepCli, ReportsABadSweepFileWithItsLine) {
  std::ofstream(dir_ / "bad.yaml") << "scenario: " << minimal
                                   << "\nparameters: {grid: {devices.server.count: [1, x]}}\n";
  const Outcome bad =
      run(binary + " sweep " + (dir_ / "bad.yaml").string() + " --out " + (dir_ / "bad.h5").string());
  EXPECT_EQ(bad.status, 2);
  EXPECT_THAT(bad.output, HasSubstr("point 1 (devices.server.count=x)"));
  EXPECT_EQ(run(binary + " sweep " + (dir_ / "short.yaml").string()).status, 2);  // no --out
}

TEST_F(SweepCli, RefusesToWriteItsResultsOverADevice) {
  // A FIFO stands for /dev/null and the like: renaming the finished file over it would replace it.
  const auto pipe = dir_ / "results.fifo";
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  const Outcome refused = run(sweep("short.yaml", "results.fifo"));
  EXPECT_EQ(refused.status, 2);
  EXPECT_THAT(refused.output, HasSubstr("not a regular file"));
  EXPECT_TRUE(std::filesystem::is_fifo(pipe));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "results.fifo.journal"));
}

TEST_F(SweepCli, RegressPassesOnItsOwnBaselineAndFlagsASlowerServer) {
  const auto baseline = dir_ / "baseline.yaml";
  std::ofstream(baseline) << "settings: {replications: 4}\nscenarios:\n  minimal:\n    file: " << minimal
                          << "\n    set: {simulation.horizon: 2000s, simulation.warmup: 100s}\n"
                             "    policies:\n      fcfs: {set: {device_types.server.discipline: fcfs}}\n";
  const std::string regress = binary + " regress " + baseline.string() + " --jobs 2";
  const Outcome missing = run(regress);
  EXPECT_EQ(missing.status, 1) << missing.output;  // no baseline yet
  const Outcome update = run(regress + " --update");
  ASSERT_EQ(update.status, 0) << update.output;
  const Outcome same = run(regress);
  EXPECT_EQ(same.status, 0) << same.output;
  EXPECT_THAT(same.output, HasSubstr("no regression"));
  const Outcome slower =
      run(regress +
          " --set application.components.service.deployments.single.partitions.all.demand.server=120ms");
  EXPECT_EQ(slower.status, 1) << slower.output;
  EXPECT_THAT(slower.output, HasSubstr("REGRESSION"));
  EXPECT_EQ(run(regress + " --update --set devices.server.count=2").status, 2);
}

#ifdef CONTINUUM_MPI
TEST_F(SweepCli, MpiRanksGiveTheSameRunsAsThreads) {
  std::string launcher = CONTINUUM_MPIEXEC;
#ifdef OPEN_MPI
  launcher += " --oversubscribe";
  if (::geteuid() == 0) launcher += " --allow-run-as-root";
#endif
  for (const char* ranks : {"2", "3"}) {
    const std::string out = std::string("mpi") + ranks + ".h5";
    const Outcome mpi = run(launcher + " -np " + ranks + " " + sweep("short.yaml", out));
    ASSERT_EQ(mpi.status, 0) << mpi.output;
    EXPECT_THAT(mpi.output, HasSubstr("MPI: " + std::string(ranks) + " ranks"));
    expect_same_runs(dir_ / "reference.h5", dir_ / out);
  }
}
#endif

}  // namespace
}  // namespace continuum::sweep
