#include "sim/sweep/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "sim/engine/random.hpp"
#include "sim/engine/stats/confidence.hpp"

namespace continuum::sweep {
namespace {

const std::string minimal = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/minimal.yaml";

SweepSpec sweep(const std::string& extra) {
  return parse_sweep("scenario: " + minimal +
                         "\nparameters: {grid: {workload.clients.arrivals.rate: [2/s, 4/s, 6/s]}}\n"
                         "policies: {fcfs: {device_types.server.discipline: fcfs}, ps: "
                         "{device_types.server.discipline: ps}}\n" +
                         extra,
                     std::filesystem::path(CONTINUUM_SOURCE_DIR) / "tests/sweep/inline.yaml");
}

/// A synthetic run: latency_mean = 1 + noise · z with z a deterministic draw of the run's seed, so
/// the result depends only on the run, never on when it completes.
RunRecord fake_run(const SweepSpec& spec, const RunKey& key, double noise) {
  RunRecord record;
  record.key = key;
  record.seed = run_seed(spec.base_seed, key.point, key.replication);
  RandomEngine engine(record.seed + key.policy);
  const double z = uniform_open01(engine) * 2.0 - 1.0;
  record.metrics.values.fill(std::nan(""));
  record.metrics[Metric::latency_mean] = 1.0 + noise * (key.point + 1) * z;
  return record;
}

/// Drives the scheduler to the end, completing the runs in hand in the order `pick` chooses.
std::vector<RunRecord> drive(RunScheduler& scheduler, const SweepSpec& spec, double noise, bool last_first,
                             std::size_t parallel = 3) {
  std::vector<RunKey> in_hand;
  while (!scheduler.finished()) {
    while (in_hand.size() < parallel)
      if (const auto key = scheduler.next())
        in_hand.push_back(*key);
      else
        break;
    EXPECT_FALSE(in_hand.empty()) << "nothing to run, yet not finished";
    if (in_hand.empty()) break;
    const auto it = last_first ? in_hand.end() - 1 : in_hand.begin();
    scheduler.complete(fake_run(spec, *it, noise));
    in_hand.erase(it);
  }
  return scheduler.results();
}

TEST(RunScheduler, HandsOutEveryRunOfAFixedSweepOnce) {
  const SweepSpec spec = sweep("replications: 4\n");
  RunScheduler scheduler(spec, Shard{});
  EXPECT_EQ(scheduler.planned(), 3u * 2u * 4u);
  std::set<RunKey> seen;
  while (const auto key = scheduler.next()) EXPECT_TRUE(seen.insert(*key).second);
  EXPECT_EQ(seen.size(), 24u);
  EXPECT_FALSE(scheduler.finished());  // all handed out, none completed
  for (const auto& key : seen) scheduler.complete(fake_run(spec, key, 0.1));
  EXPECT_TRUE(scheduler.finished());
  const auto results = scheduler.results();
  ASSERT_EQ(results.size(), 24u);
  EXPECT_TRUE(std::is_sorted(results.begin(), results.end(),
                             [](const RunRecord& a, const RunRecord& b) { return a.key < b.key; }));
}

TEST(RunScheduler, DoesNotRepeatRestoredRuns) {
  const SweepSpec spec = sweep("replications: 2\n");
  std::vector<RunRecord> restored{fake_run(spec, {0, 0, 0}, 0.1), fake_run(spec, {2, 1, 1}, 0.1),
                                  fake_run(spec, {9, 0, 0}, 0.1)};  // the last is not in the sweep: ignored
  RunScheduler scheduler(spec, Shard{}, restored);
  EXPECT_EQ(scheduler.restored(), 2u);
  EXPECT_EQ(scheduler.completed(), 2u);
  std::size_t handed = 0;
  while (const auto key = scheduler.next()) {
    EXPECT_NE(*key, (RunKey{0, 0, 0}));
    EXPECT_NE(*key, (RunKey{2, 1, 1}));
    scheduler.complete(fake_run(spec, *key, 0.1));
    ++handed;
  }
  EXPECT_EQ(handed, 12u - 2u);
  EXPECT_TRUE(scheduler.finished());
}

TEST(RunScheduler, AddsReplicationsUntilTheHalfWidthMeetsTheTarget) {
  const SweepSpec spec =
      sweep("stopping: {metric: latency_mean, relative_half_width: 0.05, min: 3, max: 200}\n");
  RunScheduler scheduler(spec, Shard{});
  EXPECT_EQ(scheduler.planned(), 3u * 2u * 3u);
  const auto results = drive(scheduler, spec, 0.1, false);
  // Point p has noise 0.1 (p + 1): wider spread, more replications.
  std::vector<std::uint32_t> count(3, 0);
  for (const auto& r : results)
    if (r.key.policy == 0) ++count[r.key.point];
  EXPECT_LT(count[0], count[2]);
  for (std::uint32_t p = 0; p < 3; ++p) {
    for (std::uint32_t q = 0; q < 2; ++q) {
      std::vector<double> values;
      for (const auto& r : results)
        if (r.key.point == p && r.key.policy == q) values.push_back(r.metrics[Metric::latency_mean]);
      EXPECT_EQ(values.size(), count[p]) << "both policies get the same replications";
      const auto ci = stats::replication_interval(values, 0.95);
      EXPECT_LE(ci.half_width, 0.05 * ci.mean) << "point " << p << " policy " << q;
    }
  }
}

TEST(RunScheduler, StopsAtTheMaximumWhenTheTargetIsOutOfReach) {
  const SweepSpec spec = sweep("stopping: {relative_half_width: 0.0001, min: 2, max: 7}\n");
  RunScheduler scheduler(spec, Shard{});
  const auto results = drive(scheduler, spec, 0.5, false);
  EXPECT_EQ(results.size(), 3u * 2u * 7u);
}

TEST(RunScheduler, PlansTheSameRunsWhateverTheOrderOfCompletion) {
  const SweepSpec spec = sweep("stopping: {relative_half_width: 0.03, min: 3, max: 100}\n");
  RunScheduler in_order(spec, Shard{}), reversed(spec, Shard{}), serial(spec, Shard{});
  const auto a = drive(in_order, spec, 0.1, false, 4);
  const auto b = drive(reversed, spec, 0.1, true, 4);
  const auto c = drive(serial, spec, 0.1, false, 1);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(a[i].same_result(b[i]));
    EXPECT_TRUE(a[i].same_result(c[i]));
  }
}

TEST(RunScheduler, ResumesAStoppingSweepToTheSameRuns) {
  const SweepSpec spec = sweep("stopping: {relative_half_width: 0.03, min: 3, max: 100}\n");
  RunScheduler full(spec, Shard{});
  const auto all = drive(full, spec, 0.1, false);
  // Keep every other run, as a journal might after a kill.
  std::vector<RunRecord> kept;
  for (std::size_t i = 0; i < all.size(); i += 2) kept.push_back(all[i]);
  RunScheduler resumed(spec, Shard{}, kept);
  const auto again = drive(resumed, spec, 0.1, true);
  ASSERT_EQ(again.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_TRUE(all[i].same_result(again[i]));
}

TEST(RunScheduler, ShardsTogetherMakeExactlyTheRunsOfTheWholeSweep) {
  for (const char* extra :
       {"replications: 5\n", "stopping: {relative_half_width: 0.03, min: 3, max: 50}\n"}) {
    const SweepSpec spec = sweep(extra);
    RunScheduler whole(spec, Shard{});
    const auto all = drive(whole, spec, 0.1, false);
    std::vector<RunRecord> union_of_shards;
    for (std::uint32_t i = 0; i < 3; ++i) {
      RunScheduler part(spec, Shard{i, 3});
      const auto runs = drive(part, spec, 0.1, false);
      union_of_shards.insert(union_of_shards.end(), runs.begin(), runs.end());
    }
    std::sort(union_of_shards.begin(), union_of_shards.end(),
              [](const RunRecord& a, const RunRecord& b) { return a.key < b.key; });
    ASSERT_EQ(union_of_shards.size(), all.size()) << extra;
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_TRUE(all[i].same_result(union_of_shards[i])) << extra;
  }
}

}  // namespace
}  // namespace continuum::sweep
