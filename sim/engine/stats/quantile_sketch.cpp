#include "sim/engine/stats/quantile_sketch.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace continuum::stats {

namespace {
// First allocation, in buckets: 128 buckets of 1 % each span a ratio of 3.6, enough for most
// latency streams to never grow again.
constexpr std::int64_t kInitialBuckets = 128;
// Keys are ints: |ln x| <= 745 for every positive double, so |key| <= 745 / ln γ ≈ 372 / α stays far
// below INT_MAX for α >= 1e-6; the bucket cap keeps offsets in range as well.
constexpr double kMinRelativeAccuracy = 1e-6;
constexpr std::size_t kMaxMaxBuckets = std::size_t{1} << 24;
}  // namespace

QuantileSketch::QuantileSketch(double relative_accuracy, std::size_t max_buckets)
    : relative_accuracy_(relative_accuracy), max_buckets_(max_buckets) {
  if (!(relative_accuracy >= kMinRelativeAccuracy && relative_accuracy < 1.0)) {
    throw std::invalid_argument("QuantileSketch: relative accuracy must be in [1e-6, 1), got " +
                                std::to_string(relative_accuracy));
  }
  if (max_buckets < 1 || max_buckets > kMaxMaxBuckets) {
    throw std::invalid_argument("QuantileSketch: max_buckets must be in [1, 2^24], got " +
                                std::to_string(max_buckets));
  }
  gamma_ = (1.0 + relative_accuracy) / (1.0 - relative_accuracy);
  // ln γ = ln(1 + 2α / (1 − α)); log1p keeps the digits that ln(1.00…) would lose for small α.
  log_gamma_ = std::log1p(2.0 * relative_accuracy / (1.0 - relative_accuracy));
  inv_log_gamma_ = 1.0 / log_gamma_;
  reset();
}

void QuantileSketch::reset() {
  counts_.clear();  // keeps the capacity: a reused sketch does not allocate again
  offset_ = 0;
  min_key_ = INT_MAX;
  max_key_ = INT_MIN;
  zero_count_ = 0;
  count_ = 0;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
  collapsed_ = false;
}

int QuantileSketch::key_of(double x) const {
  return static_cast<int>(std::ceil(std::log(x) * inv_log_gamma_));
}

double QuantileSketch::value_of(int key) const {
  // The midpoint in relative terms of (γ^(key−1), γ^key]: at most α away from both ends.
  return std::exp(static_cast<double>(key) * log_gamma_) * (2.0 / (gamma_ + 1.0));
}

void QuantileSketch::add(double x) {
  if (!(x >= 0.0) || x == std::numeric_limits<double>::infinity()) {
    throw std::invalid_argument("QuantileSketch::add: value must be finite and >= 0, got " +
                                std::to_string(x));
  }
  ++count_;
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
  if (x == 0.0) {
    ++zero_count_;
    return;
  }
  add_to_key(key_of(x), 1);
}

void QuantileSketch::add_to_key(int key, std::uint64_t n) {
  const std::int64_t rel = static_cast<std::int64_t>(key) - offset_;
  const std::size_t i = (rel >= 0 && rel < static_cast<std::int64_t>(counts_.size()))
                            ? static_cast<std::size_t>(rel)
                            : grow_for(key);
  counts_[i] += n;
  const int stored = offset_ + static_cast<int>(i);
  min_key_ = std::min(min_key_, stored);
  max_key_ = std::max(max_key_, stored);
}

void QuantileSketch::grow_storage(std::size_t size) {
  // reserve() allocates exactly `size` (a plain resize would double the capacity): the store's
  // memory follows the window, not the vector's growth policy.
  if (size > counts_.capacity()) counts_.reserve(size);
  counts_.resize(size, 0);
}

std::size_t QuantileSketch::grow_for(int key) {
  const std::int64_t k = key;
  const bool was_empty = empty_store();
  std::int64_t lo = was_empty ? k : std::min<std::int64_t>(min_key_, k);
  const std::int64_t hi = was_empty ? k : std::max<std::int64_t>(max_key_, k);
  const auto cap = static_cast<std::int64_t>(max_buckets_);
  if (hi - lo + 1 > cap) {
    // Collapse the lowest buckets (DDSketch's CollapsingLowestDenseStore): keys below `lo` count
    // as `lo`, so the high quantiles that latency reports care about keep their guarantee.
    lo = hi - cap + 1;
    collapsed_ = true;
  }
  const std::int64_t width = hi - lo + 1;
  const auto old_size = static_cast<std::int64_t>(counts_.size());  // 0 when was_empty after reset
  // The new window holds the keys seen so far plus spare room of half their width, split between
  // both ends: the range has to widen by a quarter before the next move, so a stream that keeps
  // widening (either way, or both) moves O(log max_buckets) times, and memory stays within 1.5 times
  // the range the data needs. Once the cap is reached the window is exactly [hi − cap + 1, hi].
  const std::int64_t size = std::min(cap, std::max(width + width / 2, kInitialBuckets));
  const std::int64_t new_offset = lo - (size - width) / 2;
  // Every key of the new window is >= hi − cap + 1, so a later in-range add never breaks the cap.
  const std::int64_t slot = std::max(k, lo) - new_offset;

  if (was_empty) {
    counts_.clear();
    grow_storage(static_cast<std::size_t>(size));
  } else if (new_offset != offset_ || size != old_size) {
    const auto usize = static_cast<std::size_t>(size);
    const auto uold = static_cast<std::size_t>(old_size);
    if (new_offset >= offset_) {
      // Content moves to lower indices; every old key <= new_offset lands in slot 0. That folds
      // only when collapsing, and then new_offset == lo, the lowest kept key.
      const auto shift = static_cast<std::size_t>(new_offset - offset_);
      if (usize > uold) grow_storage(usize);
      std::uint64_t folded = 0;
      for (std::size_t j = 0; j <= shift && j < uold; ++j) folded += counts_[j];
      counts_[0] = folded;
      for (std::size_t i = 1; i < usize; ++i) counts_[i] = (i + shift < uold) ? counts_[i + shift] : 0;
      counts_.resize(usize);
    } else {
      // Content moves to higher indices; nothing folds (all old keys are above new_offset).
      const auto shift = static_cast<std::size_t>(offset_ - new_offset);
      const std::size_t kept = std::min(uold, usize - shift);  // old slots above the new window are empty
      if (usize > uold) grow_storage(usize);
      std::copy_backward(counts_.begin(), counts_.begin() + static_cast<std::ptrdiff_t>(kept),
                         counts_.begin() + static_cast<std::ptrdiff_t>(shift + kept));
      std::fill(counts_.begin(), counts_.begin() + static_cast<std::ptrdiff_t>(shift), 0);
      counts_.resize(usize);
    }
    if (min_key_ < lo) min_key_ = static_cast<int>(lo);  // the folded mass now sits at lo
  }
  offset_ = static_cast<int>(new_offset);
  return static_cast<std::size_t>(slot);
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.relative_accuracy_ != relative_accuracy_) {
    throw std::invalid_argument("QuantileSketch::merge: relative accuracies differ (" +
                                std::to_string(relative_accuracy_) + " vs " +
                                std::to_string(other.relative_accuracy_) + ")");
  }
  if (&other == this) {
    const QuantileSketch copy = other;
    merge(copy);
    return;
  }
  if (other.count_ == 0) return;
  count_ += other.count_;
  zero_count_ += other.zero_count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  if (other.empty_store()) return;
  // The two ends first, so the store grows (at most) twice, then everything in between in place.
  const auto count_at = [&other](int key) {
    return other.counts_[static_cast<std::size_t>(key - other.offset_)];
  };
  add_to_key(other.max_key_, count_at(other.max_key_));
  if (other.min_key_ == other.max_key_) return;
  add_to_key(other.min_key_, count_at(other.min_key_));
  for (int key = other.min_key_ + 1; key < other.max_key_; ++key) {
    const std::uint64_t n = count_at(key);
    if (n != 0) add_to_key(key, n);
  }
}

double QuantileSketch::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0)) {
    throw std::invalid_argument("QuantileSketch::quantile: q must be in [0, 1], got " + std::to_string(q));
  }
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  // 0-based rank of the order statistic reported, as in the DDSketch paper.
  const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_ - 1));
  // The extreme order statistics are known exactly, even when low buckets were collapsed.
  if (rank == 0) return min_;
  if (rank == count_ - 1) return max_;
  if (rank < zero_count_) return 0.0;
  std::uint64_t seen = zero_count_;
  for (int key = min_key_; key <= max_key_; ++key) {
    seen += counts_[static_cast<std::size_t>(key - offset_)];
    // Clamping to the exact extremes never moves the estimate away from the true order statistic.
    if (seen > rank) return std::clamp(value_of(key), min_, max_);
  }
  return max_;  // not reached: the counts add up to count_
}

double QuantileSketch::min() const {
  return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : min_;
}
double QuantileSketch::max() const {
  return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : max_;
}

}  // namespace continuum::stats
