// Runs the built `continuum` program: `continuum optimize SCENARIO.yaml` with --verify, --out
// (then `continuum run` on the written design), --rate, --set, and its errors.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/io/program_runner.hpp"

namespace {

using continuum::testing::Outcome;
using continuum::testing::run_continuum;
using ::testing::HasSubstr;
using ::testing::Not;

std::string shipped(const std::string& name) {
  return "'" + std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/" + name + ".yaml'";
}

std::filesystem::path temporary(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("continuum_optimize_yaml_" + std::to_string(::getpid()) + "_" + name);
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

TEST(OptimizeYamlCli, VerifiesTheChosenPlacementAndWritesAScenarioThatRuns) {
  const auto design = temporary("design.yaml");
  const auto report = temporary("report.json");
  const auto summary = temporary("summary.json");
  const Outcome outcome = run_continuum("optimize " + shipped("wind_farm_design") +
                                        " --policy exact --verify --replications 3 --out '" +
                                        design.string() + "' --json '" + report.string() + "'");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_THAT(outcome.output, HasSubstr("exposure_check s1: h1->drone_lowx1"));
  EXPECT_THAT(outcome.output, HasSubstr("damage_classification s1: h1->c5_h1_6gb"));
  EXPECT_THAT(outcome.output, HasSubstr("verification 3 simulated replications"));
  EXPECT_THAT(outcome.output, HasSubstr("path p1"));

  const auto json = read_json(report);
  EXPECT_EQ(json.at("input").get<std::string>().find("wind_farm_design.yaml") != std::string::npos, true);
  const auto& verification = json.at("verification");
  EXPECT_EQ(verification.at("replications"), 3);
  for (const char* name :
       {"exposure_check", "blade_filter", "blade_localisation", "damage_check", "damage_classification"}) {
    const auto& component = verification.at("components").at(name);
    EXPECT_GT(component.at("predicted").get<double>(), 0.0) << name;
    EXPECT_GT(component.at("simulated_half_width").get<double>(), 0.0) << name;
    EXPECT_LT(std::abs(component.at("relative_difference").get<double>()), 0.05) << name;
  }
  EXPECT_TRUE(verification.at("components").at("no_damage_found").at("relative_difference").is_null());
  EXPECT_LT(std::abs(verification.at("paths").at("p1").at("relative_difference").get<double>()), 0.05);

  // The written file is the design: `continuum run` simulates it, and charges what was predicted.
  const Outcome run =
      run_continuum("run '" + design.string() + "' --quiet --json '" + summary.string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto simulated = read_json(summary);
  const double predicted_cost = json.at("total_cost").get<double>();
  EXPECT_NEAR(simulated.at("cost").at("total").get<double>(), predicted_cost, 0.01 * predicted_cost);
  std::ifstream written(design);
  const std::string text((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("blade_filter: {deployment: s2, partitions: {h2: drone_low, h3: vm_small}}"));
  EXPECT_THAT(
      text, HasSubstr("devices:\n  drone_low: {type: drone_low_end, count: 1}\n  vm_small: {type: g3_4vcpu, "
                      "count: 1}\nfaas:"));  // unused devices are not provisioned
  EXPECT_THAT(text, Not(HasSubstr("candidates:")));
  for (const auto& file : {design, report, summary}) std::filesystem::remove(file);
}

TEST(OptimizeYamlCli, RateAndOverridesChangeTheProblem) {
  // At 0.5 batches/s the low-end drone would take C1 to 3.4 s, over the 3 s path bound.
  Outcome outcome = run_continuum("optimize " + shipped("wind_farm_design") + " --policy exact --rate 0.5");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_THAT(outcome.output, HasSubstr("exposure_check s1: h1->drone_midx1"));
  outcome = run_continuum("optimize " + shipped("wind_farm_design") +
                          " --policy exact --set application.path_constraints.p1.limit=1.2s");
  EXPECT_EQ(outcome.exit_code, 1) << outcome.output;  // no placement meets 1.2 s
  EXPECT_THAT(outcome.output, HasSubstr("feasible     no"));
}

TEST(OptimizeYamlCli, BadInputIsOneLineWithExitCodeTwo) {
  Outcome outcome = run_continuum("optimize " + shipped("early_exit_resnet"), true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("an early-exit scenario has no component placement to optimise"));

  outcome = run_continuum(
      "optimize " + shipped("minimal") + " '--set=workload.0.arrivals={process: deterministic, rate: 8/s}'",
      true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("the evaluator assumes Poisson arrivals"));

  outcome = run_continuum("optimize " + shipped("minimal") + " --set devices.server.cunt=2", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("unknown field \"cunt\""));

  outcome = run_continuum("optimize " + shipped("minimal") + " --verify --replications 1", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("--replications must be at least 2"));

  outcome = run_continuum("optimize " + shipped("minimal") + " --space4ai x.json", true);
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("not both"));
}

}  // namespace
