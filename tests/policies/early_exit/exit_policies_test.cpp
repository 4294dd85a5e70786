// The early-exit policies inside the simulated pipeline (models/early_exit): the ResNet-50 nine-gate
// profile under the queueing LP, the knapsack and the baselines; AdaEE's UCB and LinUCB on an
// edge → cloud split; the registry's names, parameters and errors.
#include "policies/early_exit/exit_policies.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/early_exit/early_exit_model.hpp"
#include "models/early_exit/input_model.hpp"
#include "policies/early_exit/registry.hpp"

namespace continuum::early_exit {
namespace {

// ResNet-50 early-exit profile (brief of issue 5): mean time to reach and evaluate each of the nine
// gates on one device, cumulative, in seconds. Accuracies: assumed, see docs/models/early_exit.md.
constexpr double resnet_time[] = {0.00283, 0.0595, 0.1157, 0.1555, 0.2583, 0.3026, 0.3434, 0.6504, 0.8049};
constexpr double resnet_accuracy[] = {0.42, 0.55, 0.63, 0.70, 0.77, 0.82, 0.86, 0.91, 0.93};

/// One Raspberry Pi-class device, buffer 10, the nine gates with gamma increments (SCV 0.04), Poisson inputs
/// at `rate`, synthetic inputs; the horizon gives about `inputs` arrivals.
EarlyExitScenario resnet(double rate, double inputs, const std::string& policy) {
  EarlyExitScenario s;
  s.name = "early_exit_resnet";
  s.simulation.horizon = inputs / rate;
  s.simulation.warmup = 0.02 * s.simulation.horizon;
  DeviceTypeSpec device{.name = "pi4", .layer = "edge", .cores = 1, .buffer = 10};
  device.power = {.idle_w = 2.7, .busy_w = 6.4};
  s.device_types = {device};
  s.edge_device = {.name = "camera_node", .type = "pi4"};
  double previous = 0.0;
  for (std::size_t e = 0; e < 9; ++e) {
    EarlyExitGateSpec gate{.name = "exit" + std::to_string(e), .accuracy = resnet_accuracy[e]};
    gate.time.emplace("pi4", Distribution::gamma(resnet_time[e] - previous, 0.04));
    previous = resnet_time[e];
    s.gates.push_back(gate);
  }
  s.mode = ExitMode::single_exit;
  s.policy.name = policy;
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = rate};
  return s;
}

RunSummary run(const EarlyExitScenario& scenario, std::uint64_t seed) {
  ExitPolicyRegistry registry;
  register_builtin_exit_policies(registry);
  Simulation simulation(seed);
  return run_early_exit(simulation, scenario, registry.factory());
}

std::vector<Gate> resnet_gates() {
  std::vector<Gate> gates;
  for (std::size_t e = 0; e < 9; ++e) {
    double variance = 0.0, previous = 0.0;
    for (std::size_t j = 0; j <= e; ++j) {
      const double mean = resnet_time[j] - previous;
      variance += 0.04 * mean * mean;
      previous = resnet_time[j];
    }
    gates.push_back({resnet_time[e], variance, resnet_accuracy[e]});
  }
  return gates;
}

TEST(ExitPoliciesInThePipeline, QueueingLpKeepsTheResnetLossWithinTwiceItsTargetAndTradesAccuracyForLoad) {
  const double epsilon = 6.5e-4;
  const double rates[] = {0.5, 1.0, 2.0, 3.0, 4.0, 6.0};
  double previous_accuracy = 1.0;
  std::vector<double> accuracies;
  for (double rate : rates) {
    // Feasible at this rate (the LP's own verdict at the true λ)?
    const bool feasible = solve_gate_mixture(resnet_gates(), rate, 11, epsilon, 50).feasible;
    EarlyExitScenario s = resnet(rate, 30000, "queueing_lp");
    s.policy.parameters = {{"loss_target", epsilon}, {"window", 256}};
    const RunSummary summary = run(s, 2024);
    ASSERT_EQ(summary.offered, summary.completed + summary.lost);
    const double accuracy = summary.early_exit->accuracy;
    if (feasible) {
      EXPECT_LE(summary.loss_ratio(), 2 * epsilon) << "λ = " << rate;
    }
    EXPECT_LE(accuracy, previous_accuracy + 0.01) << "λ = " << rate;
    previous_accuracy = accuracy;
    accuracies.push_back(accuracy);
  }
  EXPECT_GT(accuracies.front() - accuracies.back(), 0.15);
  EXPECT_NEAR(accuracies.front(), resnet_accuracy[8], 0.02);  // light load: the whole network
}

TEST(ExitPoliciesInThePipeline, KnapsackAndLpLoseLessThanAlwaysDeepestAndAnswerBetterThanAlwaysShallowest) {
  const double rate = 6.0;
  EarlyExitScenario deepest = resnet(rate, 6000, "always_deepest");
  EarlyExitScenario shallowest = resnet(rate, 6000, "fixed_gate");
  shallowest.policy.parameters = {{"gate", 0}};
  EarlyExitScenario knapsack = resnet(rate, 6000, "knapsack");
  knapsack.policy.parameters = {{"time_quantum", 0.02}};
  EarlyExitScenario lp = resnet(rate, 6000, "queueing_lp");
  lp.policy.parameters = {{"loss_target", 6.5e-4}, {"window", 256}};

  const RunSummary d = run(deepest, 7), s = run(shallowest, 7), k = run(knapsack, 7), q = run(lp, 7);
  EXPECT_GT(d.loss_ratio(), 0.7);  // ρ = 4.8: M/G/1/K loses about 1 − 1/ρ
  for (const RunSummary* policy : {&k, &q}) {
    EXPECT_LT(policy->loss_ratio(), 0.5 * d.loss_ratio()) << policy->early_exit->policy;
    EXPECT_GT(policy->early_exit->accuracy, s.early_exit->accuracy + 0.05) << policy->early_exit->policy;
  }
}

/// AdaEE set-up: gate 0 on a Pi-class edge device, the final gate on a cloud GPU, a 100 kB tensor over
/// 20 Mbit/s; inputs replayed from a synthetic table of 2000 recorded inputs; threshold mode.
EarlyExitScenario adaee(double inputs, const std::string& policy, const SyntheticInputSpec& input_spec) {
  EarlyExitScenario s;
  s.name = "adaee";
  const double rate = 5.0;
  s.simulation.horizon = inputs / rate;
  DeviceTypeSpec pi{.name = "pi4", .layer = "edge", .cores = 1, .buffer = 20};
  pi.power = {.idle_w = 2.7, .busy_w = 6.4};
  DeviceTypeSpec gpu{.name = "t4", .layer = "cloud", .cores = 1, .buffer = 50};
  gpu.power = {.idle_w = 10.0, .busy_w = 70.0};
  s.device_types = {pi, gpu};
  s.edge_device = {.name = "pi", .type = "pi4"};
  s.cloud_device = DeviceSpec{.name = "gpu", .type = "t4"};
  EarlyExitGateSpec edge_gate{.name = "branch", .accuracy = 0.65};
  edge_gate.time.emplace("pi4", Distribution::gamma(0.05, 0.1));
  EarlyExitGateSpec final_gate{.name = "final", .accuracy = 0.92};
  final_gate.time.emplace("t4", Distribution::gamma(0.02, 0.1));
  s.gates = {edge_gate, final_gate};
  s.split_gate = 0;
  s.split_bytes = 100e3;
  s.link = {.delay = 0.02, .bandwidth = 20e6, .tx_power_w = 1.5};
  s.mode = ExitMode::threshold;
  s.offload_overhead = 0.1;
  s.policy.name = policy;
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = rate};
  const SyntheticInputGenerator generator(input_spec, {0.65, 0.92});
  RandomEngine engine(77);
  s.inputs = generate_input_table(generator, 2000, engine);
  return s;
}

TEST(ExitPoliciesInThePipeline, UcbRegretPerInputVanishesAndItsFavouriteArmIsTheBestInHindsight) {
  // Four thresholds 0.55, 0.7, 0.85, 1.0 (expected rewards about 0.133, 0.148, 0.155, 0.114 per input on
  // this table: the top is flat, so c is matched to the rewards' spread, about 0.2, rather than 1).
  double previous = 1e9, first = 0.0;
  for (double inputs : {4000.0, 16000.0, 64000.0}) {
    EarlyExitScenario s = adaee(inputs, "ucb", SyntheticInputSpec{});
    s.policy.parameters = {{"per_class", 0}, {"arms", 4}, {"threshold_low", 0.55}, {"exploration_c", 0.2}};
    ExitPolicyRegistry registry;
    register_builtin_exit_policies(registry);
    Simulation simulation(31);
    EarlyExitModel model(simulation, s, registry.factory());
    const RunSummary summary = model.run();
    const auto& policy = dynamic_cast<const UcbThresholdPolicy&>(model.policy());
    const Ucb1* bandit = policy.bandits().find("all");
    ASSERT_NE(bandit, nullptr);
    const double rounds = static_cast<double>(bandit->total_pulls());
    const double per_input = summary.early_exit->regret / rounds;
    int most_pulled = 0;
    for (int a = 1; a < bandit->arm_count(); ++a)
      if (bandit->pulls(a) > bandit->pulls(most_pulled)) most_pulled = a;
    EXPECT_LT(per_input, previous);
    previous = per_input;
    EXPECT_DOUBLE_EQ(summary.early_exit->cumulative_reward, bandit->cumulative_reward());
    if (inputs == 4000.0) first = per_input;
    if (inputs == 64000.0) {
      // Margins from seeds 1..10: per-input regret 0.0005..0.004 here, at most 0.41 of its value at 4000.
      EXPECT_LT(per_input, 0.005);
      EXPECT_LT(per_input, 0.5 * first);
      EXPECT_EQ(most_pulled, bandit->regret_tracker().best_fixed_arm());
    }
  }
}

TEST(ExitPoliciesInThePipeline, LinUcbOffloadsLessWhenItsOverheadPricesTheUplinkBacklog) {
  // 500 kB tensors take 0.2 s on the 20 Mbit/s uplink, so offloaded inputs queue for the radio. With
  // link_weight 1 the overhead is o·(1 + backlog): LinUCB sees the backlog and keeps more inputs at the edge.
  RunSummary runs[2];
  for (int weight = 0; weight < 2; ++weight) {
    EarlyExitScenario s = adaee(20000, "linucb", SyntheticInputSpec{});
    s.split_bytes = 500e3;
    s.policy.parameters = {{"link_weight", weight}, {"arms", 6}};
    runs[weight] = run(s, 5);
    const auto& report = *runs[weight].early_exit;
    EXPECT_LT(report.regret / static_cast<double>(report.answered), 0.01) << "link_weight " << weight;
    EXPECT_GT(report.cumulative_reward, 0.0);
  }
  // Seeds 1..8: the offload fraction falls by 0.009..0.035 and the mean latency by 0.008..0.021 s.
  EXPECT_LT(runs[1].early_exit->offload_fraction, runs[0].early_exit->offload_fraction);
  EXPECT_LT(runs[1].latency.moments.mean(), runs[0].latency.moments.mean());
}

/// The early_exit_edge_cloud scenario of docs/models/early_exit.md, as its YAML section describes it.
EarlyExitScenario edge_cloud_scenario(const std::string& policy) {
  EarlyExitScenario s;
  s.name = "early_exit_edge_cloud";
  s.simulation.horizon = 3600.0;
  s.simulation.warmup = 60.0;
  DeviceTypeSpec pi{.name = "rpi4", .layer = "edge", .cores = 1, .buffer = 20};
  pi.power = {.idle_w = 2.7, .busy_w = 6.4};
  DeviceTypeSpec gpu{.name = "t4_server", .layer = "cloud", .cores = 1, .buffer = 100};
  gpu.power = {.idle_w = 10.0, .busy_w = 70.0};
  s.device_types = {pi, gpu};
  s.edge_device = {.name = "camera_pi", .type = "rpi4"};
  s.cloud_device = DeviceSpec{.name = "cloud_gpu", .type = "t4_server"};
  EarlyExitGateSpec branch{.name = "branch", .accuracy = 0.65};
  branch.time.emplace("rpi4", Distribution::gamma(0.06, 0.05));
  EarlyExitGateSpec final_exit{.name = "final", .accuracy = 0.90};
  final_exit.time.emplace("t4_server", Distribution::gamma(0.008, 0.05));
  s.gates = {branch, final_exit};
  s.split_gate = 0;
  s.split_bytes = 301056;  // 24 × 56 × 56 float32
  s.link = {.delay = 0.025, .bandwidth = 20e6, .tx_power_w = 1.5, .rx_power_w = 0.0};
  s.mode = ExitMode::threshold;
  s.offload_overhead = 0.1;
  s.policy.name = policy;
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 4.0};
  std::ifstream file(std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/early_exit/adaee_inputs.csv");
  std::stringstream text;
  text << file.rdbuf();
  s.inputs = parse_input_table(text.str(), 2);
  return s;
}

TEST(ExitPoliciesInThePipeline, TheEdgeCloudScenarioTradesAccuracyForLatencyAsExpected) {
  EarlyExitScenario ucb = edge_cloud_scenario("ucb");
  ucb.policy.parameters = {{"exploration_c", 0.2}};
  ASSERT_EQ(std::get<InputTable>(ucb.inputs).records.size(), 1000u);
  ASSERT_EQ(std::get<InputTable>(ucb.inputs).classes,
            (std::vector<std::string>{"noise", "pristine", "blur"}));
  const RunSummary learned = run(ucb, 1);
  const RunSummary deepest = run(edge_cloud_scenario("always_deepest"), 1);
  EarlyExitScenario edge_only = edge_cloud_scenario("fixed_threshold");
  edge_only.policy.parameters = {{"threshold", 0.0}};
  const RunSummary shallow = run(edge_only, 1);

  for (const RunSummary* summary : {&learned, &deepest, &shallow}) {
    EXPECT_EQ(summary->offered, summary->completed + summary->lost);
    EXPECT_LT(summary->loss_ratio(), 0.001) << summary->early_exit->policy;
  }
  // Everything offloaded: the accuracy of the final exit on this table; nothing: the branch's.
  EXPECT_DOUBLE_EQ(deepest.early_exit->offload_fraction, 1.0);
  EXPECT_DOUBLE_EQ(shallow.early_exit->offload_fraction, 0.0);
  EXPECT_NEAR(deepest.early_exit->accuracy, 0.83, 0.02);
  EXPECT_NEAR(shallow.early_exit->accuracy, 0.50, 0.02);
  // AdaEE offloads the unsure part: nearly all the accuracy gain for part of the transfers and latency.
  const auto& ee = *learned.early_exit;
  EXPECT_GT(ee.offload_fraction, 0.2);
  EXPECT_LT(ee.offload_fraction, 0.8);
  EXPECT_GT(ee.accuracy, shallow.early_exit->accuracy +
                             0.5 * (deepest.early_exit->accuracy - shallow.early_exit->accuracy));
  EXPECT_LT(learned.latency.moments.mean(), deepest.latency.moments.mean());
  EXPECT_LT(learned.network_energy_j, deepest.network_energy_j);
  EXPECT_LT(ee.regret / static_cast<double>(ee.answered), 0.01);
}

ExitPolicySetup small_setup(const std::string& name, std::map<std::string, double> parameters = {}) {
  ExitPolicySetup setup;
  setup.name = name;
  setup.parameters = std::move(parameters);
  setup.gates = {{0.1, 0.0, 0.1, 0.0, 0.5}, {0.3, 0.0, 0.3, 0.0, 0.7}, {0.6, 0.0, 0.6, 0.0, 0.9}};
  setup.last_edge_gate = 2;
  setup.edge_buffer = 10;
  setup.input_classes = {"default"};
  return setup;
}

std::string error_of(const ExitPolicyRegistry& registry, const ExitPolicySetup& setup) {
  try {
    registry.make(setup);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(ExitPolicyRegistry, KnowsTheBuiltInPoliciesAndListsThemForAnUnknownName) {
  ExitPolicyRegistry registry;
  register_builtin_exit_policies(registry);
  EXPECT_EQ(registry.names(),
            (std::vector<std::string>{"always_deepest", "fixed_gate", "fixed_threshold", "knapsack", "linucb",
                                      "queueing_lp", "reactive", "ucb"}));
  EXPECT_EQ(
      error_of(registry, small_setup("tabo")),
      "unknown exit policy \"tabo\"; known: always_deepest, fixed_gate, fixed_threshold, knapsack, linucb, "
      "queueing_lp, reactive, ucb");
  EXPECT_EQ(registry.find("tabo"), nullptr);
  EXPECT_NE(registry.find("knapsack"), nullptr);
  EXPECT_THROW(registry.add({"knapsack", "again", {}, registry.at("knapsack").make}), std::invalid_argument);
}

TEST(ExitPolicyRegistry, RejectsUnknownMissingAndOutOfRangeParameters) {
  ExitPolicyRegistry registry;
  register_builtin_exit_policies(registry);
  EXPECT_EQ(error_of(registry, small_setup("queueing_lp", {{"epsilon", 0.01}})),
            "exit policy \"queueing_lp\": unknown parameter \"epsilon\"; known: loss_target, grid_points, "
            "relative_threshold, window");
  EXPECT_EQ(error_of(registry, small_setup("fixed_gate")),
            "exit policy \"fixed_gate\": missing parameter \"gate\" (the gate, 0..E-1)");
  EXPECT_NE(error_of(registry, small_setup("fixed_gate", {{"gate", 3}})).find("integer in [0, 2]"),
            std::string::npos);
  EXPECT_NE(error_of(registry, small_setup("fixed_gate", {{"gate", 1.5}})).find("integer"),
            std::string::npos);
  EXPECT_NE(error_of(registry, small_setup("queueing_lp", {{"loss_target", 1.0}})).find("(0, 1)"),
            std::string::npos);
  EXPECT_EQ(registry.make(small_setup("fixed_gate", {{"gate", 2}}))->choose_gate({}), 2);
}

TEST(ExitPolicyRegistry, RejectsPoliciesThatCannotServeTheSetup) {
  ExitPolicyRegistry registry;
  register_builtin_exit_policies(registry);
  EXPECT_EQ(error_of(registry, small_setup("fixed_threshold", {{"threshold", 0.8}})),
            "exit policy \"fixed_threshold\": does not support single_exit mode");
  ExitPolicySetup threshold_mode = small_setup("knapsack");
  threshold_mode.mode = ExitMode::threshold;
  EXPECT_EQ(error_of(registry, threshold_mode), "exit policy \"knapsack\": does not support threshold mode");
  ExitPolicySetup unbounded = small_setup("queueing_lp");
  unbounded.edge_buffer.reset();
  EXPECT_EQ(error_of(registry, unbounded),
            "exit policy \"queueing_lp\": needs a finite buffer on the edge device");
  ExitPolicySetup two_cores = small_setup("knapsack");
  two_cores.edge_cores = 2;
  EXPECT_NE(error_of(registry, two_cores).find("one server"), std::string::npos);
  ExitPolicySetup no_cloud = small_setup("ucb");
  no_cloud.mode = ExitMode::threshold;
  EXPECT_NE(error_of(registry, no_cloud).find("needs a cloud part"), std::string::npos);
}

TEST(ExitPolicyAdapters, ThresholdRewardsAreAdaeesRewardForTwoGates) {
  const std::vector<double> thresholds = threshold_grid(6, 0.5, 1.0);
  EXPECT_EQ(thresholds, (std::vector<double>{0.5, 0.6, 0.7, 0.8, 0.9, 1.0}));
  std::vector<double> rewards;
  for (const auto& [edge, final] : {std::pair{0.55, 0.95}, {0.75, 0.7}, {0.95, 0.99}, {0.3, 0.9}}) {
    const InputRecord input{0, {edge, final}, {0, 1}};
    threshold_rewards(input, thresholds, 0, 0.1, rewards);
    for (std::size_t a = 0; a < thresholds.size(); ++a)
      EXPECT_DOUBLE_EQ(rewards[a], adaee_reward(edge, final, thresholds[a], 0.1))
          << edge << " " << thresholds[a];
  }
}

TEST(ExitPolicyAdapters, ReactiveMovesShallowerOnLossAndDeeperWhenTheDeviceEmpties) {
  ReactivePolicy policy(4, 3);
  policy.on_arrival(0.0, true);
  EXPECT_EQ(policy.choose_gate({}), 3);
  policy.on_arrival(0.0, false);
  policy.on_arrival(0.0, false);
  EXPECT_EQ(policy.choose_gate({}), 1);
  policy.on_queue_empty(1.0);
  EXPECT_EQ(policy.choose_gate({}), 2);
}

TEST(ExitPolicyAdapters, AlwaysDeepestSendsEveryInputToTheLastGateInBothModes) {
  AlwaysDeepestPolicy policy(5);
  EXPECT_EQ(policy.choose_gate({}), 4);
  const InputRecord sure{0, {1.0, 1.0, 1.0, 1.0, 1.0}, {1, 1, 1, 1, 1}};
  EXPECT_EQ(first_gate_reaching(sure, policy.choose_threshold({})), 4);
}

}  // namespace
}  // namespace continuum::early_exit
