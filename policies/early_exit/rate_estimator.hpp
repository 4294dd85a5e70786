#pragma once

#include <cstddef>
#include <vector>

namespace continuum::early_exit {

/// Sliding-window arrival-rate estimate shared by the early-exit policies (MODELS.md §6):
///     λ̂ = 1 / (mean of the last W inter-arrival gaps) = n / Σ gaps,  n = min(W, gaps seen).
/// Feed every arrival, lost ones included (a policy that only saw admitted jobs would underestimate the
/// load exactly when the buffer overflows). A ring buffer holds the gaps; the running sum is updated in O(1)
/// and recomputed exactly each time the ring wraps, so rounding errors cannot accumulate (amortised O(1)
/// per arrival, O(W) memory).
class RateEstimator {
 public:
  /// window: W ≥ 1 gaps. For Poisson arrivals λ̂ has a relative standard error of about 1/√W; the default
  /// 32 (≈ 18 %) follows a rate change within about 32 arrivals.
  explicit RateEstimator(std::size_t window = 32);

  /// Records an arrival at absolute time `time` (s). Times must not decrease (std::invalid_argument).
  void on_arrival(double time);

  /// True once at least one gap (two arrivals) has been seen.
  bool has_estimate() const { return count_ > 0; }
  /// λ̂ in 1/s; 0 before the first gap (no information), +∞ if all gaps in the window are 0.
  double rate() const;
  /// Mean gap in s over the window; 0 before the first gap.
  double mean_gap() const;
  std::size_t window() const { return gaps_.size(); }
  std::size_t gap_count() const { return count_; }

 private:
  std::vector<double> gaps_;
  std::size_t next_ = 0;   // slot the next gap overwrites
  std::size_t count_ = 0;  // gaps held, ≤ W
  double sum_ = 0.0;
  double last_time_ = 0.0;
  bool has_last_ = false;
};

}  // namespace continuum::early_exit
