#include "sim/sweep/run_plan.hpp"

#include <set>

#include <gtest/gtest.h>

#include "sim/engine/random.hpp"

namespace continuum::sweep {
namespace {

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";

SweepSpec two_policy_sweep(const std::string& extra = "replications: 3\n") {
  return parse_sweep("scenario: " + minimal +
                         "\nseed: 5\n"
                         "parameters: {grid: {workload.clients.arrivals.rate: [2/s, 4/s, 6/s]}}\n"
                         "policies: {fcfs: {device_types.server.discipline: fcfs}, ps: "
                         "{device_types.server.discipline: ps}}\n" +
                         extra,
                     std::filesystem::path(CONTINUUM_SOURCE_DIR) / "tests/sweep/inline.yaml");
}

std::string seed_of(const std::vector<io::Override>& overrides) {
  for (const auto& o : overrides)
    if (o.path == "simulation.seed") return o.value;
  return "";
}

TEST(RunSeed, IsTheStreamSeedOfPointAndReplicationAndIsPinned) {
  EXPECT_EQ(run_seed(5, 2, 1), stream_seed(5, "sweep/point/2/replication/1"));
  // Pinned: a change here silently changes every stored sweep and baseline.
  EXPECT_EQ(run_seed(1, 0, 0), 0xe8b79eeb011552d6ull);
}

TEST(RunSeed, IsCommonToAllPoliciesAndDistinctAcrossPointsAndReplications) {
  const SweepSpec spec = two_policy_sweep();
  EXPECT_EQ(seed_of(run_overrides(spec, {1, 0, 2})), seed_of(run_overrides(spec, {1, 1, 2})));
  std::set<std::string> seeds;
  for (std::uint32_t p = 0; p < 3; ++p)
    for (std::uint32_t r = 0; r < 3; ++r) seeds.insert(seed_of(run_overrides(spec, {p, 0, r})));
  EXPECT_EQ(seeds.size(), 9u);
}

TEST(RunOverrides, ApplySetThenParametersThenPolicyThenSeed) {
  const SweepSpec spec = two_policy_sweep();
  const auto overrides = run_overrides(spec, {2, 1, 0});
  ASSERT_EQ(overrides.size(), 4u);
  EXPECT_EQ(overrides[0].path, "workload.clients.arrivals.rate");
  EXPECT_EQ(overrides[0].value, "6/s");
  EXPECT_EQ(overrides[1].value, "ps");
  EXPECT_EQ(overrides[2].path, "simulation.seed");
  EXPECT_EQ(overrides[3].path, "simulation.replications");
  EXPECT_EQ(overrides[3].value, "1");
}

TEST(Shard, ParsesIOfNAndRefusesAnythingElse) {
  const Shard shard = parse_shard("2/4");
  EXPECT_EQ(shard.index, 2u);
  EXPECT_EQ(shard.count, 4u);
  EXPECT_EQ(shard.to_string(), "2/4");
  for (const char* bad : {"4/4", "1/0", "1", "a/2", "1/2/3", "-1/2", ""})
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
}

TEST(Shard, PartitionsTheRunsOfAFixedSweep) {
  const SweepSpec spec = two_policy_sweep();
  std::vector<int> owners(3 * 2 * 3, 0);
  for (std::uint32_t i = 0; i < 4; ++i)
    for (std::uint32_t p = 0; p < 3; ++p)
      for (std::uint32_t q = 0; q < 2; ++q)
        for (std::uint32_t r = 0; r < 3; ++r)
          if (shard_owns(spec, {i, 4}, {p, q, r})) ++owners[run_ordinal(spec, {p, q, r})];
  for (int count : owners) EXPECT_EQ(count, 1);
}

TEST(Shard, GivesWholePointsToOneShardUnderAStoppingRule) {
  const SweepSpec spec = two_policy_sweep("stopping: {relative_half_width: 0.1, min: 2, max: 6}\n");
  for (std::uint32_t p = 0; p < 3; ++p)
    for (std::uint32_t q = 0; q < 2; ++q)
      for (std::uint32_t r = 0; r < 6; ++r) EXPECT_EQ(shard_owns(spec, {p % 2, 2}, {p, q, r}), true);
}

}  // namespace
}  // namespace continuum::sweep
