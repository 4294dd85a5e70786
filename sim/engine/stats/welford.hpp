#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace continuum::stats {

/// Streaming count, mean, variance, min, max and sum of a sample in O(1) memory.
///
/// Update (Welford 1962, in the form of Knuth TAOCP vol. 2, 4.2.2):
///   n += 1;  d = x - mean;  mean += d / n;  m2 += d * (x - mean)
/// and the sample variance is m2 / (n - 1). Unlike the textbook Σx² - n·mean², it does not lose
/// all its digits when the mean is large against the spread (a latency of 1e9 ± 1 ns).
///
/// Merge (Chan, Golub & LeVeque 1979, "Updating formulae and a pairwise algorithm for computing
/// sample variances"): with d = mean_b - mean_a and n = n_a + n_b,
///   mean = mean_a + d · n_b / n,   m2 = m2_a + m2_b + d² · n_a · n_b / n
/// so per-thread or per-replication accumulators combine into the one of the whole sample.
///
/// Empty accumulator: mean, min and max are NaN (there is no value to report), variance and sum 0.
class Welford {
 public:
  void add(double x) {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
    sum_ += x;
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }

  void merge(const Welford& other) {
    if (other.count_ == 0) return;
    if (count_ == 0) {
      *this = other;
      return;
    }
    const double n_a = static_cast<double>(count_);
    const double n_b = static_cast<double>(other.count_);
    const double n = n_a + n_b;
    const double delta = other.mean_ - mean_;
    mean_ += delta * (n_b / n);
    m2_ += other.m2_ + delta * delta * (n_a * n_b / n);
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }

  void reset() { *this = Welford{}; }

  std::uint64_t count() const { return count_; }
  double mean() const { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : mean_; }
  /// Sample variance m2 / (n - 1) (unbiased); 0 when fewer than two values were seen.
  double variance() const { return count_ < 2 ? 0.0 : m2_ / static_cast<double>(count_ - 1); }
  double stddev() const { return std::sqrt(variance()); }
  double min() const { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : min_; }
  double max() const { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : max_; }
  double sum() const { return sum_; }

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;  // Σ (x - mean)², kept up to date by the update above
  double sum_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace continuum::stats
