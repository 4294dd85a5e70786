// Runs the built `continuum` program: `continuum optimize --space4ai FILE.json ...`.
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/io/program_runner.hpp"

namespace {

using continuum::testing::Outcome;
using continuum::testing::run_continuum;
using ::testing::HasSubstr;

std::string scenario(const std::string& name) {
  return "'" + std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/space4ai/" + name + ".json'";
}

std::filesystem::path temporary(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("continuum_optimize_" + std::to_string(::getpid()) + "_" + name);
}

TEST(OptimizeCli, PlacesTheAppendixCApplicationAndWritesBothJsonFiles) {
  const auto solution = temporary("solution.json");
  const auto report = temporary("report.json");
  const Outcome outcome = run_continuum("optimize --space4ai " + scenario("mask_detection_appendix_c") +
                                        " --policy tabu --iterations 50 --out '" + solution.string() +
                                        "' --json '" + report.string() + "'");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_THAT(outcome.output, HasSubstr("feasible     yes"));
  EXPECT_THAT(outcome.output, HasSubstr("c1 s1: h1->RasPix1"));
  EXPECT_THAT(outcome.output, HasSubstr("c2 s1: h1->VM1x1"));

  std::ifstream solution_file(solution);
  const auto space4ai = nlohmann::json::parse(solution_file);
  EXPECT_TRUE(space4ai.at("components").at("c2").at("s1").at("h1").at("computationallayer2").contains("VM1"));
  EXPECT_NEAR(space4ai.at("total_cost").get<double>(), 0.7875, 1e-12);
  EXPECT_TRUE(space4ai.at("feasible").get<bool>());

  std::ifstream report_file(report);
  const auto json = nlohmann::json::parse(report_file);
  EXPECT_EQ(json.at("policy"), "tabu");
  EXPECT_TRUE(json.at("feasible").get<bool>());
  EXPECT_NEAR(json.at("total_cost").get<double>(), 0.7875, 1e-12);
  EXPECT_NEAR(json.at("paths").at("p1").at("response_time").get<double>(), 94348.33, 1e-2);
  EXPECT_NEAR(json.at("components").at("c1").at("response_time").get<double>(), 89076.988, 1e-3);
  EXPECT_GE(json.at("iterations").get<int>(), 50);
  EXPECT_GE(json.at("seconds").get<double>(), 0.0);
  std::filesystem::remove(solution);
  std::filesystem::remove(report);
}

TEST(OptimizeCli, TheReportGoesToStandardOutputOnRequest) {
  const Outcome outcome =
      run_continuum("optimize --space4ai " + scenario("wind_farm_inspection") +
                    " --policy exact --objective cost_energy --energy-weight 1e-6 --json -");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const auto json = nlohmann::json::parse(outcome.output);
  EXPECT_TRUE(json.at("optimal").get<bool>());
  EXPECT_EQ(json.at("objective").at("kind"), "cost_energy");
  EXPECT_NEAR(json.at("objective_value").get<double>(),
              json.at("total_cost").get<double>() + 1e-6 * json.at("total_energy").get<double>(), 1e-9);
}

TEST(OptimizeCli, TheRateOptionCanMakeTheInstanceInfeasible) {
  // Twice the Lambda puts the Pi at U = 1.6 under c1 alone: no placement exists (exit code 1).
  const Outcome outcome = run_continuum("optimize --space4ai " + scenario("mask_detection_appendix_c") +
                                        " --policy exact --rate 0.000092");
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;
  EXPECT_THAT(outcome.output, HasSubstr("feasible     no"));
  EXPECT_THAT(outcome.output, HasSubstr("the instance has no feasible placement"));
}

TEST(OptimizeCli, BadInputExitsWithCodeTwoAndSaysWhy) {
  const auto broken = temporary("broken.json");
  std::ofstream(broken) << "{\n  \"Lambda\": 0.1,\n  \"Components\": {,}\n}\n";
  Outcome outcome = run_continuum("optimize --space4ai '" + broken.string() + "'", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr(broken.string() + ":3:18: JSON syntax error"));
  std::filesystem::remove(broken);

  outcome = run_continuum("optimize --space4ai /nonexistent/system.json", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("/nonexistent/system.json: cannot open the file"));

  outcome =
      run_continuum("optimize --space4ai " + scenario("mask_detection_appendix_c") + " --policy tabo", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output,
              HasSubstr("unknown placement policy \"tabo\"; known: random_greedy, local_search"));

  outcome = run_continuum("optimize /nonexistent/scenario.yaml", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("/nonexistent/scenario.yaml: cannot open the scenario file"));

  outcome = run_continuum("optimize --space4ai " + scenario("mask_detection_appendix_c") + " --verify", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("--verify needs a YAML scenario"));

  outcome = run_continuum(
      "optimize --space4ai " + scenario("wind_farm_inspection") + " --policy exact --exact-limit 100", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("too large for the exact policy"));

  outcome = run_continuum(
      "optimize --space4ai " + scenario("wind_farm_inspection") + " --objective energy_capped", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("--objective energy_capped needs --cost-cap C"));
}

TEST(OptimizeCli, HelpListsEveryOption) {
  const Outcome outcome = run_continuum("optimize --help");
  ASSERT_EQ(outcome.exit_code, 0);
  for (const char* option :
       {"--space4ai", "--policy", "--iterations", "--time-limit", "--seed", "--threads", "--rate", "--out",
        "--json", "--objective", "--energy-weight", "--cost-cap", "--elite", "--search-iterations",
        "--tenure", "--exact-limit", "--set", "--verify", "--replications"})
    EXPECT_THAT(outcome.output, HasSubstr(option));
  EXPECT_THAT(outcome.output, HasSubstr("random_greedy|local_search|tabu|exact|all_edge|all_cloud|all_faas"));
}

}  // namespace
