#include "policies/early_exit/rate_estimator.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace continuum::early_exit {

RateEstimator::RateEstimator(std::size_t window) : gaps_(window, 0.0) {
  if (window == 0) throw std::invalid_argument("RateEstimator: window must be >= 1");
}

void RateEstimator::on_arrival(double time) {
  if (!std::isfinite(time)) throw std::invalid_argument("RateEstimator: arrival time must be finite");
  if (!has_last_) {
    has_last_ = true;
    last_time_ = time;
    return;
  }
  if (time < last_time_) throw std::invalid_argument("RateEstimator: arrival times must not decrease");
  const double gap = time - last_time_;
  last_time_ = time;
  sum_ += gap - gaps_[next_];  // the slot holds 0 until the ring is full
  gaps_[next_] = gap;
  if (count_ < gaps_.size()) ++count_;
  if (++next_ == gaps_.size()) {
    next_ = 0;
    sum_ = std::accumulate(gaps_.begin(), gaps_.end(), 0.0);  // drop accumulated rounding once per wrap
  }
}

double RateEstimator::mean_gap() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

double RateEstimator::rate() const {
  if (count_ == 0) return 0.0;
  if (sum_ <= 0.0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(count_) / sum_;
}

}  // namespace continuum::early_exit
