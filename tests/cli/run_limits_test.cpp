// Numerical guards and run limits of `continuum run` and `continuum analytic` (issue 10):
// unstable set-ups are flagged (never NaN, never a hang), --max-events / --max-wall cut a run
// cleanly with exit code 3, and --fingerprint is repeatable.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/io/program_runner.hpp"

namespace {

using continuum::testing::run_continuum;
using ::testing::HasSubstr;

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";
// minimal.yaml is an M/M/1 queue with a 100 ms mean demand: 8/s is ρ = 0.8, 12/s is ρ = 1.2.
const std::string short_run = " -q --horizon 3000s --warmup 300s";

nlohmann::json run_json(const std::string& arguments, int expected_exit = 0) {
  const auto outcome = run_continuum("run " + minimal + short_run + " " + arguments);
  EXPECT_EQ(outcome.exit_code, expected_exit) << arguments;
  return nlohmann::json::parse(outcome.output);
}

TEST(RunGuards, AStableQueueIsReportedStable) {
  const auto json = run_json("");
  EXPECT_TRUE(json["stability"]["stable"].get<bool>());
  EXPECT_TRUE(json["stability"]["reasons"].empty());
  const double offered = json["devices"]["server"]["offered_utilization"].get<double>();
  EXPECT_NEAR(offered, 0.8, 0.03);  // 8/s × 0.1 s, from about 21 600 arrivals
  EXPECT_TRUE(json["run"]["truncated"].is_null());
}

TEST(RunGuards, AnOverloadedUnboundedQueueIsFlaggedWithFiniteFigures) {
  const auto outcome =
      run_continuum("run " + minimal + short_run + " --set workload.clients.arrivals.rate=12/s", true);
  EXPECT_EQ(outcome.exit_code, 0);  // the run itself completed: unstable is a finding, not an error
  EXPECT_THAT(outcome.output, HasSubstr("warning: unstable: device server: offered utilisation"));
  const auto json = run_json("--set workload.clients.arrivals.rate=12/s");
  EXPECT_FALSE(json["stability"]["stable"].get<bool>());
  ASSERT_EQ(json["stability"]["reasons"].size(), 1u);
  EXPECT_THAT(json["stability"]["reasons"][0].get<std::string>(), HasSubstr("device server"));
  EXPECT_GT(json["devices"]["server"]["offered_utilization"].get<double>(), 1.1);
  EXPECT_TRUE(json["latency"]["mean"].is_number());  // grows with the horizon, but a number
}

TEST(RunGuards, AnOverloadedFiniteBufferLosesRequestsButIsStable) {
  const auto json = run_json("--set workload.clients.arrivals.rate=12/s --set device_types.server.buffer=20");
  EXPECT_TRUE(json["stability"]["stable"].get<bool>());
  EXPECT_GT(json["loss"]["by_cause"]["buffer_full"].get<long>(), 0);
}

TEST(RunLimits, MaxEventsCutsTheRunCleanlyWithExitCode3) {
  const auto json = run_json("--max-events 2000", 3);
  EXPECT_EQ(json["run"]["truncated"], "max_events");
  EXPECT_EQ(json["run"]["stop_reason"], "event_limit");
  EXPECT_EQ(json["run"]["events"].get<long>(), 2000);
  EXPECT_LT(json["run"]["end_time"].get<double>(), 3000.0);
  const auto warning = run_continuum("run " + minimal + short_run + " --max-events 2000", true);
  EXPECT_THAT(warning.output, HasSubstr("warning: run truncated (max_events)"));
  // Bad values are bad input, through the same validation as simulation.max_events.
  EXPECT_EQ(run_continuum("run " + minimal + " --max-events -5", true).exit_code, 2);
}

TEST(RunLimits, MaxWallStopsARunThatWouldTakeHours) {
  // 10^9 s of M/M/1 is ~2·10^10 events: without the limit this would not finish today.
  const auto outcome = run_continuum("run " + minimal + " -q --horizon 1e9s --max-wall 0.3s");
  ASSERT_EQ(outcome.exit_code, 3);
  const auto json = nlohmann::json::parse(outcome.output);
  EXPECT_EQ(json["run"]["truncated"], "max_wall");
  EXPECT_LT(json["run"]["wall_seconds"].get<double>(), 20.0);
  EXPECT_EQ(json["requests"]["offered"].get<long>(), json["requests"]["completed"].get<long>() +
                                                         json["requests"]["lost"].get<long>() +
                                                         json["requests"]["unfinished"].get<long>());
  const auto bad = run_continuum("run " + minimal + " --max-wall 5MB", true);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("--max-wall"));
}

TEST(RunLimits, TheFingerprintIsRepeatableAndSeedDependent) {
  const auto a = run_json("--fingerprint");
  const auto b = run_json("--fingerprint");
  const auto c = run_json("--fingerprint --seed 2");
  ASSERT_TRUE(a["run"]["fingerprint"].is_string());
  EXPECT_EQ(a["run"]["fingerprint"].get<std::string>().size(), 16u);
  EXPECT_EQ(a["run"]["fingerprint"], b["run"]["fingerprint"]);
  EXPECT_NE(a["run"]["fingerprint"], c["run"]["fingerprint"]);
  EXPECT_TRUE(run_json("")["run"]["fingerprint"].is_null());
}

TEST(AnalyticGuards, AQueueAtUtilisationOneOrMoreIsUnstableWithNullFigures) {
  const auto stable = run_continuum("analytic queue --rate 8 --service 0.1");
  ASSERT_EQ(stable.exit_code, 0);
  const auto s = nlohmann::json::parse(stable.output);
  EXPECT_TRUE(s["stability"]["stable"].get<bool>());
  EXPECT_NEAR(s["mean_response"].get<double>(), 0.5, 1e-12);  // 1 / (μ − λ)

  for (const char* load :
       {"--rate 10 --service 0.1", "--rate 13 --service 0.1 --servers 1 --scv 0.5",
        "--rate 50 --service 0.1 --servers 4", "--rate 50 --service 0.1 --servers 4 --discipline ps"}) {
    const auto outcome = run_continuum(std::string("analytic queue ") + load);
    ASSERT_EQ(outcome.exit_code, 0) << load;
    EXPECT_EQ(outcome.output.find("nan"), std::string::npos) << outcome.output;
    EXPECT_EQ(outcome.output.find("inf"), std::string::npos) << outcome.output;
    const auto json = nlohmann::json::parse(outcome.output);
    EXPECT_FALSE(json["stability"]["stable"].get<bool>()) << load;
    EXPECT_THAT(json["stability"]["reasons"][0].get<std::string>(), HasSubstr(">= 1"));
    EXPECT_TRUE(json["mean_response"].is_null());
    EXPECT_GE(json["utilization"].get<double>(), 1.0);
  }
  const auto warning = run_continuum("analytic queue --rate 10 --service 0.1", true);
  EXPECT_THAT(warning.output, HasSubstr("warning: unstable"));
  EXPECT_EQ(run_continuum("analytic queue --rate 1 --service 0.1 --servers 2 --scv 4", true).exit_code, 2);
}

TEST(AnalyticGuards, FiniteModelsAreStableAtAnyLoad) {
  for (const char* command :
       {"analytic mg1k --rho 5 --capacity 10",
        "analytic faas --rate 1000 --warm 2 --cold 25 --keep-alive 600 --max-instances 10"}) {
    const auto outcome = run_continuum(command);
    ASSERT_EQ(outcome.exit_code, 0) << command;
    EXPECT_TRUE(nlohmann::json::parse(outcome.output)["stability"]["stable"].get<bool>()) << command;
  }
}

}  // namespace

namespace {

TEST(Fingerprints, TheTableIsIndependentOfThreadsAndRepeats) {
  const std::string table = std::string(CONTINUUM_SOURCE_DIR) + "/tests/regression/fingerprints.yaml";
  const auto one = run_continuum("fingerprints " + table + " --jobs 1");
  const auto two = run_continuum("fingerprints " + table + " --jobs 2");
  const auto again = run_continuum("fingerprints " + table + " --jobs 2");
  EXPECT_EQ(one.exit_code, 0) << one.output;
  EXPECT_EQ(one.output, two.output);
  EXPECT_EQ(two.output, again.output);
  EXPECT_THAT(one.output, HasSubstr("minimal"));
}

TEST(Fingerprints, AChangedEventSequenceFails) {
  // The same scenario with a stored value that cannot match, and one with a different seed.
  const auto dir = std::filesystem::temp_directory_path() / "continuum_fingerprints_test";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(minimal, dir / "minimal.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir / "table.yaml")
      << "settings: {horizon: 500s, seed: 1}\n"
         "scenarios:\n  minimal: {file: minimal.yaml, fingerprint: \"0000000000000000\"}\n";
  const auto changed = run_continuum("fingerprints " + (dir / "table.yaml").string());
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_THAT(changed.output, HasSubstr("CHANGED"));
  EXPECT_EQ(run_continuum("fingerprints " + (dir / "table.yaml").string() + " --update").exit_code, 0);
  EXPECT_EQ(run_continuum("fingerprints " + (dir / "table.yaml").string()).exit_code, 0);
  // A scenario beside the listed ones but missing from the table is an error, not a silent pass.
  std::filesystem::copy_file(minimal, dir / "another.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  const auto unlisted = run_continuum("fingerprints " + (dir / "table.yaml").string(), true);
  EXPECT_EQ(unlisted.exit_code, 1);
  EXPECT_THAT(unlisted.output, HasSubstr("another.yaml has no fingerprint"));
  std::filesystem::remove_all(dir);
}

}  // namespace
