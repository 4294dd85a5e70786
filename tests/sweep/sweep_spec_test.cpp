#include "sim/sweep/sweep_spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/sweep/run_plan.hpp"

namespace continuum::sweep {
namespace {

using ::testing::HasSubstr;

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";
const std::filesystem::path here = std::filesystem::path(CONTINUUM_SOURCE_DIR) / "tests/sweep/inline.yaml";

SweepSpec parse(const std::string& body) {
  return parse_sweep("scenario: " + minimal + "\n" + body, here);
}

std::string error_of(const std::string& body) {
  try {
    parse(body);
  } catch (const io::LoadError& error) {
    return error.what();
  }
  return "no error";
}

TEST(SweepFile, ExpandsGridZipListAndLatinHypercubeBlocksAsAProduct) {
  const SweepSpec spec = parse(R"(
parameters:
  - grid: {workload.clients.arrivals.rate: {from: 2/s, to: 8/s, step: 2/s}}
  - zip: {device_types.server.cores: [1, 2], device_types.server.discipline: [fcfs, ps]}
  - list: [{simulation.warmup: 10s}, {simulation.warmup: 20s}, {simulation.warmup: 30s}]
  - lhs: {samples: 5, ranges: {device_types.server.power.busy: {min: 40W, max: 80W}}}
)");
  EXPECT_EQ(spec.design.parameters.size(), 5u);
  EXPECT_EQ(spec.point_count(), 4u * 2u * 3u * 5u);
  EXPECT_EQ(spec.design.points.front()[0], "2/s");
  EXPECT_EQ(spec.design.points.back()[0], "8/s");
  EXPECT_EQ(spec.design.points.back()[2], "ps");
  EXPECT_THAT(spec.design.points.front()[4], ::testing::EndsWith("W"));
}

TEST(SweepFile, TakesTheScenarioSeedAsBaseSeedUnlessGiven) {
  EXPECT_EQ(parse("").base_seed, 1u);  // minimal.yaml: seed 1
  EXPECT_EQ(parse("seed: 77\n").base_seed, 77u);
}

TEST(SweepFile, WithoutPoliciesRunsTheScenarioAsItIsUnderOnePolicyBase) {
  const SweepSpec spec = parse("replications: 3\n");
  ASSERT_EQ(spec.policies.size(), 1u);
  EXPECT_EQ(spec.policies[0].name, "base");
  EXPECT_EQ(spec.point_count(), 1u);
  EXPECT_EQ(spec.replications, 3u);
}

TEST(SweepFile, ReadsPoliciesAsNamedOverrideSets) {
  const SweepSpec spec = parse(R"(
policies:
  fcfs: {device_types.server.discipline: fcfs}
  two_servers: {devices.server.count: 2, device_types.server.discipline: ps}
)");
  ASSERT_EQ(spec.policies.size(), 2u);
  EXPECT_EQ(spec.policies[1].name, "two_servers");
  EXPECT_EQ(spec.policies[1].overrides.size(), 2u);
  EXPECT_EQ(spec.find_policy("two_servers"), 1u);
  EXPECT_FALSE(spec.find_policy("lifo"));
}

TEST(SweepFile, ReadsAStoppingRule) {
  const SweepSpec spec =
      parse("stopping: {metric: latency_p95, relative_half_width: 0.02, min: 4, max: 40, level: 0.9}\n");
  ASSERT_TRUE(spec.stopping);
  EXPECT_EQ(spec.stopping->metric, Metric::latency_p95);
  EXPECT_EQ(spec.stopping->min_replications, 4u);
  EXPECT_EQ(spec.stopping->max_replications, 40u);
  EXPECT_DOUBLE_EQ(spec.stopping->level, 0.9);
  EXPECT_EQ(spec.replications, 4u);
}

TEST(SweepFile, NamesTheFieldLineAndAPlausibleSpellingOfAnUnknownField) {
  const std::string error = error_of("replicatons: 3\n");
  EXPECT_THAT(error, HasSubstr("inline.yaml:2:1: replicatons: unknown field"));
  EXPECT_THAT(error, HasSubstr("did you mean \"replications\""));
}

TEST(SweepFile, RefusesAPathOwnedByBothAPolicyAndAParameter) {
  EXPECT_THAT(error_of("parameters: {grid: {devices.server.count: [1, 2]}}\n"
                       "policies: {two: {devices.server.count: 2}}\n"),
              HasSubstr("also a varied parameter"));
  EXPECT_THAT(
      error_of("set: {devices.server.count: 2}\nparameters: {grid: {devices.server.count: [1, 2]}}\n"),
      HasSubstr("both varied and fixed"));
}

TEST(SweepFile, RefusesToSetTheSeedOrReplicationsThroughOverrides) {
  EXPECT_THAT(error_of("set: {simulation.seed: 4}\n"), HasSubstr("top-level `seed:`"));
  EXPECT_THAT(error_of("parameters: {grid: {simulation.replications: [1, 2]}}\n"), HasSubstr("replications"));
  EXPECT_THAT(error_of("replications: 2\nstopping: {relative_half_width: 0.1}\n"), HasSubstr("not both"));
}

TEST(SweepFile, ReportsFixedOverridesTheScenarioRejects) {
  EXPECT_THAT(error_of("set: {device_types.server.corez: 2}\n"),
              HasSubstr("the scenario does not load with these overrides"));
}

TEST(SweepFile, RefusesARangeWithMixedUnits) {
  EXPECT_THAT(
      error_of("parameters: {grid: {workload.clients.arrivals.rate: {from: 2/s, to: 8/h, step: 2/s}}}\n"),
      HasSubstr("same unit"));
}

TEST(CheckRuns, NamesThePointAndPolicyOfAValueTheScenarioRejects) {
  const SweepSpec spec = parse("parameters: {grid: {device_types.server.cores: [1, 0]}}\n");
  try {
    check_runs(spec, false);
    FAIL() << "a server with 0 cores was accepted";
  } catch (const io::LoadError& error) {
    EXPECT_THAT(error.what(), HasSubstr("point 1 (device_types.server.cores=0), policy \"base\""));
  }
}

}  // namespace
}  // namespace continuum::sweep

namespace continuum::sweep {
namespace {

TEST(ShippedSweeps, LoadAndTheScenarioAcceptsEveryRun) {
  const std::filesystem::path dir = std::filesystem::path(CONTINUUM_SOURCE_DIR) / "scenarios/sweeps";
  std::size_t sweeps = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++sweeps;
    EXPECT_THAT(entry.path().filename().string(), ::testing::HasSubstr("sweep"));
    const SweepSpec spec = load_sweep(entry.path());
    EXPECT_GE(spec.policy_count(), 2u) << entry.path() << " compares no policies";
    EXPECT_NO_THROW(check_runs(spec, true)) << entry.path();
  }
  EXPECT_GE(sweeps, 1u);
}

}  // namespace
}  // namespace continuum::sweep
