#include "policies/faas/hybrid_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "policies/faas/fixed_keep_alive.hpp"
#include "tests/models/faas/faas_test_driver.hpp"

namespace continuum::faas {
namespace {

using Regime = HybridHistogramKeepAlive::Regime;

TEST(HybridHistogramKeepAlive, FallsBackToTheFixedKeepAliveWhileTheHistogramIsThin) {
  HybridHistogramKeepAlive policy({.keep_alive = 600.0, .min_samples = 10.0});
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(policy.regime(), Regime::thin);
    const KeepAliveDecision decision = policy.on_instance_idle(0.0);
    EXPECT_EQ(decision.prewarm, 0.0);
    EXPECT_EQ(decision.keep_alive, 600.0);
    policy.on_idle_time(1799.0);
  }
  policy.on_idle_time(1799.0);
  EXPECT_EQ(policy.regime(), Regime::pattern);
}

TEST(HybridHistogramKeepAlive, SetsThePreWarmAndKeepAliveWindowsFromTheHeadAndTailBins) {
  HybridHistogramKeepAlive policy({});  // 240 one-minute bins, 5th/99th percentiles, 10 % margin
  policy.on_idle_time(100.0);           // bin 1
  for (int i = 0; i < 19; ++i) policy.on_idle_time(1799.0);  // bin 29
  ASSERT_EQ(policy.regime(), Regime::pattern);
  // 5th percentile: rank ⌈0.05·20⌉ = 1 → bin 1, head 60 s; 99th: rank 20 → bin 29, tail 1800 s.
  EXPECT_EQ(policy.percentile_bin(5.0), 1u);
  EXPECT_EQ(policy.percentile_bin(99.0), 29u);
  const KeepAliveDecision decision = policy.decision();
  EXPECT_DOUBLE_EQ(decision.prewarm, 60.0 * 0.9);
  EXPECT_DOUBLE_EQ(decision.keep_alive, 1800.0 * 1.1 - 60.0 * 0.9);
}

TEST(HybridHistogramKeepAlive, KeepsForTheWholeRangeWhenIdleTimesShowNoPattern) {
  HybridHistogramKeepAlive policy({});
  for (int i = 0; i < 2400; ++i) policy.on_idle_time(6.0 * i + 3.0);  // ten per bin, flat
  EXPECT_NEAR(policy.bin_count_cv(), 0.0, 1e-9);
  EXPECT_EQ(policy.regime(), Regime::uncertain);
  const KeepAliveDecision decision = policy.decision();
  EXPECT_EQ(decision.prewarm, 0.0);
  EXPECT_EQ(decision.keep_alive, 14400.0);
}

TEST(HybridHistogramKeepAlive, FallsBackToTheFixedKeepAliveWhenMostIdleTimesAreOutOfRange) {
  HybridHistogramKeepAlive policy({.keep_alive = 300.0});
  for (int i = 0; i < 10; ++i) policy.on_idle_time(5 * 3600.0);
  for (int i = 0; i < 9; ++i) policy.on_idle_time(30.0);
  EXPECT_EQ(policy.out_of_bounds(), 10u);
  EXPECT_EQ(policy.regime(), Regime::out_of_bounds);
  EXPECT_EQ(policy.decision().keep_alive, 300.0);
  policy.on_idle_time(30.0);  // 10 of 20: still at the 0.5 threshold
  EXPECT_EQ(policy.regime(), Regime::out_of_bounds);
  policy.on_idle_time(30.0);
  EXPECT_EQ(policy.regime(), Regime::pattern);
  EXPECT_EQ(policy.decision().prewarm, 0.0);  // head in bin 0
  EXPECT_DOUBLE_EQ(policy.decision().keep_alive, 60.0 * 1.1);
}

TEST(HybridHistogramKeepAlive, AgreesWithADirectComputationOfCvAndPercentiles) {
  HybridHistogramKeepAlive policy({.range = 3000.0, .bin_width = 100.0});
  boost::random::mt19937_64 engine(5);
  boost::random::uniform_real_distribution<double> skewed(0.0, 1.0);
  std::vector<double> counts(30, 0.0);
  for (int i = 0; i < 5000; ++i) {
    const double idle = 3000.0 * std::pow(skewed(engine), 3.0);
    policy.on_idle_time(idle);
    counts[static_cast<std::size_t>(idle / 100.0)] += 1.0;
    if (i % 97 != 0) continue;
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    const double mean = total / 30.0;
    double square = 0.0;
    for (const double c : counts) square += (c - mean) * (c - mean);
    ASSERT_NEAR(policy.bin_count_cv(), std::sqrt(square / 30.0) / mean, 1e-9);
    for (const double p : {1.0, 5.0, 50.0, 99.0, 100.0}) {
      const double rank = std::max(1.0, std::ceil(p / 100.0 * total - 1e-9));
      std::size_t bin = 0;
      for (double cumulative = counts[0]; cumulative < rank; cumulative += counts[++bin]) {
      }
      ASSERT_EQ(policy.percentile_bin(p), bin) << "p = " << p << " after " << i + 1;
    }
  }
}

TEST(HybridHistogramKeepAlive, RefusesInconsistentParameters) {
  EXPECT_THROW(HybridHistogramKeepAlive({.head_percentile = 99.5, .tail_percentile = 99.0}),
               std::invalid_argument);
  EXPECT_THROW(HybridHistogramKeepAlive({.range = 30.0, .bin_width = 60.0}), std::invalid_argument);
  EXPECT_THROW(HybridHistogramKeepAlive({.margin = 1.0}), std::invalid_argument);
  EXPECT_THROW(HybridHistogramKeepAlive({.keep_alive = -1.0}), std::invalid_argument);
  HybridHistogramKeepAlive policy({});
  EXPECT_THROW(static_cast<void>(policy.percentile_bin(50.0)), std::logic_error);
}

/// A function invoked every 30 min (deterministic), served in 1 s warm / 2 s cold, 60 periods;
/// measured after the first 20. A fixed 10-min keep-alive makes every invocation cold.
struct PeriodicRun {
  std::vector<bool> cold;  // by invocation
  FaasFunctionReport report;
};

/// `inspect` runs after the simulation, while the policy (owned by the platform) still exists.
PeriodicRun run_periodic(std::unique_ptr<KeepAlivePolicy> policy, const std::function<void()>& inspect = {}) {
  Simulation simulation(1);
  simulation.set_warmup(20 * 1800.0 + 900.0);
  faas_test::FaasDriver driver(simulation,
                               {.name = "report",
                                .memory = 1073741824.0,
                                .warm = Distribution::deterministic(1.0),
                                .cold = Distribution::deterministic(2.0),
                                .keep_alive = 600.0},
                               {}, std::move(policy));
  driver.renewal(Distribution::deterministic(1800.0));
  simulation.run({.until = 60 * 1800.0 + 900.0});
  PeriodicRun run{std::vector<bool>(driver.done().size()), driver.function().report(simulation.now())};
  for (const auto& done : driver.done()) run.cold.at(done.job) = done.completion.cold;
  if (inspect) inspect();
  return run;
}

TEST(HybridHistogramKeepAlive, LearnsAPeriodicWorkloadAndPreWarmsBeforeEachInvocation) {
  const PeriodicRun fixed = run_periodic(std::make_unique<FixedKeepAlive>(600.0));
  auto owned = std::make_unique<HybridHistogramKeepAlive>(HybridHistogramParameters{.keep_alive = 600.0});
  const HybridHistogramKeepAlive& hybrid_policy = *owned;
  // The policy dies with the platform when run_periodic returns (UBSan caught a read after that).
  HybridHistogramKeepAlive::Regime regime{};
  double prewarm = 0.0;
  const PeriodicRun hybrid = run_periodic(std::move(owned), [&] {
    regime = hybrid_policy.regime();
    prewarm = hybrid_policy.decision().prewarm;
  });
  ASSERT_EQ(fixed.cold.size(), 60u);
  ASSERT_EQ(hybrid.cold.size(), 60u);
  for (std::size_t job = 0; job < 60; ++job) EXPECT_TRUE(fixed.cold[job]) << job;
  // Idle times are observed from the second invocation on; while fewer than 10 are known the
  // policy is the fixed one, so invocations 0..10 are cold like the fixed policy's. The decision
  // taken when invocation 10 finishes has 10 idle times (all ≈ 1798 s, bin 29): pre-warm after
  // 1740·0.9 = 1566 s, keep 1800·1.1 − 1566 = 414 s, so invocation 11 on are warm.
  for (std::size_t job = 0; job <= 10; ++job) EXPECT_TRUE(hybrid.cold[job]) << job;
  for (std::size_t job = 11; job < 60; ++job) EXPECT_FALSE(hybrid.cold[job]) << job;
  EXPECT_EQ(regime, HybridHistogramKeepAlive::Regime::pattern);
  EXPECT_DOUBLE_EQ(prewarm, 1566.0);
  // After the warm-up: no cold start, and each period holds the instance 1 s (service) + the
  // 233 s between the reload (idle + 1566 s) and the next invocation (idle + 1799 s), against
  // 2 + 600 s with the fixed policy.
  EXPECT_EQ(hybrid.report.cold_start_probability, 0.0);
  EXPECT_EQ(fixed.report.cold_start_probability, 1.0);
  EXPECT_NEAR(hybrid.report.average_instances, 234.0 / 1800.0, 1e-3);
  EXPECT_NEAR(fixed.report.average_instances, 602.0 / 1800.0, 1e-3);
  EXPECT_EQ(hybrid.report.prewarm_loads, 40u);
}

}  // namespace
}  // namespace continuum::faas
