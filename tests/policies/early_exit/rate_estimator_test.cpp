#include "policies/early_exit/rate_estimator.hpp"

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

namespace continuum::early_exit {
namespace {

TEST(RateEstimator, HasNoEstimateBeforeTheSecondArrival) {
  RateEstimator estimator(4);
  EXPECT_FALSE(estimator.has_estimate());
  EXPECT_EQ(estimator.rate(), 0.0);
  estimator.on_arrival(3.0);
  EXPECT_FALSE(estimator.has_estimate());
  EXPECT_EQ(estimator.rate(), 0.0);
}

TEST(RateEstimator, IsTheReciprocalOfTheMeanGapBeforeTheWindowFills) {
  RateEstimator estimator(4);
  // gaps 0.5 and 1.5: mean 1 s
  for (double t : {10.0, 10.5, 12.0}) estimator.on_arrival(t);
  EXPECT_EQ(estimator.gap_count(), 2u);
  EXPECT_DOUBLE_EQ(estimator.mean_gap(), 1.0);
  EXPECT_DOUBLE_EQ(estimator.rate(), 1.0);
}

TEST(RateEstimator, KeepsOnlyTheLastWindowOfGaps) {
  RateEstimator estimator(3);
  // gaps 1, 1, 1, 0.25, 0.25, 0.5: the last three are 0.25, 0.25, 0.5 → mean 1/3 s → 3 per s
  for (double t : {0.0, 1.0, 2.0, 3.0, 3.25, 3.5, 4.0}) estimator.on_arrival(t);
  EXPECT_EQ(estimator.gap_count(), 3u);
  EXPECT_DOUBLE_EQ(estimator.rate(), 3.0);
  estimator.on_arrival(4.0);  // a zero gap replaces the first 0.25: gaps 0.25, 0.5, 0 → mean 0.25 s
  EXPECT_DOUBLE_EQ(estimator.rate(), 4.0);
}

TEST(RateEstimator, StaysExactOverManyWrapsOfTheRing) {
  RateEstimator estimator(7);
  double t = 0.0;
  for (int i = 0; i < 100000; ++i) {
    t += (i % 2 == 0) ? 0.1 : 0.3;
    estimator.on_arrival(t);
  }
  // last 7 gaps end on i = 99999 (odd, 0.3): four of 0.3 and three of 0.1 → mean 1.5/7 s
  EXPECT_NEAR(estimator.mean_gap(), 1.5 / 7.0, 1e-9);
}

TEST(RateEstimator, AveragesThirtyTwoGapsByDefault) {
  RateEstimator estimator;
  EXPECT_EQ(estimator.window(), 32u);
  double t = 0.0;
  for (int i = 0; i <= 40; ++i) {
    estimator.on_arrival(t);
    t += i < 8 ? 10.0 : 0.5;  // the first 8 long gaps have left the window after 40 arrivals
  }
  EXPECT_DOUBLE_EQ(estimator.rate(), 2.0);
}

TEST(RateEstimator, IsInfiniteWhenAllGapsAreZeroAndRejectsTimeGoingBack) {
  RateEstimator estimator(2);
  for (int i = 0; i < 3; ++i) estimator.on_arrival(5.0);
  EXPECT_TRUE(std::isinf(estimator.rate()));
  EXPECT_THROW(estimator.on_arrival(4.0), std::invalid_argument);
  EXPECT_THROW(RateEstimator(0), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::early_exit
