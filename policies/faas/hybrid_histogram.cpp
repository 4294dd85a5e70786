#include "policies/faas/hybrid_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace continuum::faas {

namespace {
void require(bool condition, const std::string& what) {
  if (!condition) throw std::invalid_argument("hybrid_histogram keep-alive: " + what);
}
}  // namespace

HybridHistogramKeepAlive::HybridHistogramKeepAlive(const HybridHistogramParameters& parameters)
    : parameters_(parameters) {
  const auto& p = parameters_;
  require(p.keep_alive >= 0.0 && std::isfinite(p.keep_alive), "keep_alive must be a finite time >= 0 s");
  require(p.bin_width > 0.0 && std::isfinite(p.bin_width), "bin_width must be > 0 s");
  require(p.range >= p.bin_width && std::isfinite(p.range), "range must be finite and >= bin_width");
  require(p.head_percentile > 0.0 && p.head_percentile <= 100.0, "head_percentile must be in (0, 100]");
  require(p.tail_percentile > 0.0 && p.tail_percentile <= 100.0, "tail_percentile must be in (0, 100]");
  require(p.head_percentile <= p.tail_percentile, "head_percentile must not exceed tail_percentile");
  require(p.margin >= 0.0 && p.margin < 1.0, "margin must be in [0, 1)");
  require(p.cv_threshold >= 0.0, "cv_threshold must be >= 0");
  require(p.min_samples >= 1.0, "min_samples must be >= 1");
  require(p.oob_threshold > 0.0 && p.oob_threshold <= 1.0, "oob_threshold must be in (0, 1]");
  const double bins = std::ceil(p.range / p.bin_width - 1e-9);
  require(bins <= 1e7, "range / bin_width gives more than 10^7 bins");
  counts_.assign(static_cast<std::size_t>(bins), 0);
  tree_.assign(counts_.size() + 1, 0);
  while (top_power_ * 2 <= counts_.size()) top_power_ *= 2;
}

void HybridHistogramKeepAlive::on_idle_time(double idle_time) {
  if (!(idle_time >= 0.0)) return;  // NaN or negative: not an idle time
  if (idle_time >= parameters_.range) {
    ++out_of_bounds_;
    return;
  }
  auto bin = static_cast<std::size_t>(idle_time / parameters_.bin_width);
  if (bin >= counts_.size()) bin = counts_.size() - 1;  // rounding at the range's edge
  sum_of_squares_ += 2.0 * static_cast<double>(counts_[bin]) + 1.0;
  ++counts_[bin];
  ++in_range_;
  for (std::size_t i = bin + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
}

double HybridHistogramKeepAlive::bin_count_cv() const {
  if (in_range_ == 0) return 0.0;
  const auto n = static_cast<double>(counts_.size());
  const double mean = static_cast<double>(in_range_) / n;
  const double variance = std::max(0.0, sum_of_squares_ / n - mean * mean);
  return std::sqrt(variance) / mean;
}

std::size_t HybridHistogramKeepAlive::percentile_bin(double percentile) const {
  if (in_range_ == 0) throw std::logic_error("hybrid_histogram keep-alive: percentile of an empty histogram");
  // The smallest bin b whose cumulative count reaches rank = ⌈p/100 · n⌉ (at least 1).
  const double wanted = std::ceil(percentile / 100.0 * static_cast<double>(in_range_) - 1e-9);
  const auto rank = static_cast<std::uint64_t>(std::max(1.0, wanted));
  // Fenwick descent: the largest prefix whose count is < rank; the bin after it is the answer.
  std::size_t position = 0;
  std::uint64_t below = 0;
  for (std::size_t step = top_power_; step > 0; step /= 2) {
    const std::size_t next = position + step;
    if (next < tree_.size() && below + tree_[next] < rank) {
      position = next;
      below += tree_[next];
    }
  }
  return position;  // 0-based bin index = 1-based prefix length
}

HybridHistogramKeepAlive::Regime HybridHistogramKeepAlive::regime() const {
  const auto& p = parameters_;
  const auto all = static_cast<double>(samples());
  if (all < p.min_samples) return Regime::thin;
  if (static_cast<double>(out_of_bounds_) >= p.oob_threshold * all) return Regime::out_of_bounds;
  if (bin_count_cv() < p.cv_threshold) return Regime::uncertain;
  return Regime::pattern;
}

KeepAliveDecision HybridHistogramKeepAlive::decision() const {
  const auto& p = parameters_;
  switch (regime()) {
    case Regime::thin:
    case Regime::out_of_bounds:
      return {0.0, p.keep_alive};
    case Regime::uncertain:
      return {0.0, p.range};
    case Regime::pattern:
      break;
  }
  const double head = static_cast<double>(percentile_bin(p.head_percentile)) * p.bin_width;
  const double tail = static_cast<double>(percentile_bin(p.tail_percentile) + 1) * p.bin_width;
  const double prewarm = head * (1.0 - p.margin);
  return {prewarm, tail * (1.0 + p.margin) - prewarm};
}

KeepAliveDecision HybridHistogramKeepAlive::on_instance_idle(SimTime) {
  return decision();
}

}  // namespace continuum::faas
