#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace continuum::stats {

/// Quantiles of a stream of non-negative values (latencies) with a relative-error guarantee:
/// DDSketch (Masson, Rim & Lee, "DDSketch: A Fast and Fully-Mergeable Quantile Sketch with
/// Relative-Error Guarantees", PVLDB 12(12), 2019).
///
/// With α = relative_accuracy and γ = (1 + α) / (1 − α), a value x > 0 goes to bucket
///   key(x) = ⌈log_γ x⌉,   i.e. γ^(key−1) < x ≤ γ^key,
/// and a bucket is reported as 2 γ^key / (γ + 1), which is within α of every x in it. The q-quantile
/// is the reported value of the bucket holding the sample of rank ⌊q (n − 1)⌋ (0-based), clamped to
/// the exact [min, max] (ranks 0 and n − 1 return min and max themselves); so it is within relative
/// error α of that order statistic (up to the rounding of one log and one exp). Zeros are counted in
/// a bucket of their own and reported as 0.
///
/// Memory: a dense vector of counts indexed by key − offset, with spare room at both ends; it moves
/// (and may reallocate) only when a key falls outside it, and then grows by half the key range, so an
/// add allocates only while the range is still widening, O(log max_buckets) times in all. It holds at
/// most 1.5 times the buckets the data spans, and never more than max_buckets. With
/// α = 0.5 % a bucket spans 1 %, and 4096 buckets cover a ratio of γ^4096 ≈ 6·10^17 between the
/// largest and the smallest positive value (1 ns to 10 years), so the cap matters only for absurd
/// ranges. When a new key would make the range wider than the cap, the lowest buckets are collapsed
/// into the lowest kept one (DDSketch's CollapsingLowestDenseStore): high quantiles keep their
/// guarantee, the collapsed low ones are overestimated; collapsed() tells if this ever happened.
///
/// Merge adds the bucket counts, so the sketch of two halves is the sketch of the whole, bucket for
/// bucket (exactly, as long as neither collapsed).
class QuantileSketch {
 public:
  static constexpr std::size_t kDefaultMaxBuckets = 4096;

  /// Throws std::invalid_argument unless 1e-6 <= relative_accuracy < 1 (keys must fit an int) and
  /// 1 <= max_buckets <= 2^24.
  explicit QuantileSketch(double relative_accuracy = 0.005, std::size_t max_buckets = kDefaultMaxBuckets);

  /// x >= 0; x == 0 goes to the zero bucket. Throws std::invalid_argument for x < 0, NaN or +inf.
  void add(double x);
  /// Throws std::invalid_argument if the relative accuracies differ.
  void merge(const QuantileSketch& other);
  /// q in [0, 1] (else std::invalid_argument); NaN when empty.
  double quantile(double q) const;

  std::uint64_t count() const { return count_; }
  /// Exact smallest and largest values added; NaN when empty.
  double min() const;
  double max() const;
  void reset();

  double relative_accuracy() const { return relative_accuracy_; }
  std::size_t max_buckets() const { return max_buckets_; }
  /// Buckets currently allocated (the memory in use is about 8 bytes each); never above max_buckets().
  std::size_t bucket_count() const { return counts_.size(); }
  /// True once low buckets have been collapsed to respect max_buckets().
  bool collapsed() const { return collapsed_; }

 private:
  int key_of(double x) const;
  double value_of(int key) const;
  /// Adds `n` to the bucket of `key`, growing or collapsing the store as needed.
  void add_to_key(int key, std::uint64_t n);
  /// The rare path of add_to_key: `key` lies outside the allocated range.
  std::size_t grow_for(int key);
  /// Lengthens counts_ to `size` (zeros at the end), allocating exactly that much if needed.
  void grow_storage(std::size_t size);
  bool empty_store() const { return min_key_ > max_key_; }

  double relative_accuracy_;
  std::size_t max_buckets_;
  double gamma_;
  double inv_log_gamma_;               // 1 / ln γ
  double log_gamma_;                   // ln γ
  std::vector<std::uint64_t> counts_;  // counts_[i] is the count of key offset_ + i
  int offset_ = 0;
  int min_key_;  // lowest and highest keys with a non-zero count; min_key_ > max_key_ when none
  int max_key_;
  std::uint64_t zero_count_ = 0;
  std::uint64_t count_ = 0;
  double min_;
  double max_;
  bool collapsed_ = false;
};

}  // namespace continuum::stats
