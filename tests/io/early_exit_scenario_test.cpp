// Early-exit scenarios in YAML: the two shipped files load into the values of docs/models/early_exit.md,
// run through load_scenario + run_early_exit, and bad files fail with located errors.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/early_exit/early_exit_model.hpp"
#include "policies/early_exit/registry.hpp"
#include "sim/io/scenario_loader.hpp"

namespace continuum::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path scenario(const std::string& name) {
  return fs::path(CONTINUUM_SOURCE_DIR) / "scenarios" / (name + ".yaml");
}

RunSummary run(const EarlyExitScenario& spec) {
  early_exit::ExitPolicyRegistry registry;
  early_exit::register_builtin_exit_policies(registry);
  Simulation simulation(spec.simulation.seed);
  return run_early_exit(simulation, spec, registry.factory());
}

TEST(EarlyExitScenario, TheResnetFileLoadsItsNineGatesAndTheQueueingLpPolicy) {
  const LoadedScenario loaded = load_scenario(scenario("early_exit_resnet"));
  ASSERT_TRUE(loaded.early_exit.has_value());
  const EarlyExitScenario& s = *loaded.early_exit;
  EXPECT_EQ(s.name, "early_exit_resnet");
  EXPECT_EQ(s.mode, ExitMode::single_exit);
  EXPECT_DOUBLE_EQ(s.simulation.horizon, 15000.0);
  EXPECT_DOUBLE_EQ(s.simulation.warmup, 300.0);
  EXPECT_EQ(s.edge_device.name, "camera_node");
  EXPECT_FALSE(s.cloud_device.has_value());
  EXPECT_EQ(s.last_edge_gate(), 8);
  ASSERT_EQ(s.gates.size(), 9u);
  EXPECT_EQ(s.gates[0].name, "exit0");
  EXPECT_NEAR(s.gates[0].time.at("edge_cpu").mean(), 2.83e-3, 1e-12);
  EXPECT_NEAR(s.gates[7].time.at("edge_cpu").mean(), 0.307, 1e-12);
  EXPECT_DOUBLE_EQ(s.gates[8].accuracy, 0.93);
  // Cumulative time to the deepest gate: 0.8049 s, as the profile says.
  double total = 0.0;
  for (const auto& gate : s.gates) total += gate.time.at("edge_cpu").mean();
  EXPECT_NEAR(total, 0.8049, 1e-9);
  ASSERT_EQ(s.device_types.size(), 1u);
  EXPECT_EQ(s.device_types[0].buffer, 10u);
  EXPECT_DOUBLE_EQ(s.device_types[0].power.busy_w, 6.4);
  EXPECT_EQ(s.policy.name, "queueing_lp");
  EXPECT_DOUBLE_EQ(s.policy.parameters.at("loss_target"), 6.5e-4);
  EXPECT_DOUBLE_EQ(s.policy.parameters.at("window"), 256.0);
  EXPECT_EQ(s.arrivals.process, ArrivalSpec::Process::poisson);
  EXPECT_DOUBLE_EQ(s.arrivals.rate, 2.0);
  ASSERT_TRUE(std::holds_alternative<SyntheticInputSpec>(s.inputs));
  const auto& synthetic = std::get<SyntheticInputSpec>(s.inputs);
  EXPECT_EQ(synthetic.labels, 10);
  EXPECT_DOUBLE_EQ(synthetic.sharpness, 0.08);
  ASSERT_EQ(synthetic.classes.size(), 1u);
  EXPECT_DOUBLE_EQ(synthetic.classes[0].difficulty_beta, 1.0);
  // The system-model part carries only what both share.
  EXPECT_TRUE(loaded.spec.application.components.empty());
  ASSERT_EQ(loaded.spec.sources.size(), 1u);
  EXPECT_EQ(loaded.spec.sources[0].name, "images");
}

TEST(EarlyExitScenario, TheEdgeCloudFileLoadsItsSplitLinkAndRecordedTable) {
  const LoadedScenario loaded = load_scenario(scenario("early_exit_edge_cloud"));
  ASSERT_TRUE(loaded.early_exit.has_value());
  const EarlyExitScenario& s = *loaded.early_exit;
  EXPECT_EQ(s.mode, ExitMode::threshold);
  EXPECT_EQ(s.edge_device.name, "camera_pi");
  ASSERT_TRUE(s.cloud_device.has_value());
  EXPECT_EQ(s.cloud_device->type, "t4_server");
  EXPECT_EQ(s.last_edge_gate(), 0);
  EXPECT_DOUBLE_EQ(s.split_bytes, 301056.0);
  EXPECT_DOUBLE_EQ(s.link.delay, 0.025);
  EXPECT_DOUBLE_EQ(s.link.bandwidth, 20e6);
  EXPECT_DOUBLE_EQ(s.link.tx_power_w, 1.5);
  EXPECT_TRUE(s.link.serialize);
  EXPECT_DOUBLE_EQ(s.offload_overhead, 0.1);
  EXPECT_NEAR(s.gates[1].time.at("t4_server").mean(), 0.008, 1e-12);
  EXPECT_EQ(s.policy.name, "ucb");
  EXPECT_DOUBLE_EQ(s.policy.parameters.at("arms"), 11.0);
  EXPECT_DOUBLE_EQ(s.policy.parameters.at("exploration_c"), 0.2);
  ASSERT_TRUE(std::holds_alternative<InputTable>(s.inputs));
  const auto& table = std::get<InputTable>(s.inputs);
  EXPECT_EQ(table.order, InputTable::Order::random);
  EXPECT_THAT(table.classes, ::testing::UnorderedElementsAre("pristine", "blur", "noise"));
  ASSERT_FALSE(table.records.empty());
  EXPECT_EQ(table.records.front().confidence.size(), 2u);
}

TEST(EarlyExitScenario, AlwaysDeepestLosesMoreThanTheQueueingLpAtAHighRate) {
  // 6 images/s against 0.80 s for the whole network: ρ ≈ 4.8 when every image runs to the end.
  const std::vector<Override> common{
      {"simulation.horizon", "1500s"}, {"simulation.warmup", "100s"}, {"workload.0.arrivals.rate", "6/s"}};
  auto deepest_overrides = common;
  deepest_overrides.push_back({"early_exit.policy.name", "always_deepest"});
  const LoadedScenario lp = load_scenario(scenario("early_exit_resnet"), common);
  const LoadedScenario deepest = load_scenario(scenario("early_exit_resnet"), deepest_overrides);
  ASSERT_TRUE(lp.early_exit && deepest.early_exit);
  EXPECT_EQ(deepest.early_exit->policy.name, "always_deepest");
  // queueing_lp's loss_target and window are not always_deepest's: left out, not an error.
  EXPECT_TRUE(deepest.early_exit->policy.parameters.empty());
  const RunSummary lp_run = run(*lp.early_exit);
  const RunSummary deepest_run = run(*deepest.early_exit);
  ASSERT_GT(lp_run.offered, 5000u);
  EXPECT_GT(deepest_run.loss_ratio(), 0.7);  // 1 − 1/ρ ≈ 0.79 for a saturated queue
  EXPECT_LT(lp_run.loss_ratio(), 0.05);
  ASSERT_TRUE(deepest_run.early_exit && lp_run.early_exit);
  EXPECT_NEAR(deepest_run.early_exit->exit_fraction.back(), 1.0, 1e-12);
  EXPECT_GT(deepest_run.early_exit->accuracy, lp_run.early_exit->accuracy);
}

TEST(EarlyExitScenario, AnUnknownPolicyNameIsALocatedErrorWithAHint) {
  try {
    load_scenario(scenario("early_exit_resnet"), {{"early_exit.policy.name", "queueing_lpp"}});
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_EQ(error.field, "early_exit.policy.name");
    EXPECT_THAT(error.what(), HasSubstr("unknown exit policy \"queueing_lpp\""));
    EXPECT_THAT(error.what(), HasSubstr("did you mean \"queueing_lp\""));
  }
}

TEST(EarlyExitScenario, AnUnknownPolicyParameterIsALocatedError) {
  try {
    load_scenario(scenario("early_exit_resnet"), {{"early_exit.policy.los_target", "0.01"}});
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_THAT(error.what(), HasSubstr("unknown parameter \"los_target\" of exit policy \"queueing_lp\""));
    EXPECT_THAT(error.what(), HasSubstr("did you mean \"loss_target\""));
  }
}

constexpr const char* edge_cloud = R"(name: split
simulation: {horizon: 100s, seed: 2}
device_types:
  pi: {layer: edge, cores: 1, buffer: 5}
  gpu: {layer: cloud, cores: 1, buffer: 50}
devices:
  cam: {type: pi}
  cloud: {type: gpu}
early_exit:
  mode: threshold
  edge_device: cam
  cloud_device: cloud
  split_gate: 0
  link: {bandwidth: 10Mbps}
  gates:
    - {name: branch, accuracy: 0.6, time: {pi: 50ms}}
    - {name: final, accuracy: 0.9, time: {pi: 400ms}}
  policy: {name: fixed_threshold, threshold: 0.8}
workload:
  - {name: frames, arrivals: {process: poisson, rate: 2/s}}
)";

TEST(EarlyExitScenario, AGateWithoutATimeForItsDeviceTypeIsALocatedError) {
  try {
    load_scenario_text(edge_cloud, "split.yaml");
    FAIL() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_EQ(error.file, "split.yaml");
    EXPECT_EQ(error.line, 17);  // the `time` of gate "final"
    EXPECT_EQ(error.field, "early_exit.gates[1].time");
    EXPECT_THAT(error.what(), HasSubstr("gate \"final\" runs on the cloud device \"cloud\" (type \"gpu\")"));
    EXPECT_THAT(error.what(), HasSubstr("times are given for: pi"));
  }
  // With the cloud time the same file loads and runs.
  const LoadedScenario fixed =
      load_scenario_text(edge_cloud, "split.yaml", {{"early_exit.gates.1.time", "{gpu: 20ms}"}});
  ASSERT_TRUE(fixed.early_exit);
  const RunSummary summary = run(*fixed.early_exit);
  EXPECT_GT(summary.completed, 100u);
}

/// The message of the LoadError that loading `yaml` with `overrides` throws ("" when it loads).
std::string load_error(const std::string& yaml, const std::vector<Override>& overrides = {}) {
  try {
    load_scenario_text(yaml, "split.yaml", overrides);
  } catch (const LoadError& error) {
    return error.what();
  }
  return "";
}

TEST(EarlyExitScenario, ApplicationSectionsAndSourceEntriesAreRefused) {
  EXPECT_THAT(load_error(std::string(edge_cloud) + "placement: {}\n"),
              HasSubstr("an early-exit scenario (with `early_exit`) takes no \"placement\""));
  EXPECT_THAT(
      load_error(edge_cloud, {{"early_exit.gates.1.time", "{gpu: 20ms}"}, {"workload.0.entry", "detector"}}),
      HasSubstr("leave `entry` out"));
  EXPECT_THAT(load_error(edge_cloud, {{"early_exit.edge_device", "camm"}}),
              HasSubstr("unknown device \"camm\"; did you mean \"cam\""));
}

TEST(EarlyExitScenario, ABadInputTableRowIsBlamedOnTheCsvFileAndLine) {
  const fs::path dir = fs::temp_directory_path() / ("continuum_ee_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream csv(dir / "inputs.csv");
    csv << "# two gates\nconfidence_0,correct_0,confidence_1,correct_1\n0.5,1,0.7,1\n0.4,0,0.9,maybe\n";
  }
  try {
    load_scenario_text(
        edge_cloud, "split.yaml",
        {{"early_exit.gates.1.time", "{gpu: 20ms}"}, {"early_exit.inputs", "{table: inputs.csv}"}}, dir);
    ADD_FAILURE() << "expected a LoadError";
  } catch (const LoadError& error) {
    EXPECT_EQ(error.file, (dir / "inputs.csv").string());
    EXPECT_EQ(error.line, 4);
    EXPECT_EQ(error.field, "early_exit.inputs.table");
    EXPECT_THAT(error.what(), HasSubstr("correct_1"));
  }
  fs::remove_all(dir);
}

/// `continuum run ARGS 2>&1`: exit code and output.
std::pair<int, std::string> run_program(const std::string& arguments) {
  const std::string command = std::string(CONTINUUM_BINARY) + " run " + arguments + " 2>&1";
  std::string output;
  int code = -1;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 4096> buffer{};
    std::size_t read = 0;
    while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), read);
    const int status = ::pclose(pipe);
    code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return {code, output};
}

TEST(EarlyExitScenario, TheProgramRefusesABadPolicyValueWithOneLineNamingTheFile) {
  const std::string file = scenario("early_exit_resnet").string();
  const auto [code, output] =
      run_program("'" + file + "' -q --horizon 400s --warmup 10s --set early_exit.policy.loss_target=-1");
  EXPECT_EQ(code, 2) << output;
  EXPECT_THAT(output, ::testing::StartsWith(file + ": error: "));
  EXPECT_THAT(output, HasSubstr("loss_target"));
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << output;

  // Early-exit runs are traced (their tables: trace_writer_test.cpp); a bad one still writes nothing.
  const fs::path trace =
      fs::temp_directory_path() / ("continuum_ee_trace_" + std::to_string(::getpid()) + ".h5");
  const auto [bad_code, bad_output] = run_program(
      "'" + file + "' -q --set early_exit.policy.loss_target=-1 --trace '" + trace.string() + "'");
  EXPECT_EQ(bad_code, 2) << bad_output;
  EXPECT_FALSE(fs::exists(trace));
  const auto [trace_code, trace_output] = run_program(
      "'" + file + "' -q --horizon 400s --warmup 10s --json /dev/null --trace '" + trace.string() + "'");
  EXPECT_EQ(trace_code, 0) << trace_output;
  EXPECT_TRUE(fs::is_regular_file(trace));
  fs::remove(trace);
}

TEST(EarlyExitScenario, TheProgramPrintsAccuracyOffloadAndExitsInItsSummary) {
  const std::string file = scenario("early_exit_edge_cloud").string();
  const auto [code, output] = run_program("'" + file + "' --horizon 300s --warmup 10s --json /dev/null");
  EXPECT_EQ(code, 0) << output;
  EXPECT_THAT(output,
              ::testing::ContainsRegex("early exit policy ucb  accuracy 0\\.[0-9]+  offloaded [0-9.]+ %  "
                                       "exits by gate: 0\\.[0-9]+ 0\\.[0-9]+"));
}

}  // namespace
}  // namespace continuum::io
