#include "sim/engine/stats/time_weighted.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace continuum::stats {
namespace {

// The step function used below: 0 on [0, 1), 2 on [1, 3), 5 on [3, 4), 4 from 4 on.
TimeWeighted step_function() {
  TimeWeighted tw;
  tw.set(1.0, 2.0);
  tw.set(3.0, 5.0);
  tw.add(4.0, -1.0);
  return tw;
}

TEST(TimeWeighted, IntegratesAKnownStepFunction) {
  const TimeWeighted tw = step_function();
  EXPECT_EQ(tw.value(), 4.0);
  EXPECT_DOUBLE_EQ(tw.integral(4.0), 0.0 * 1 + 2.0 * 2 + 5.0 * 1);
  EXPECT_DOUBLE_EQ(tw.integral(6.0), 9.0 + 4.0 * 2);
  EXPECT_DOUBLE_EQ(tw.mean(6.0), 17.0 / 6.0);
  EXPECT_EQ(tw.max(), 5.0);
  EXPECT_EQ(tw.start_time(), 0.0);
}

TEST(TimeWeighted, QueryingInTheMiddleOfAStepCountsOnlyTheElapsedPart) {
  TimeWeighted tw(10.0, 3.0);  // starts at t = 10 with value 3
  EXPECT_DOUBLE_EQ(tw.integral(10.5), 1.5);
  EXPECT_DOUBLE_EQ(tw.mean(10.5), 3.0);
  tw.set(12.0, 1.0);
  EXPECT_DOUBLE_EQ(tw.integral(13.0), 3.0 * 2 + 1.0 * 1);
  EXPECT_DOUBLE_EQ(tw.mean(13.0), 7.0 / 3.0);
}

TEST(TimeWeighted, MeanIsTheCurrentValueWhenNoTimeHasElapsed) {
  TimeWeighted tw(2.0, 7.0);
  EXPECT_EQ(tw.mean(2.0), 7.0);
  tw.set(2.0, 9.0);  // a change at the start instant adds no area
  EXPECT_EQ(tw.integral(2.0), 0.0);
  EXPECT_EQ(tw.mean(2.0), 9.0);
}

TEST(TimeWeighted, ResetRestartsTheWindowAndKeepsTheValue) {
  TimeWeighted tw = step_function();
  tw.reset(5.0);  // the end of a warm-up
  EXPECT_EQ(tw.start_time(), 5.0);
  EXPECT_EQ(tw.value(), 4.0);
  EXPECT_EQ(tw.max(), 4.0);  // the old peak of 5 is forgotten, the current value counts
  EXPECT_EQ(tw.integral(5.0), 0.0);
  EXPECT_EQ(tw.mean(5.0), 4.0);
  EXPECT_DOUBLE_EQ(tw.integral(7.0), 8.0);
  tw.set(7.0, 1.0);
  EXPECT_DOUBLE_EQ(tw.integral(9.0), 8.0 + 2.0);
  EXPECT_DOUBLE_EQ(tw.mean(9.0), 10.0 / 4.0);
  EXPECT_EQ(tw.max(), 4.0);
}

TEST(TimeWeighted, IntegratingPowerGivesEnergy) {
  // 3.5 W idle, 10 W for a 2 s job, idle again: 8 s of 3.5 W + 2 s of 10 W = 48 J over 10 s.
  TimeWeighted power(0.0, 3.5);
  power.add(4.0, 6.5);
  power.add(6.0, -6.5);
  EXPECT_DOUBLE_EQ(power.integral(10.0), 48.0);
  EXPECT_DOUBLE_EQ(power.mean(10.0), 4.8);
  EXPECT_EQ(power.max(), 10.0);
}

TEST(TimeWeighted, RefusesTimeGoingBack) {
  TimeWeighted tw;
  tw.set(5.0, 1.0);
  EXPECT_THROW(tw.set(4.0, 2.0), std::invalid_argument);
  EXPECT_THROW(tw.add(4.9, 1.0), std::invalid_argument);
  EXPECT_THROW((void)tw.integral(3.0), std::invalid_argument);
  EXPECT_THROW(tw.reset(1.0), std::invalid_argument);
  EXPECT_EQ(tw.value(), 1.0);  // the refused changes left no trace
  EXPECT_DOUBLE_EQ(tw.integral(6.0), 1.0);
}

}  // namespace
}  // namespace continuum::stats
