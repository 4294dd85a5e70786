#include "sim/engine/stats/quantile_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace continuum::stats {
namespace {

constexpr std::size_t kSamples = 100000;

std::vector<double> lognormal_latencies(unsigned seed) {
  boost::random::mt19937 rng(seed);
  boost::random::lognormal_distribution<double> dist(std::log(0.020), 1.0);  // median 20 ms
  std::vector<double> xs(kSamples);
  for (auto& x : xs) x = dist(rng);
  return xs;
}

std::vector<double> exponential_latencies(unsigned seed) {
  boost::random::mt19937 rng(seed);
  boost::random::exponential_distribution<double> dist(1.0 / 0.005);  // mean 5 ms
  std::vector<double> xs(kSamples);
  for (auto& x : xs) x = dist(rng);
  return xs;
}

// The exact order statistic the sketch reports: 0-based rank ⌊q (n − 1)⌋ of the sorted sample.
double exact_quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

double relative_error(double estimate, double exact) {
  return std::abs(estimate - exact) / exact;
}

QuantileSketch sketch_of(const std::vector<double>& xs, double accuracy = 0.005) {
  QuantileSketch s(accuracy);
  for (double x : xs) s.add(x);
  return s;
}

TEST(QuantileSketch, TailQuantilesOfLognormalLatenciesAreWithinOnePercent) {
  const auto xs = lognormal_latencies(1);
  const QuantileSketch s = sketch_of(xs);
  EXPECT_EQ(s.count(), kSamples);
  for (double q : {0.5, 0.95, 0.99}) {
    const double exact = exact_quantile(xs, q);
    EXPECT_LT(relative_error(s.quantile(q), exact), 0.01) << "q = " << q;
    EXPECT_LE(relative_error(s.quantile(q), exact), 0.005 + 1e-9) << "q = " << q << " (the DDSketch bound)";
  }
}

TEST(QuantileSketch, TailQuantilesOfExponentialLatenciesAreWithinOnePercent) {
  const auto xs = exponential_latencies(2);
  const QuantileSketch s = sketch_of(xs);
  for (double q : {0.5, 0.95, 0.99}) {
    const double exact = exact_quantile(xs, q);
    EXPECT_LT(relative_error(s.quantile(q), exact), 0.01) << "q = " << q;
    EXPECT_LE(relative_error(s.quantile(q), exact), 0.005 + 1e-9) << "q = " << q;
  }
  // And against theory: the p-quantile of Exp(mean m) is −m ln(1 − p); 10^5 samples are within ~2 %.
  EXPECT_NEAR(s.quantile(0.99), -0.005 * std::log(0.01), 0.03 * 0.023);
}

TEST(QuantileSketch, EveryPercentileHonoursTheRelativeAccuracy) {
  const auto xs = lognormal_latencies(3);
  auto sorted = xs;
  std::sort(sorted.begin(), sorted.end());
  const QuantileSketch s = sketch_of(xs, 0.01);
  for (int p = 0; p <= 100; ++p) {
    const double q = p / 100.0;
    const double exact = sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
    EXPECT_LE(relative_error(s.quantile(q), exact), 0.01 + 1e-9) << "q = " << q;
  }
  EXPECT_EQ(s.quantile(0.0), sorted.front());  // the extremes are exact
  EXPECT_EQ(s.quantile(1.0), sorted.back());
  EXPECT_EQ(s.min(), sorted.front());
  EXPECT_EQ(s.max(), sorted.back());
}

TEST(QuantileSketch, MergingSketchesOfTwoHalvesGivesExactlyTheSketchOfTheWhole) {
  const auto xs = lognormal_latencies(4);
  const QuantileSketch whole = sketch_of(xs);
  QuantileSketch first, second;
  for (std::size_t i = 0; i < xs.size(); ++i) (i < xs.size() / 3 ? first : second).add(xs[i]);
  first.merge(second);
  EXPECT_EQ(first.count(), whole.count());
  EXPECT_EQ(first.min(), whole.min());
  EXPECT_EQ(first.max(), whole.max());
  for (int p = 0; p <= 1000; ++p) {
    const double q = p / 1000.0;
    EXPECT_EQ(first.quantile(q), whole.quantile(q)) << "q = " << q;
  }
}

TEST(QuantileSketch, TheOrderOfTheValuesDoesNotMatter) {
  // Ascending input grows the store upward step by step, descending input grows it downward, and
  // merging disjoint ranges grows it by jumps: all must end with the same bucket counts.
  const auto xs = exponential_latencies(5);
  auto ascending = xs;
  std::sort(ascending.begin(), ascending.end());
  const auto descending = std::vector<double>(ascending.rbegin(), ascending.rend());
  const QuantileSketch random_order = sketch_of(xs);
  const QuantileSketch up = sketch_of(ascending);
  const QuantileSketch down = sketch_of(descending);
  QuantileSketch low_then_high = sketch_of(std::vector<double>(ascending.begin(), ascending.begin() + 50000));
  low_then_high.merge(sketch_of(std::vector<double>(ascending.begin() + 50000, ascending.end())));
  QuantileSketch high_then_low = sketch_of(std::vector<double>(ascending.begin() + 50000, ascending.end()));
  high_then_low.merge(sketch_of(std::vector<double>(ascending.begin(), ascending.begin() + 50000)));
  for (int p = 0; p <= 200; ++p) {
    const double q = p / 200.0;
    const double expected = random_order.quantile(q);
    EXPECT_EQ(up.quantile(q), expected) << "q = " << q;
    EXPECT_EQ(down.quantile(q), expected) << "q = " << q;
    EXPECT_EQ(low_then_high.quantile(q), expected) << "q = " << q;
    EXPECT_EQ(high_then_low.quantile(q), expected) << "q = " << q;
  }
}

// A slow, obviously right model of the sketch: a map from key to count, collapsing keys below
// (highest key − cap + 1) after every add, with the same key and value formulas.
class ReferenceSketch {
 public:
  ReferenceSketch(double alpha, int cap)
      : cap_(cap), gamma_((1 + alpha) / (1 - alpha)), log_gamma_(std::log1p(2 * alpha / (1 - alpha))) {}
  void add(double x) {
    ++n_;
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
    if (x == 0.0) {
      ++zeros_;
      return;
    }
    int key = static_cast<int>(std::ceil(std::log(x) * (1.0 / log_gamma_)));
    const int hi = counts_.empty() ? key : std::max(key, counts_.rbegin()->first);
    const int floor = hi - cap_ + 1;
    while (!counts_.empty() && counts_.begin()->first < floor) {
      const std::uint64_t c = counts_.begin()->second;
      counts_.erase(counts_.begin());
      counts_[floor] += c;
    }
    counts_[std::max(key, floor)] += 1;
  }
  double quantile(double q) const {
    const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(n_ - 1));
    if (rank == 0) return min_;
    if (rank == n_ - 1) return max_;
    if (rank < zeros_) return 0.0;
    std::uint64_t seen = zeros_;
    for (const auto& [key, c] : counts_) {
      seen += c;
      if (seen > rank) return std::clamp(std::exp(key * log_gamma_) * (2.0 / (gamma_ + 1.0)), min_, max_);
    }
    return max_;
  }

 private:
  int cap_;
  double gamma_;
  double log_gamma_;
  std::map<int, std::uint64_t> counts_;
  std::uint64_t n_ = 0;
  std::uint64_t zeros_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

TEST(QuantileSketch, AgreesWithASimpleModelUnderGrowthShiftsAndCollapses) {
  // Streams whose scale drifts up and down over 20 decades make the store grow both ways, shift its
  // window and collapse, for caps from 1 bucket to more than the range needs.
  boost::random::mt19937 rng(9);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int cap : {1, 2, 7, 100, 300, 5000}) {
    QuantileSketch s(0.01, static_cast<std::size_t>(cap));
    ReferenceSketch ref(0.01, cap);
    double centre = 0.0;  // log10 of the current scale
    for (int i = 0; i < 20000; ++i) {
      centre = std::clamp(centre + (unit(rng) - 0.5) * 0.5, -10.0, 10.0);
      const double x = unit(rng) < 0.02 ? 0.0 : std::pow(10.0, centre + unit(rng) - 0.5);
      s.add(x);
      ref.add(x);
      ASSERT_LE(s.bucket_count(), static_cast<std::size_t>(cap));
    }
    for (int p = 0; p <= 100; ++p) {
      ASSERT_EQ(s.quantile(p / 100.0), ref.quantile(p / 100.0)) << "cap " << cap << ", q = " << p / 100.0;
    }
  }
}

TEST(QuantileSketch, ZerosGoToTheirOwnBucket) {
  QuantileSketch s;
  for (int i = 0; i < 30; ++i) s.add(0.0);
  for (int i = 1; i <= 70; ++i) s.add(static_cast<double>(i));
  EXPECT_EQ(s.count(), 100u);
  EXPECT_EQ(s.min(), 0.0);
  EXPECT_EQ(s.quantile(0.0), 0.0);
  EXPECT_EQ(s.quantile(0.29), 0.0);           // rank ⌊0.29 · 99⌋ = 28: still a zero
  EXPECT_NEAR(s.quantile(0.31), 1.0, 0.005);  // rank 30: the value 1
  EXPECT_NEAR(s.quantile(1.0), 70.0, 1e-12);

  QuantileSketch only_zeros;
  for (int i = 0; i < 5; ++i) only_zeros.add(0.0);
  EXPECT_EQ(only_zeros.quantile(0.5), 0.0);
  EXPECT_EQ(only_zeros.quantile(1.0), 0.0);
  EXPECT_EQ(only_zeros.bucket_count(), 0u);  // no log-spaced bucket was needed

  QuantileSketch merged = only_zeros;
  merged.merge(s);
  EXPECT_EQ(merged.count(), 105u);
  EXPECT_EQ(merged.quantile(0.33), 0.0);  // rank ⌊0.33 · 104⌋ = 34 < 35 zeros
}

TEST(QuantileSketch, RejectsInvalidInput) {
  QuantileSketch s;
  EXPECT_THROW(s.add(-1e-9), std::invalid_argument);
  EXPECT_THROW(s.add(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(s.add(std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_EQ(s.count(), 0u);  // nothing was counted
  s.add(1.0);
  EXPECT_THROW((void)s.quantile(-0.01), std::invalid_argument);
  EXPECT_THROW((void)s.quantile(1.01), std::invalid_argument);
  EXPECT_THROW((void)s.quantile(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  QuantileSketch coarser(0.01);
  EXPECT_THROW(s.merge(coarser), std::invalid_argument);
  EXPECT_THROW(QuantileSketch(0.0), std::invalid_argument);
  EXPECT_THROW(QuantileSketch(1.0), std::invalid_argument);
  EXPECT_THROW(QuantileSketch(0.005, 0), std::invalid_argument);
}

TEST(QuantileSketch, IsEmptyUntilTheFirstValueAndAfterReset) {
  QuantileSketch s;
  EXPECT_EQ(s.count(), 0u);
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
  EXPECT_TRUE(std::isnan(s.min()));
  EXPECT_TRUE(std::isnan(s.max()));
  s.add(3.0);
  EXPECT_EQ(s.quantile(0.5), 3.0);  // clamped to the exact [min, max]
  s.reset();
  EXPECT_EQ(s.count(), 0u);
  EXPECT_TRUE(std::isnan(s.quantile(0.99)));
  s.add(1e-3);
  s.add(1e3);
  EXPECT_EQ(s.quantile(0.0), 1e-3);
  EXPECT_EQ(s.quantile(1.0), 1e3);
}

TEST(QuantileSketch, StopsGrowingOnceItsRangeIsEstablished) {
  const auto xs = lognormal_latencies(6);
  QuantileSketch s;
  boost::random::mt19937 rng(6);
  boost::random::uniform_real_distribution<double> inside(*std::min_element(xs.begin(), xs.end()),
                                                          *std::max_element(xs.begin(), xs.end()));
  for (double x : xs) s.add(x);
  const std::size_t buckets = s.bucket_count();
  // The store holds the keys the data spans plus at most half as many spare.
  const double log_gamma = std::log1p(2 * 0.005 / (1 - 0.005));
  const double span = std::ceil(std::log(s.max()) / log_gamma) - std::ceil(std::log(s.min()) / log_gamma) + 1;
  EXPECT_LE(static_cast<double>(buckets), 1.5 * span + 2);
  EXPECT_GE(static_cast<double>(buckets), span);
  for (int i = 0; i < 100000; ++i) s.add(inside(rng));
  EXPECT_EQ(s.bucket_count(), buckets);
  EXPECT_FALSE(s.collapsed());
}

TEST(QuantileSketch, CollapsesTheLowestBucketsAtTheCapAndKeepsTheTailAccurate) {
  // Log-uniform over [1e-6, 1e6] needs ~2800 buckets at 0.5 %; with a cap of 64 the low ones collapse.
  boost::random::mt19937 rng(8);
  boost::random::uniform_real_distribution<double> exponent(-6.0, 6.0);
  std::vector<double> xs(kSamples);
  for (auto& x : xs) x = std::pow(10.0, exponent(rng));
  QuantileSketch s(0.005, 64);
  for (double x : xs) s.add(x);
  EXPECT_TRUE(s.collapsed());
  EXPECT_LE(s.bucket_count(), 64u);
  EXPECT_EQ(s.count(), kSamples);
  // γ^64 ≈ 1.9 spans the top 2.3 % of this sample: p99 and above keep their guarantee …
  for (double q : {0.99, 0.995, 1.0}) {
    EXPECT_LE(relative_error(s.quantile(q), exact_quantile(xs, q)), 0.005 + 1e-9) << "q = " << q;
  }
  // … while the median is overestimated (it went to the lowest kept bucket), never underestimated.
  EXPECT_GT(s.quantile(0.5), exact_quantile(xs, 0.5));
  EXPECT_EQ(s.quantile(0.0), s.min());  // the exact min is still known
}

}  // namespace
}  // namespace continuum::stats
