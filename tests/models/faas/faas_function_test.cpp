// Behaviour of one FaaS function on hand-checkable traces: deterministic service times and
// invocations at scripted times, so every expected number below can be worked out on paper.
#include "models/faas/faas_function.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "models/faas/faas_billing.hpp"
#include "tests/models/faas/faas_test_driver.hpp"

namespace continuum {
namespace {

using faas_test::FaasDriver;

FaasFunctionSpec deterministic_function(double warm, double cold, double keep_alive) {
  return {.name = "f",
          .memory = 512.0 * 1024 * 1024,
          .warm = Distribution::deterministic(warm),
          .cold = Distribution::deterministic(cold),
          .keep_alive = keep_alive};
}

std::vector<bool> cold_flags(const FaasDriver& driver) {
  std::vector<bool> flags(driver.done().size());
  for (const auto& done : driver.done()) flags.at(done.job) = done.completion.cold;
  return flags;
}

TEST(FaasFunction, TheMostRecentlyCreatedIdleInstanceServesAWarmRequest) {
  Simulation simulation(1);
  FaasDriver driver(simulation, deterministic_function(1.0, 2.0, 100.0));
  driver.at({0.0, 0.5, 1.0});  // three cold starts: instances of order 0, 1, 2, all idle from t = 3
  simulation.run({.until = 5.0});
  ASSERT_EQ(driver.function().idle_instances(), 3u);
  ASSERT_TRUE(driver.function().invoke(100));
  EXPECT_EQ(driver.function().instance_order_of(100), 2u);  // the newest
  ASSERT_TRUE(driver.function().invoke(101));
  EXPECT_EQ(driver.function().instance_order_of(101), 1u);  // the newest of those still idle
  simulation.run({.until = 5.5});                           // both finish at 6
  ASSERT_TRUE(driver.function().invoke(102));
  EXPECT_EQ(driver.function().instance_order_of(102), 0u);
  const FaasFunctionReport report = driver.function().report(simulation.now());
  EXPECT_EQ(report.cold_starts, 3u);
  EXPECT_EQ(report.warm_starts, 3u);
  EXPECT_EQ(driver.function().instances(), 3u);
}

TEST(FaasFunction, AnIdleInstanceExpiresAfterItsKeepAliveAndAReuseRestartsTheClock) {
  for (const ExpiryTimers expiry : {ExpiryTimers::lazy, ExpiryTimers::cancel}) {
    Simulation simulation(1);
    FaasDriver driver(simulation, deterministic_function(1.0, 2.0, 10.0), {}, nullptr, {.expiry = expiry});
    // Cold at 0 (idle from 2, would expire at 12); warm at 11.5 (idle from 12.5, expires 22.5);
    // warm at 22.4 (idle from 23.4, expires 33.4); cold again at 40.
    driver.at({0.0, 11.5, 22.4, 40.0});
    simulation.run({.until = 33.3});
    EXPECT_EQ(driver.function().instances(), 1u);
    simulation.run({.until = 33.5});
    EXPECT_EQ(driver.function().instances(), 0u);
    simulation.run({.until = 100.0});
    EXPECT_EQ(cold_flags(driver), (std::vector<bool>{true, false, false, true}));
    const FaasFunctionReport report = driver.function().report(100.0);
    EXPECT_EQ(report.expirations, 2u);                                   // at 33.4 and at 52
    EXPECT_DOUBLE_EQ(report.mean_instance_lifespan, (33.4 + 12.0) / 2);  // 0 → 33.4 and 40 → 52
    // Instance-time: [0, 33.4] and [40, 52] → 45.4 s over 100 s.
    EXPECT_NEAR(report.average_instances, 45.4 / 100.0, 1e-12);
    // Running: 2 + 1 + 1 + 2 s.
    EXPECT_NEAR(report.average_running, 6.0 / 100.0, 1e-12);
    EXPECT_NEAR(report.average_idle, 39.4 / 100.0, 1e-12);
    EXPECT_NEAR(report.mean_response_time, 1.5, 1e-12);
  }
}

TEST(FaasFunction, AnInfiniteKeepAliveNeverTerminatesAnInstanceAndLeavesNoTimer) {
  for (const ExpiryTimers expiry : {ExpiryTimers::lazy, ExpiryTimers::cancel}) {
    Simulation simulation(1);
    FaasDriver driver(simulation, deterministic_function(1.0, 2.0, time_infinity), {}, nullptr,
                      {.expiry = expiry});
    driver.at({0.0, 5.0});
    const RunOutcome outcome = simulation.run({});  // no horizon: runs until nothing is pending
    EXPECT_EQ(outcome.reason, StopReason::no_more_events);
    EXPECT_DOUBLE_EQ(outcome.end_time, 6.0);
    EXPECT_EQ(driver.function().instances(), 1u);
    EXPECT_EQ(cold_flags(driver), (std::vector<bool>{true, false}));
  }
}

TEST(FaasFunction, RejectsAnArrivalThatNeedsAnInstanceBeyondTheLimit) {
  Simulation simulation(1);
  FaasFunctionSpec spec = deterministic_function(10.0, 10.0, 600.0);
  spec.max_instances = 2;
  FaasDriver driver(simulation, spec);
  driver.at({0.0, 1.0, 2.0, 11.0});  // the third finds two busy instances; the fourth one idle
  simulation.run({.until = 50.0});
  EXPECT_EQ(driver.accepted(), (std::vector<bool>{true, true, false, true}));
  const FaasFunctionReport report = driver.function().report(50.0);
  EXPECT_EQ(report.rejections, 1u);
  EXPECT_DOUBLE_EQ(report.rejection_probability, 0.25);
  EXPECT_DOUBLE_EQ(report.cold_start_probability, 0.5);
  EXPECT_EQ(report.completions, 3u);
  EXPECT_DOUBLE_EQ(report.peak_instances, 2.0);
}

TEST(FaasFunction, AnInstanceWithConcurrencyServesSeveralRequestsOnceItHasStarted) {
  Simulation simulation(1);
  FaasFunctionSpec spec = deterministic_function(5.0, 2.0, 600.0);
  spec.concurrency = 3;
  FaasDriver driver(simulation, spec);
  FaasFunction& function = driver.function();
  // 0: cold on A (starting until 2); 1: A is still starting, so cold on B (ready at 3).
  driver.at({0.0, 1.0});
  simulation.run({.until = 4.0});
  ASSERT_EQ(function.instances(), 2u);
  ASSERT_EQ(function.running_instances(), 0u);
  // At 4 both are ready and idle: B (newer) takes three requests, then A.
  for (JobId job = 10; job < 14; ++job) ASSERT_TRUE(function.invoke(job));
  EXPECT_EQ(function.instance_order_of(10), 1u);
  EXPECT_EQ(function.instance_order_of(11), 1u);
  EXPECT_EQ(function.instance_order_of(12), 1u);
  EXPECT_EQ(function.instance_order_of(13), 0u);
  EXPECT_EQ(function.running_instances(), 2u);
  EXPECT_EQ(function.requests_in_service(), 4u);
  simulation.run({.until = 8.0});
  ASSERT_TRUE(function.invoke(14));  // A has two free slots, B none
  EXPECT_EQ(function.instance_order_of(14), 0u);
  simulation.run({.until = 9.5});  // B's three requests finished at 9: B is idle and newest again
  ASSERT_TRUE(function.invoke(15));
  EXPECT_EQ(function.instance_order_of(15), 1u);
  simulation.run({.until = 20.0});
  const FaasFunctionReport report = function.report(20.0);
  EXPECT_EQ(report.cold_starts, 2u);
  EXPECT_EQ(report.warm_starts, 6u);
  // Requests in service integrate to 2 + 2 + 6·5 = 34 s; instances running: A [0,2] ∪ [4,13],
  // B [1,3] ∪ [4,9] ∪ [9.5,14.5] → 11 + 12 = 23 s.
  EXPECT_NEAR(report.average_in_service, 34.0 / 20.0, 1e-12);
  EXPECT_NEAR(report.average_running, 23.0 / 20.0, 1e-12);
}

TEST(FaasFunction, AddsTheStartUpDelayToColdStartsOnly) {
  Simulation simulation(1);
  FaasFunctionSpec spec = deterministic_function(1.0, 2.0, 600.0);
  spec.startup_delay = 3.0;
  FaasDriver driver(simulation, spec);
  driver.at({0.0, 10.0});
  simulation.run({.until = 20.0});
  ASSERT_EQ(driver.done().size(), 2u);
  EXPECT_DOUBLE_EQ(driver.done()[0].completion.finish, 5.0);
  EXPECT_TRUE(driver.done()[0].completion.cold);
  EXPECT_DOUBLE_EQ(driver.done()[1].completion.finish, 11.0);
  EXPECT_FALSE(driver.done()[1].completion.cold);
}

TEST(FaasFunction, CountsOnlyWhatHappensAfterTheWarmUp) {
  Simulation simulation(1);
  simulation.set_warmup(50.0);
  FaasDriver driver(simulation, deterministic_function(1.0, 2.0, 60.0));
  // Cold at 0, warm at 10 (idle from 11) | warm at 60 (idle from 61, expires 121), cold at 130.
  driver.at({0.0, 10.0, 60.0, 130.0});
  simulation.run({.until = 150.0});
  const FaasFunctionReport report = driver.function().report(150.0);
  EXPECT_DOUBLE_EQ(report.window, 100.0);
  EXPECT_EQ(report.arrivals, 2u);
  EXPECT_EQ(report.warm_starts, 1u);
  EXPECT_EQ(report.cold_starts, 1u);
  EXPECT_EQ(report.expirations, 1u);
  EXPECT_DOUBLE_EQ(report.mean_instance_lifespan, 121.0);  // the whole life, as SimFaaS reports it
  // Instances over [50, 150]: [50, 121] and [130, 150] → 91 s.
  EXPECT_NEAR(report.average_instances, 91.0 / 100.0, 1e-12);
  EXPECT_DOUBLE_EQ(report.billed_seconds, 3.0);
}

TEST(FaasFunction, DrawsServiceTimesFromItsOwnNamedStreams) {
  FaasFunctionSpec spec = deterministic_function(1.0, 1.0, 5000.0);
  spec.warm = Distribution::exponential(2.0);
  spec.cold = Distribution::exponential(3.0);
  Simulation simulation(42);
  FaasDriver driver(simulation, spec);
  driver.at({0.0, 1000.0});
  simulation.run({.until = 2000.0});
  Simulation reference(42);
  const double cold = spec.cold.sample(reference.random_stream("faas/f/cold"));
  const double warm = spec.warm.sample(reference.random_stream("faas/f/warm"));
  ASSERT_EQ(driver.done().size(), 2u);
  EXPECT_DOUBLE_EQ(driver.done()[0].completion.finish, cold);
  EXPECT_NEAR(driver.done()[1].completion.finish - 1000.0, warm, 1e-9);
}

TEST(FaasFunction, LazyAndCancelledExpiryTimersGiveTheSameRun) {
  FaasFunctionSpec spec{.name = "f",
                        .warm = Distribution::exponential(1.991),
                        .cold = Distribution::exponential(2.244),
                        .keep_alive = 60.0};
  FaasFunctionReport reports[2];
  std::uint64_t events[2];
  int i = 0;
  for (const ExpiryTimers expiry : {ExpiryTimers::lazy, ExpiryTimers::cancel}) {
    Simulation simulation(3);
    FaasDriver driver(simulation, spec, {}, nullptr, {.expiry = expiry});
    driver.poisson(2.0);
    simulation.run({.until = 2e4});
    reports[i] = driver.function().report(simulation.now());
    events[i++] = simulation.events_processed();
  }
  EXPECT_EQ(reports[0].cold_starts, reports[1].cold_starts);
  EXPECT_EQ(reports[0].expirations, reports[1].expirations);
  EXPECT_DOUBLE_EQ(reports[0].average_instances, reports[1].average_instances);
  EXPECT_DOUBLE_EQ(reports[0].mean_instance_lifespan, reports[1].mean_instance_lifespan);
  EXPECT_GT(reports[0].expirations, 100u);
  // Lazy timers fire more often (a reused instance's timer fires and re-arms) but never cancel;
  // both process every arrival and completion.
  EXPECT_GT(events[0], events[1]);
}

/// A scripted policy: a fixed pre-warm decision, recording the idle times it is told.
class ScriptedPrewarm final : public KeepAlivePolicy {
 public:
  ScriptedPrewarm(KeepAliveDecision decision, std::vector<double>& idle_times)
      : decision_(decision), idle_times_(idle_times) {}
  std::string_view name() const override { return "scripted"; }
  KeepAliveDecision on_instance_idle(SimTime) override { return decision_; }
  void on_idle_time(double idle_time) override { idle_times_.push_back(idle_time); }

 private:
  KeepAliveDecision decision_;
  std::vector<double>& idle_times_;
};

TEST(FaasFunction, PreWarmingUnloadsAnIdleInstanceAndLoadsItBackLater) {
  Simulation simulation(1);
  std::vector<double> idle_times;
  FaasDriver driver(simulation, deterministic_function(1.0, 1.0, 600.0), {},
                    std::make_unique<ScriptedPrewarm>(KeepAliveDecision{5.0, 3.0}, idle_times));
  FaasFunction& function = driver.function();
  // 0: cold, idle at 1 → unloaded, reloaded at 6, kept until 9.
  // 7: warm on the reloaded instance; idle at 8 → unloaded, reload due at 13.
  // 10: before the reload: a cold start on the unloaded instance, the reload is dropped; idle at 11
  //     → unloaded, reloaded at 16, terminated at 19.
  driver.at({0.0, 7.0, 10.0});
  simulation.run({.until = 3.0});
  EXPECT_EQ(function.instances(), 0u);
  simulation.run({.until = 6.5});
  EXPECT_EQ(function.instances(), 1u);
  simulation.run({.until = 30.0});
  EXPECT_EQ(cold_flags(driver), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(idle_times, (std::vector<double>{6.0, 2.0}));
  const FaasFunctionReport report = function.report(30.0);
  EXPECT_EQ(report.prewarm_releases, 3u);
  EXPECT_EQ(report.prewarm_loads, 2u);
  EXPECT_EQ(report.expirations, 1u);
  // Loaded: [0,1], [6,8], [10,11], [16,19] → 7 s; lifespans 1, 2, 1, 3.
  EXPECT_NEAR(report.average_instances, 7.0 / 30.0, 1e-12);
  EXPECT_DOUBLE_EQ(report.mean_instance_lifespan, 7.0 / 4.0);
}

TEST(FaasFunction, ReportsTheIdleTimeAsZeroWhileRequestsAreInService) {
  Simulation simulation(1);
  std::vector<double> idle_times;
  FaasDriver driver(simulation, deterministic_function(4.0, 4.0, 600.0), {},
                    std::make_unique<ScriptedPrewarm>(KeepAliveDecision{0.0, 600.0}, idle_times));
  driver.at({0.0, 1.0, 10.0, 12.0});  // finishes at 4 and 5; 10 finds none in service; 12 overlaps
  simulation.run({.until = 30.0});
  EXPECT_EQ(idle_times, (std::vector<double>{5.0, 0.0}));  // nothing before the first completion
}

TEST(FaasFunction, BillsAHandComputedTraceExactly) {
  FaasFunctionSpec spec = deterministic_function(1.5, 4.0, 600.0);
  spec.startup_delay = 1.0;  // a cold request takes 1 + 4 = 5 s
  const double price = 0.0000166667;
  const double per_call = 2e-7;
  for (const bool bill_cold : {true, false}) {
    Simulation simulation(1);
    const FaasPricing pricing{
        .price_per_gb_second = price, .price_per_invocation = per_call, .bill_cold_time = bill_cold};
    FaasDriver driver(simulation, spec, pricing);
    driver.at({0.0, 10.0, 20.0, 30.0});
    simulation.run({.until = 40.0});
    const FaasFunctionReport report = driver.function().report(40.0);
    // Billed: cold 5 s (or the mean warm time 1.5 s) + 3 warm × 1.5 s; memory 0.5 GiB.
    const double billed = bill_cold ? 9.5 : 6.0;
    EXPECT_DOUBLE_EQ(report.billed_seconds, billed);
    EXPECT_DOUBLE_EQ(report.billed_gb_seconds, billed * 0.5);
    EXPECT_DOUBLE_EQ(report.pay_per_use_cost, billed * 0.5 * price + 4 * per_call);
    EXPECT_DOUBLE_EQ(report.cost, report.pay_per_use_cost);
    // The instance holds 0.5 GiB over the whole 40 s.
    EXPECT_DOUBLE_EQ(report.instance_gb_seconds, 20.0);
    // SPACE4AI-D with the derived price per warm second (0.5 GiB × price): 4 × 1.5 s of warm time.
    EXPECT_DOUBLE_EQ(report.space4ai_cost, (0.5 * price * 1.5 + per_call) * 4);
    if (!bill_cold) {
      EXPECT_DOUBLE_EQ(report.space4ai_cost, report.pay_per_use_cost);
    }
  }
}

TEST(FaasFunction, CostFollowsTheSpace4aiConventionWhenThePlatformSaysSo) {
  FaasFunctionSpec spec = deterministic_function(2.0, 3.0, 600.0);
  spec.price_per_warm_second = 0.75 / 3600.0;  // 0.75 per hour of warm execution
  Simulation simulation(1);
  FaasDriver driver(simulation, spec, {.price_per_invocation = 0.01, .billing = FaasBillingModel::space4ai});
  driver.at({0.0, 5.0, 9.0});
  simulation.run({.until = 20.0});
  const FaasFunctionReport report = driver.function().report(20.0);
  EXPECT_DOUBLE_EQ(report.space4ai_cost, (0.75 / 3600.0 * 2.0 + 0.01) * 3);
  EXPECT_DOUBLE_EQ(report.cost, report.space4ai_cost);
  EXPECT_DOUBLE_EQ(report.pay_per_use_cost, 0.03);  // no GB-second price: invocations only
}

TEST(FaasFunction, RefusesASpecThatCannotRun) {
  Simulation simulation(1);
  auto make = [&](auto change) {
    FaasFunctionSpec spec = deterministic_function(1.0, 1.0, 600.0);
    change(spec);
    FaasDriver driver(simulation, spec);
  };
  EXPECT_THROW(make([](FaasFunctionSpec& s) { s.concurrency = 0; }), std::invalid_argument);
  EXPECT_THROW(make([](FaasFunctionSpec& s) { s.max_instances = 0; }), std::invalid_argument);
  EXPECT_THROW(make([](FaasFunctionSpec& s) { s.keep_alive = -1.0; }), std::invalid_argument);
  EXPECT_THROW(make([](FaasFunctionSpec& s) { s.memory = -1.0; }), std::invalid_argument);
  EXPECT_THROW(make([](FaasFunctionSpec& s) { s.startup_delay = std::nan(""); }), std::invalid_argument);
  EXPECT_NO_THROW(make([](FaasFunctionSpec& s) { s.keep_alive = 0.0; }));
}

TEST(FaasFunction, AReportWithoutArrivalsHasNoProbabilities) {
  Simulation simulation(1);
  FaasDriver driver(simulation, deterministic_function(1.0, 1.0, 600.0));
  const FaasFunctionReport report = driver.function().report(0.0);
  EXPECT_TRUE(std::isnan(report.cold_start_probability));
  EXPECT_TRUE(std::isnan(report.mean_instance_lifespan));
  EXPECT_EQ(report.name, "f");
  EXPECT_THROW(static_cast<void>(driver.function().instance_order_of(3)), std::invalid_argument);
}

}  // namespace
}  // namespace continuum
