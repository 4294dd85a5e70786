// `continuum run` as a user meets it: help, a JSON summary, and bad input that gets one clear line
// and exit code 2, never a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/io/program_runner.hpp"

namespace {

using continuum::testing::run_continuum;
using ::testing::HasSubstr;

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";

/// Exactly one line of text.
bool one_line(const std::string& text) {
  return !text.empty() && text.find('\n') == text.size() - 1;
}

TEST(RunCli, HelpListsEveryOption) {
  const auto outcome = run_continuum("run --help");
  ASSERT_EQ(outcome.exit_code, 0);
  for (const char* option :
       {"--seed", "--horizon", "--warmup", "--set", "--json", "--replications", "--trace"})
    EXPECT_THAT(outcome.output, HasSubstr(option));
  EXPECT_EQ(run_continuum("--help").exit_code, 0);
}

TEST(RunCli, PrintsTheJsonSummaryWithItsOverrides) {
  const auto outcome = run_continuum("run " + minimal + " -q --horizon 2000s --warmup 100s --seed 7");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const auto json = nlohmann::json::parse(outcome.output);
  EXPECT_EQ(json["run"]["seed"].get<int>(), 7);
  EXPECT_EQ(json["run"]["horizon"].get<double>(), 2000.0);
  EXPECT_EQ(json["run"]["overrides"].size(), 3u);
  EXPECT_EQ(json["requests"]["offered"].get<long>(),
            json["requests"]["completed"].get<long>() + json["requests"]["lost"].get<long>());
}

TEST(RunCli, JsonDashMeansStandardOutputNotAFileNamedDash) {
  const auto outcome = run_continuum("run " + minimal + " -q --horizon 500s --warmup 0s --json -");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_EQ(nlohmann::json::parse(outcome.output)["run"]["horizon"].get<double>(), 500.0);
  EXPECT_FALSE(std::filesystem::exists("-"));
}

TEST(RunCli, TheSameSeedGivesABitIdenticalSummary) {
  auto strip_wall = [](std::string text) {
    auto json = nlohmann::json::parse(text);
    json["run"].erase("wall_seconds");
    return json.dump();
  };
  const auto a = run_continuum("run " + minimal + " -q --horizon 2000s --warmup 100s");
  const auto b = run_continuum("run " + minimal + " -q --horizon 2000s --warmup 100s");
  const auto c = run_continuum("run " + minimal + " -q --horizon 2000s --warmup 100s --seed 2");
  EXPECT_EQ(strip_wall(a.output), strip_wall(b.output));
  EXPECT_NE(strip_wall(a.output), strip_wall(c.output));
}

TEST(RunCli, BadInputGetsOneClearLineAndExitCode2) {
  const auto unknown_option = run_continuum("run " + minimal + " --frobnicate", true);
  EXPECT_EQ(unknown_option.exit_code, 2);
  EXPECT_THAT(unknown_option.output, HasSubstr("frobnicate"));
  EXPECT_TRUE(one_line(unknown_option.output)) << unknown_option.output;

  const auto missing = run_continuum("run /nonexistent/scenario.yaml", true);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("/nonexistent/scenario.yaml"));
  EXPECT_TRUE(one_line(missing.output)) << missing.output;

  const auto malformed_path = std::filesystem::temp_directory_path() / "continuum_malformed.yaml";
  std::ofstream(malformed_path) << "name: broken\ndevices: {a: [1, 2}\n";
  const auto malformed = run_continuum("run " + malformed_path.string(), true);
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_THAT(malformed.output, HasSubstr(malformed_path.string() + ":2:"));  // file and line
  EXPECT_TRUE(one_line(malformed.output)) << malformed.output;
  std::filesystem::remove(malformed_path);

  const auto bad_override = run_continuum("run " + minimal + " --set simulation.horizon=10Mbps", true);
  EXPECT_EQ(bad_override.exit_code, 2);
  EXPECT_THAT(bad_override.output, HasSubstr("simulation.horizon"));

  EXPECT_EQ(run_continuum("frobnicate", true).exit_code, 2);
  EXPECT_EQ(run_continuum("run", true).exit_code, 2);
}

}  // namespace
