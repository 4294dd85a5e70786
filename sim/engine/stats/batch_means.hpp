#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/engine/stats/confidence.hpp"

namespace continuum::stats {

/// Confidence interval for the steady-state mean of one long (autocorrelated) run by batch means,
/// in bounded memory.
///
/// The output stream is cut into consecutive batches of batch_size() observations; for batches long
/// enough the batch means are nearly independent and normal, and the Student t interval over them
/// is valid (Law, "Simulation Modeling and Analysis", ch. 9). Since the right batch size is not
/// known in advance, the batch size adapts: at most 2·target_batches complete batches are kept;
/// when that many are full, adjacent pairs are merged (their means averaged) and the batch size
/// doubles. So memory is O(target_batches) for any run length, the number of batches stays between
/// target_batches and 2·target_batches once the run is long enough, and the batches keep growing
/// with the run, as consistent batch-means estimators require (Fishman & Yarberry 1997, "An
/// implementation of the batch means method", INFORMS J. Computing 9(3)).
///
/// The observations of the trailing incomplete batch are left out of the interval.
class BatchMeans {
 public:
  /// Throws std::invalid_argument unless target_batches >= 2 and initial_batch_size >= 1.
  explicit BatchMeans(std::size_t target_batches = 32, std::uint64_t initial_batch_size = 64);

  void add(double x);
  /// Student t interval over the complete batches' means (samples = number of batches);
  /// half_width = +inf with fewer than two complete batches.
  ConfidenceInterval interval(double level = 0.95) const;
  std::size_t batches() const { return means_.size(); }
  std::uint64_t batch_size() const { return batch_size_; }
  void reset();

  /// All observations added, including those of the incomplete batch.
  std::uint64_t count() const { return count_; }
  std::size_t target_batches() const { return target_batches_; }
  /// The complete batches' means, oldest first.
  const std::vector<double>& batch_means() const { return means_; }

 private:
  std::size_t target_batches_;
  std::uint64_t initial_batch_size_;
  std::uint64_t batch_size_;
  std::vector<double> means_;  // reserved at 2 · target_batches_ once: never reallocates
  double partial_sum_ = 0.0;   // the batch being filled
  std::uint64_t partial_count_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace continuum::stats
