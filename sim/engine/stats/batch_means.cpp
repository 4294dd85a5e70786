#include "sim/engine/stats/batch_means.hpp"

#include <stdexcept>
#include <string>

namespace continuum::stats {

BatchMeans::BatchMeans(std::size_t target_batches, std::uint64_t initial_batch_size)
    : target_batches_(target_batches),
      initial_batch_size_(initial_batch_size),
      batch_size_(initial_batch_size) {
  if (target_batches < 2) {
    throw std::invalid_argument("BatchMeans: target_batches must be >= 2, got " +
                                std::to_string(target_batches));
  }
  if (initial_batch_size < 1) throw std::invalid_argument("BatchMeans: initial_batch_size must be >= 1");
  means_.reserve(2 * target_batches_);
}

void BatchMeans::add(double x) {
  ++count_;
  partial_sum_ += x;
  if (++partial_count_ < batch_size_) return;
  means_.push_back(partial_sum_ / static_cast<double>(batch_size_));
  partial_sum_ = 0.0;
  partial_count_ = 0;
  if (means_.size() < 2 * target_batches_) return;
  // Full: merge neighbours. Both have batch_size_ observations, so the merged mean is their average.
  for (std::size_t i = 0; i < target_batches_; ++i) means_[i] = 0.5 * (means_[2 * i] + means_[2 * i + 1]);
  means_.resize(target_batches_);
  batch_size_ *= 2;
}

ConfidenceInterval BatchMeans::interval(double level) const {
  return replication_interval(means_, level);
}

void BatchMeans::reset() {
  means_.clear();
  batch_size_ = initial_batch_size_;
  partial_sum_ = 0.0;
  partial_count_ = 0;
  count_ = 0;
}

}  // namespace continuum::stats
