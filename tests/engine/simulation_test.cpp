#include "sim/engine/simulation.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace continuum {
namespace {

/// Reschedules itself every `period` seconds and counts its firings.
struct Ticker final : EventHandler {
  SimTime period;
  std::vector<SimTime> fired;
  explicit Ticker(SimTime p) : period(p) {}
  void on_event(Simulation& simulation, std::uint32_t, std::uint64_t) override {
    fired.push_back(simulation.now());
    simulation.count_completed_request();
    simulation.schedule_in(period, *this, 0);
  }
};

TEST(Simulation, StopsAtTheHorizonWithTheClockOnIt) {
  Simulation simulation(1);
  Ticker ticker(1.0);
  simulation.schedule_at(1.0, ticker, 0);
  const auto outcome = simulation.run({.until = 10.5});
  EXPECT_EQ(outcome.reason, StopReason::horizon_reached);
  EXPECT_DOUBLE_EQ(simulation.now(), 10.5);
  EXPECT_EQ(ticker.fired.size(), 10u);
}

TEST(Simulation, StopsAfterNEventsOrNRequests) {
  Simulation simulation(1);
  Ticker ticker(1.0);
  simulation.schedule_at(0.0, ticker, 0);
  auto outcome = simulation.run({.max_events = 5});
  EXPECT_EQ(outcome.reason, StopReason::event_limit);
  EXPECT_EQ(outcome.events, 5u);
  outcome = simulation.run({.max_requests = 8});
  EXPECT_EQ(outcome.reason, StopReason::request_limit);
  EXPECT_EQ(simulation.completed_requests(), 8u);
}

TEST(Simulation, ReportsWhenNoEventsRemain) {
  Simulation simulation(1);
  EXPECT_EQ(simulation.run({}).reason, StopReason::no_more_events);
}

TEST(Simulation, WarmupListenersRunOnceAtTheWarmupTime) {
  Simulation simulation(1);
  Ticker ticker(1.0);
  simulation.schedule_at(0.5, ticker, 0);
  std::vector<SimTime> calls;
  simulation.set_warmup(3.2);
  simulation.on_warmup_end([&](SimTime t) { calls.push_back(t); });
  simulation.run({.until = 10});
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_DOUBLE_EQ(calls[0], 3.2);
}

TEST(Simulation, RefusesToScheduleInThePast) {
  Simulation simulation(1);
  Ticker ticker(1.0);
  simulation.schedule_at(2.0, ticker, 0);
  simulation.run({.max_events = 1});
  EXPECT_THROW(simulation.schedule_at(1.0, ticker, 0), std::logic_error);
}

TEST(Simulation, FingerprintIsRepeatableAndSensitiveToTheEventSequence) {
  auto fingerprint = [](SimTime period) {
    Simulation simulation(1);
    simulation.enable_fingerprint();
    Ticker ticker(period);
    simulation.schedule_at(0.0, ticker, 0);
    simulation.run({.max_events = 1000});
    return simulation.fingerprint();
  };
  EXPECT_EQ(fingerprint(1.0), fingerprint(1.0));
  EXPECT_NE(fingerprint(1.0), fingerprint(1.25));
}

}  // namespace
}  // namespace continuum
