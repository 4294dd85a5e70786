#include "sim/engine/stats/confidence.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

namespace continuum::stats {
namespace {

TEST(StudentT, QuantilesMatchTheTables) {
  // Two-sided 95 % with n = 10 samples (9 degrees of freedom): the tabulated 2.262.
  EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262157, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706205, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.995, 4), 4.604095, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.95, 19), 1.729133, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.975, 1e7), 1.959964, 1e-5);  // the normal limit
  EXPECT_THROW((void)student_t_quantile(1.0, 5), std::invalid_argument);
  EXPECT_THROW((void)student_t_quantile(0.9, 0), std::invalid_argument);
}

TEST(StudentTInterval, UsesTheTQuantileForTheSampleSize) {
  Welford w;
  for (int i = 1; i <= 10; ++i) w.add(i);  // mean 5.5, s = √(55/6)
  const ConfidenceInterval ci = student_t_interval(w);
  EXPECT_DOUBLE_EQ(ci.mean, 5.5);
  EXPECT_EQ(ci.samples, 10u);
  EXPECT_EQ(ci.level, 0.95);
  EXPECT_NEAR(ci.half_width, 2.262157 * std::sqrt(55.0 / 6.0) / std::sqrt(10.0), 1e-5);
  EXPECT_DOUBLE_EQ(ci.lower(), ci.mean - ci.half_width);
  EXPECT_DOUBLE_EQ(ci.upper(), ci.mean + ci.half_width);
  EXPECT_TRUE(ci.contains(5.5 + 2.16));
  EXPECT_FALSE(ci.contains(5.5 + 2.17));
  EXPECT_FALSE(ci.contains(5.5 - 2.17));
  // A higher level gives a wider interval.
  EXPECT_GT(student_t_interval(w, 0.99).half_width, ci.half_width);
}

TEST(StudentTInterval, IsUnboundedWithFewerThanTwoSamples) {
  Welford w;
  ConfidenceInterval ci = student_t_interval(w);
  EXPECT_EQ(ci.samples, 0u);
  EXPECT_TRUE(std::isinf(ci.half_width));
  EXPECT_TRUE(std::isnan(ci.mean));
  w.add(4.0);
  ci = student_t_interval(w);
  EXPECT_EQ(ci.mean, 4.0);
  EXPECT_EQ(ci.half_width, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(ci.contains(-1e300));
  EXPECT_THROW((void)student_t_interval(w, 1.0), std::invalid_argument);
  EXPECT_THROW((void)student_t_interval(w, 0.0), std::invalid_argument);
}

TEST(ReplicationInterval, CoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
  // 2000 experiments of 20 normal replications each: the 95 % interval should cover the true mean
  // in 95 % ± 1 % of them (binomial standard error 0.49 %).
  constexpr double kTrueMean = 5.0;
  boost::random::mt19937 rng(2024);
  boost::random::normal_distribution<double> dist(kTrueMean, 2.0);
  int covered = 0;
  std::vector<double> means(20);
  for (int experiment = 0; experiment < 2000; ++experiment) {
    for (auto& m : means) m = dist(rng);
    if (replication_interval(means).contains(kTrueMean)) ++covered;
  }
  const double coverage = covered / 2000.0;
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.97);
}

TEST(ReplicationInterval, EqualsTheIntervalOfTheSameValuesInAWelford) {
  const std::vector<double> means{1.2, 0.8, 1.1, 0.95, 1.05};
  Welford w;
  for (double m : means) w.add(m);
  const ConfidenceInterval a = replication_interval(means, 0.9);
  const ConfidenceInterval b = student_t_interval(w, 0.9);
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.half_width, b.half_width);
  EXPECT_EQ(a.samples, 5u);
  EXPECT_EQ(a.level, 0.9);
}

}  // namespace
}  // namespace continuum::stats
