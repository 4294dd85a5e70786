#pragma once
// The hybrid histogram keep-alive policy of M. Shahrad et al., "Serverless in the Wild:
// Characterizing and Optimizing the Serverless Workload at a Large Cloud Provider", USENIX ATC 2020,
// §4.2, for one function. What is implemented, exactly:
//
// Observations. Each arrival reports the function's idle time (IT): the time since its last
// request finished, or 0 when a request was still in service (KeepAlivePolicy::on_idle_time). ITs
// below `range` go to a histogram of `range / bin_width` bins (paper: 4 h of 1-minute bins); longer
// ones are counted as out of bounds (OOB). Nothing is forgotten (the paper keeps the whole history).
//
// Decision, each time an instance becomes idle, in this order:
//   1. thin: fewer than `min_samples` ITs seen (in range or OOB)   → fixed: {0, keep_alive}
//   2. OOB:  OOB ITs ≥ `oob_threshold` of all ITs                    → fixed: {0, keep_alive}
//            (the paper switches to an ARIMA forecast here; continuum does not model that branch)
//   3. uncertain: coefficient of variation of the bin counts < `cv_threshold`
//            (the ITs are spread, no pattern)                         → {0, range} (paper: keep for
//            the whole histogram range, so that every in-range IT finds the instance warm)
//   4. pattern: head = lower edge of the bin holding the `head_percentile` (5th) of the in-range ITs,
//            tail = upper edge of the bin holding the `tail_percentile` (99th); with the paper's
//            margin m (10 %), pre-warm window = head·(1 − m) and keep-alive window =
//            tail·(1 + m) − pre-warm window                              → {pre-warm, keep-alive}
// With a pre-warm window > 0 the model unloads the idle instance at once, loads it back after the
// pre-warm window and keeps it for the keep-alive window (so it lives until tail·(1 + m) after the
// idle start); with 0 it simply keeps the instance tail·(1 + m). An arrival that needs a new instance
// before the reload re-uses the unloaded one as a cold start (see KeepAliveDecision).
//
// Cost: an observation is O(log bins) (a Fenwick tree of the bin counts, plus a running sum of
// squared counts for the CV); a decision is O(log bins). No scan of the histogram per event.
#include <cstdint>
#include <string_view>
#include <vector>

#include "models/faas/keep_alive_policy.hpp"

namespace continuum::faas {

struct HybridHistogramParameters {
  double keep_alive = 600.0;      ///< s, the fixed fallback (thin or OOB histogram)
  double range = 14400.0;         ///< s covered by the histogram (paper: 4 h)
  double bin_width = 60.0;        ///< s per bin (paper: 1 min)
  double head_percentile = 5.0;   ///< percentile of the ITs that sets the pre-warm window
  double tail_percentile = 99.0;  ///< percentile of the ITs that sets the keep-alive window
  double margin = 0.10;           ///< head shrunk and tail stretched by this fraction
  double cv_threshold = 2.0;      ///< bin-count CV below which the ITs show no pattern
  double min_samples = 10.0;      ///< ITs needed before the histogram is used
  double oob_threshold = 0.5;     ///< fraction of OOB ITs above which the histogram is not used
};

class HybridHistogramKeepAlive final : public KeepAlivePolicy {
 public:
  /// Throws std::invalid_argument on inconsistent parameters (see the .cpp for the checks).
  explicit HybridHistogramKeepAlive(const HybridHistogramParameters& parameters);
  std::string_view name() const override { return "hybrid_histogram"; }
  KeepAliveDecision on_instance_idle(SimTime now) override;
  void on_idle_time(double idle_time) override;

  enum class Regime { thin, out_of_bounds, uncertain, pattern };
  /// Which branch the next decision takes.
  Regime regime() const;
  /// The decision for the current histogram (what on_instance_idle returns).
  KeepAliveDecision decision() const;

  std::uint64_t samples() const { return in_range_ + out_of_bounds_; }
  std::uint64_t out_of_bounds() const { return out_of_bounds_; }
  std::size_t bins() const { return counts_.size(); }
  /// Coefficient of variation (population standard deviation / mean) of the bin counts; 0 when empty.
  double bin_count_cv() const;
  /// Index of the bin holding the p-th percentile (0 < p ≤ 100) of the in-range ITs. Precondition:
  /// at least one in-range IT.
  std::size_t percentile_bin(double percentile) const;
  const HybridHistogramParameters& parameters() const { return parameters_; }

 private:
  HybridHistogramParameters parameters_;
  std::vector<std::uint64_t> counts_;
  std::vector<std::uint64_t> tree_;  // Fenwick tree over counts_, 1-based
  std::size_t top_power_ = 1;        // largest power of two ≤ bins, for the Fenwick descent
  std::uint64_t in_range_ = 0;
  std::uint64_t out_of_bounds_ = 0;
  double sum_of_squares_ = 0.0;  // Σ counts²
};

}  // namespace continuum::faas
