#include "sim/engine/stats/batch_means.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

namespace continuum::stats {
namespace {

TEST(BatchMeans, MergesAdjacentBatchesWhenFull) {
  BatchMeans bm(2, 2);  // at most 4 batches of 2
  for (int i = 1; i <= 6; ++i) bm.add(i);
  EXPECT_EQ(bm.batches(), 3u);  // (1,2) (3,4) (5,6)
  EXPECT_EQ(bm.batch_size(), 2u);
  bm.add(7);
  bm.add(8);  // the fourth batch fills the store: pairs merge, batches of 4
  EXPECT_EQ(bm.batches(), 2u);
  EXPECT_EQ(bm.batch_size(), 4u);
  EXPECT_EQ(bm.batch_means(), (std::vector<double>{2.5, 6.5}));
  bm.add(100.0);  // an incomplete batch does not count
  EXPECT_EQ(bm.count(), 9u);
  const ConfidenceInterval ci = bm.interval();
  EXPECT_EQ(ci.samples, 2u);
  EXPECT_DOUBLE_EQ(ci.mean, 4.5);
  // s = 2√2 over 2 batches, t_{0.975,1} = 12.706: half width 12.706 · 2√2 / √2.
  EXPECT_NEAR(ci.half_width, 12.706205 * 2.0, 1e-5);
}

TEST(BatchMeans, KeepsMemoryBoundedAfterAMillionAdds) {
  constexpr std::size_t kTarget = 32;
  BatchMeans bm(kTarget, 64);
  boost::random::mt19937 rng(11);
  boost::random::normal_distribution<double> dist(10.0, 3.0);
  const std::size_t capacity = bm.batch_means().capacity();
  std::size_t most_batches = 0;
  for (int i = 0; i < 1000000; ++i) {
    bm.add(dist(rng));
    most_batches = std::max(most_batches, bm.batches());
  }
  EXPECT_LE(most_batches, 2 * kTarget);
  EXPECT_EQ(bm.batch_means().capacity(), capacity);  // never reallocated
  EXPECT_GE(bm.batches(), kTarget);
  EXPECT_EQ(bm.count(), 1000000u);
  // The complete batches plus the incomplete one account for every observation.
  EXPECT_LE(bm.batches() * bm.batch_size(), bm.count());
  EXPECT_GT((bm.batches() + 1) * bm.batch_size(), bm.count());
  EXPECT_EQ(bm.batch_size(), 16384u);  // 64 · 2^8: 61 batches of 16384 fit in 10^6
}

TEST(BatchMeans, IntervalOnIidDataContainsTheTrueMean) {
  BatchMeans bm;
  boost::random::mt19937 rng(12);
  boost::random::normal_distribution<double> dist(10.0, 3.0);
  for (int i = 0; i < 1000000; ++i) bm.add(dist(rng));
  const ConfidenceInterval ci = bm.interval();
  EXPECT_TRUE(ci.contains(10.0)) << ci.mean << " ± " << ci.half_width;
  // The standard error of the mean is 3 / √10^6 = 0.003: the half width is about twice that.
  EXPECT_GT(ci.half_width, 0.002);
  EXPECT_LT(ci.half_width, 0.015);
}

TEST(BatchMeans, CoversTheMeanOfCorrelatedOutputWhereTheNaiveIntervalFails) {
  // AR(1) with φ = 0.9: the variance of the mean is (1 + φ)/(1 − φ) = 19 times the i.i.d. one, so an
  // interval that treats the observations as independent is far too narrow; batch means is not.
  constexpr double kPhi = 0.9;
  constexpr double kMean = 2.0;
  boost::random::mt19937 rng(13);
  boost::random::normal_distribution<double> noise(0.0, 1.0);
  int batch_covered = 0;
  int naive_covered = 0;
  constexpr int kRuns = 200;
  for (int run = 0; run < kRuns; ++run) {
    BatchMeans bm;
    Welford naive;
    double x = kMean + noise(rng) / std::sqrt(1.0 - kPhi * kPhi);  // start in the stationary law
    for (int i = 0; i < 20000; ++i) {
      x = kMean + kPhi * (x - kMean) + noise(rng);
      bm.add(x);
      naive.add(x);
    }
    if (bm.interval().contains(kMean)) ++batch_covered;
    if (student_t_interval(naive).contains(kMean)) ++naive_covered;
  }
  EXPECT_GE(batch_covered, static_cast<int>(0.88 * kRuns));
  EXPECT_LE(naive_covered, static_cast<int>(0.60 * kRuns));
}

TEST(BatchMeans, ResetStartsOverWithTheInitialBatchSize) {
  BatchMeans bm(2, 1);
  for (int i = 0; i < 10; ++i) bm.add(i);
  EXPECT_GT(bm.batch_size(), 1u);
  bm.reset();
  EXPECT_EQ(bm.batches(), 0u);
  EXPECT_EQ(bm.batch_size(), 1u);
  EXPECT_EQ(bm.count(), 0u);
  EXPECT_TRUE(std::isinf(bm.interval().half_width));
  bm.add(1.0);
  bm.add(3.0);
  EXPECT_DOUBLE_EQ(bm.interval().mean, 2.0);
}

TEST(BatchMeans, RejectsFewerThanTwoTargetBatchesOrAnEmptyBatch) {
  EXPECT_THROW(BatchMeans(1, 10), std::invalid_argument);
  EXPECT_THROW(BatchMeans(8, 0), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::stats
