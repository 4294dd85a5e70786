#include "sim/engine/stats/welford.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace continuum::stats {
namespace {

std::vector<double> normal_sample(std::size_t n, double mean, double sd, unsigned seed) {
  boost::random::mt19937 rng(seed);
  boost::random::normal_distribution<double> dist(mean, sd);
  std::vector<double> xs(n);
  for (auto& x : xs) x = dist(rng);
  return xs;
}

struct TwoPass {
  double mean = 0.0;
  double variance = 0.0;
};

// The reference: first the mean, then the centred sum of squares.
TwoPass two_pass(const std::vector<double>& xs) {
  TwoPass r;
  for (double x : xs) r.mean += x;
  r.mean /= static_cast<double>(xs.size());
  for (double x : xs) r.variance += (x - r.mean) * (x - r.mean);
  r.variance /= static_cast<double>(xs.size() - 1);
  return r;
}

TEST(Welford, MatchesATwoPassComputationOnRandomData) {
  const auto xs = normal_sample(10000, 3.0, 2.0, 42);
  Welford w;
  for (double x : xs) w.add(x);
  const TwoPass ref = two_pass(xs);
  EXPECT_EQ(w.count(), xs.size());
  EXPECT_NEAR(w.mean(), ref.mean, 1e-12 * std::abs(ref.mean));
  EXPECT_NEAR(w.variance(), ref.variance, 1e-12 * ref.variance);
  EXPECT_NEAR(w.stddev(), std::sqrt(ref.variance), 1e-12);
  EXPECT_DOUBLE_EQ(w.min(), *std::min_element(xs.begin(), xs.end()));
  EXPECT_DOUBLE_EQ(w.max(), *std::max_element(xs.begin(), xs.end()));
  EXPECT_NEAR(w.sum(), ref.mean * static_cast<double>(xs.size()), 1e-9);
  // The sample is large: the estimates are close to the parameters too.
  EXPECT_NEAR(w.mean(), 3.0, 0.05);
  EXPECT_NEAR(w.stddev(), 2.0, 0.05);
}

TEST(Welford, StaysAccurateWhenTheMeanDwarfsTheSpread) {
  // 1e9 ± U(-1, 1): Σx² − n·mean² would cancel all of its digits; Welford keeps them.
  boost::random::mt19937 rng(7);
  boost::random::uniform_real_distribution<double> noise(-1.0, 1.0);
  std::vector<double> xs(5000);
  for (auto& x : xs) x = 1e9 + noise(rng);
  Welford w;
  for (double x : xs) w.add(x);
  const TwoPass ref = two_pass(xs);
  EXPECT_NEAR(w.variance(), ref.variance, 1e-6 * ref.variance);
  EXPECT_NEAR(w.variance(), 1.0 / 3.0, 0.02);  // variance of U(-1, 1)
}

TEST(Welford, MergingTwoHalvesEqualsTheWhole) {
  const auto xs = normal_sample(10000, -5.0, 0.5, 3);
  Welford whole, first, second;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    whole.add(xs[i]);
    (i < 3000 ? first : second).add(xs[i]);  // unequal halves exercise the weights of Chan's formula
  }
  first.merge(second);
  EXPECT_EQ(first.count(), whole.count());
  EXPECT_NEAR(first.mean(), whole.mean(), 1e-12 * std::abs(whole.mean()));
  EXPECT_NEAR(first.variance(), whole.variance(), 1e-11 * whole.variance());
  EXPECT_EQ(first.min(), whole.min());
  EXPECT_EQ(first.max(), whole.max());
  EXPECT_NEAR(first.sum(), whole.sum(), 1e-9 * std::abs(whole.sum()));
}

TEST(Welford, MergingWithAnEmptyAccumulatorChangesNothing) {
  Welford a;
  for (double x : {1.0, 2.0, 4.0}) a.add(x);
  Welford b = a;
  b.merge(Welford{});
  EXPECT_EQ(b.count(), 3u);
  EXPECT_DOUBLE_EQ(b.mean(), a.mean());
  EXPECT_DOUBLE_EQ(b.variance(), a.variance());
  Welford empty;
  empty.merge(a);
  EXPECT_EQ(empty.count(), 3u);
  EXPECT_DOUBLE_EQ(empty.mean(), 7.0 / 3.0);
  EXPECT_DOUBLE_EQ(empty.variance(), a.variance());
  EXPECT_DOUBLE_EQ(empty.min(), 1.0);
  EXPECT_DOUBLE_EQ(empty.max(), 4.0);
}

TEST(Welford, HasZeroVarianceBelowTwoValuesAndNoMeanWhenEmpty) {
  Welford w;
  EXPECT_EQ(w.count(), 0u);
  EXPECT_TRUE(std::isnan(w.mean()));
  EXPECT_TRUE(std::isnan(w.min()));
  EXPECT_TRUE(std::isnan(w.max()));
  EXPECT_EQ(w.variance(), 0.0);
  EXPECT_EQ(w.sum(), 0.0);
  w.add(2.5);
  EXPECT_EQ(w.mean(), 2.5);
  EXPECT_EQ(w.variance(), 0.0);
  EXPECT_EQ(w.stddev(), 0.0);
  w.add(3.5);
  EXPECT_DOUBLE_EQ(w.variance(), 0.5);  // (0.5² + 0.5²) / (2 − 1)
}

TEST(Welford, ResetForgetsEverySample) {
  Welford w;
  for (double x : {10.0, 20.0, 30.0}) w.add(x);
  w.reset();
  EXPECT_EQ(w.count(), 0u);
  EXPECT_TRUE(std::isnan(w.mean()));
  w.add(1.0);
  w.add(3.0);
  EXPECT_DOUBLE_EQ(w.mean(), 2.0);
  EXPECT_DOUBLE_EQ(w.variance(), 2.0);
  EXPECT_DOUBLE_EQ(w.min(), 1.0);
  EXPECT_DOUBLE_EQ(w.max(), 3.0);
  EXPECT_DOUBLE_EQ(w.sum(), 4.0);
}

}  // namespace
}  // namespace continuum::stats
