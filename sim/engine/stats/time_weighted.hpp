#pragma once

#include <algorithm>
#include <stdexcept>

namespace continuum::stats {

/// Time average of a piecewise-constant signal: queue length, busy cores, instance count, power.
///
/// The signal holds `value()` from the last change until the next one, so its integral is a sum of
/// rectangles, added only when the signal changes (O(1) per change, nothing per unit of time):
///   integral(t) = Σ_i v_i · (t_{i+1} - t_i)  + v_last · (t - t_last)
///   mean(t)     = integral(t) / (t - start)
/// Integrating power in watts gives energy in joules; integrating busy cores gives core-seconds.
///
/// Times must not go back: a change or a query before the last change throws std::invalid_argument,
/// because it would silently subtract area.
class TimeWeighted {
 public:
  explicit TimeWeighted(double start_time = 0.0, double initial_value = 0.0)
      : start_(start_time), last_(start_time), value_(initial_value), max_(initial_value) {}

  /// The signal changes to `value` at `now`.
  void set(double now, double value) {
    advance(now);
    value_ = value;
    max_ = std::max(max_, value);
  }

  /// The signal changes by `delta` at `now` (an arrival: +1, a departure: -1).
  void add(double now, double delta) { set(now, value_ + delta); }

  double value() const { return value_; }

  /// ∫ value dt from start_time() to `now`.
  double integral(double now) const {
    check_time(now);
    return integral_ + value_ * (now - last_);
  }

  /// integral(now) / (now - start_time()); value() when no time has elapsed.
  double mean(double now) const {
    const double elapsed = now - start_;
    if (elapsed == 0.0) {
      check_time(now);
      return value_;
    }
    return integral(now) / elapsed;
  }

  /// Largest value the signal took since the last reset (including the value it had at the reset).
  double max() const { return max_; }

  /// Restarts the window at `now` (the end of a warm-up), keeping the current value.
  void reset(double now) {
    check_time(now);
    start_ = now;
    last_ = now;
    integral_ = 0.0;
    max_ = value_;
  }

  double start_time() const { return start_; }
  /// Time of the last change (or of the start, if none since).
  double last_change_time() const { return last_; }

 private:
  void check_time(double now) const {
    if (!(now >= last_)) throw std::invalid_argument("TimeWeighted: time went back before the last change");
  }
  void advance(double now) {
    check_time(now);
    integral_ += value_ * (now - last_);
    last_ = now;
  }

  double start_;
  double last_;
  double value_;
  double max_;
  double integral_ = 0.0;  // ∫ value dt over [start_, last_]
};

}  // namespace continuum::stats
