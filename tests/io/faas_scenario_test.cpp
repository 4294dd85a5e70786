// FaaS functions as placement targets in scenarios: the shipped SimFaaS example against its published
// figures, and a device → function pipeline whose transfers use the network.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/system/system_model.hpp"
#include "policies/faas/keep_alive_registry.hpp"
#include "sim/io/scenario_loader.hpp"

namespace continuum {
namespace {

RunSummary run(const ScenarioSpec& spec) {
  Simulation simulation(spec.simulation.seed);
  SystemModel model(simulation, spec, faas::make_keep_alive_policy);
  return model.run();
}

TEST(FaasScenario, TheShippedSimFaasExampleReproducesThePublishedRun) {
  // SimFaaS (ICPE'21), λ = 0.9, w = 1.991, c = 2.244, θ = 600 s, 10^6 s: cold-start probability
  // 0.0013–0.0014, 7.66–7.69 instances, 1.79 running. One run of 10^6 s has a standard error of about
  // 0.0001 on the probability and 0.03 on the instances.
  const auto loaded =
      io::load_scenario(std::filesystem::path(CONTINUUM_SOURCE_DIR) / "scenarios/faas_single_function.yaml");
  const RunSummary summary = run(loaded.spec);
  ASSERT_EQ(summary.faas.size(), 1u);
  const auto& f = summary.faas.front();
  EXPECT_NEAR(f.cold_start_probability, 0.00135, 0.0002);
  EXPECT_NEAR(f.average_instances, 7.675, 0.1);
  EXPECT_NEAR(f.average_running, 1.79, 0.03);
  EXPECT_EQ(summary.offered, summary.completed + summary.lost);
  EXPECT_EQ(summary.lost, 0u);
  EXPECT_GT(f.cost, 0.0);
  EXPECT_DOUBLE_EQ(summary.faas_cost, f.cost);
}

constexpr const char* pipeline = R"(
name: edge_to_faas
simulation: {horizon: 2000s, warmup: 100s, seed: 3}
device_types:
  camera: {layer: edge, cores: 1, discipline: fcfs, power: {idle: 1W, busy: 3W}}
devices:
  cam: {type: camera}
faas:
  cloud_faas:
    layer: cloud
    price_per_gb_second: 0.0000166667
    functions:
      classify: {memory: 512MiB, warm: {dist: deterministic, value: 0.2s}, cold: {dist: deterministic, value: 1s}, keep_alive: 60s, max_instances: 2}
network:
  domains:
    wan: {layers: [edge, cloud], access_delay: 20ms, bandwidth: 8Mbps}
application:
  components:
    detect:
      deployments: [{name: d, partitions: [{name: p, demand: {camera: {dist: deterministic, value: 10ms}}, output: 100kB}]}]
    classify:
      deployments: [{name: d, partitions: [{name: p}]}]
  edges: [{from: detect, to: classify, probability: 1, data: 100kB}]
placement:
  detect: {partitions: {p: cam}}
  classify: {partitions: {p: {faas: classify}}}
workload:
  - {name: frames, entry: detect, arrivals: {process: poisson, rate: 2/s}}
)";

TEST(FaasScenario, TransfersToAFunctionUseTheNetworkAndRejectionsAreLosses) {
  auto spec = io::load_scenario_text(pipeline, "pipeline.yaml").spec;
  const RunSummary summary = run(spec);
  // Floor: camera 10 ms + transfer 20 ms + 8·100 kB / 8 Mbit/s = 0.1 s + warm 0.2 s.
  EXPECT_GE(summary.latency.moments.min(), 0.01 + 0.02 + 0.1 + 0.2 - 1e-9);
  EXPECT_GT(summary.network_bytes, 0.0);
  // λ·w = 0.4 with 2 instances at most: some arrivals find both busy and are rejected.
  const auto rejected = summary.lost_by_cause[static_cast<std::size_t>(LossCause::faas_rejected)];
  EXPECT_GT(rejected, 0u);
  EXPECT_EQ(summary.lost, rejected);
  EXPECT_EQ(summary.offered, summary.completed + summary.lost);
  ASSERT_EQ(summary.faas.size(), 1u);
  EXPECT_NEAR(summary.faas.front().rejection_probability,
              static_cast<double>(rejected) / static_cast<double>(summary.faas.front().arrivals), 0.01);
}

}  // namespace
}  // namespace continuum
