#include "models/workload/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace continuum {

namespace {
double exponential_draw(RandomEngine& engine, double rate) {
  return -std::log(uniform_open01(engine)) / rate;
}
}  // namespace

MmppArrivals::MmppArrivals(double rate0, double rate1, double switch0, double switch1)
    : rate_{rate0, rate1}, switch_{switch0, switch1} {
  if (!(rate0 >= 0 && rate1 >= 0 && rate0 + rate1 > 0))
    throw std::invalid_argument("mmpp: rates must be >= 0 and not both 0");
  if (!(switch0 > 0 && switch1 > 0)) throw std::invalid_argument("mmpp: switching rates must be > 0");
}

SimTime MmppArrivals::next_arrival(SimTime now, RandomEngine& engine) {
  if (state_until_ < 0) state_until_ = now + exponential_draw(engine, switch_[state_]);
  SimTime t = now;
  for (;;) {
    // Memorylessness: a fresh exponential gap in the current state, unless the state ends first.
    const SimTime candidate = rate_[state_] > 0 ? t + exponential_draw(engine, rate_[state_]) : time_infinity;
    if (candidate <= state_until_) return candidate;
    t = state_until_;
    state_ = 1 - state_;
    state_until_ = t + exponential_draw(engine, switch_[state_]);
  }
}

double MmppArrivals::mean_rate() const {
  // Stationary probability of state 0 is r1 / (r0 + r1).
  const double p0 = switch_[1] / (switch_[0] + switch_[1]);
  return p0 * rate_[0] + (1 - p0) * rate_[1];
}

std::string MmppArrivals::describe() const {
  std::ostringstream out;
  out << "mmpp2(rates=" << rate_[0] << "," << rate_[1] << "; switch=" << switch_[0] << "," << switch_[1]
      << ")";
  return out.str();
}

PiecewiseRateArrivals::PiecewiseRateArrivals(std::vector<SimTime> starts, std::vector<double> rates,
                                             SimTime period)
    : starts_(std::move(starts)), rates_(std::move(rates)), period_(period) {
  if (starts_.empty() || starts_.size() != rates_.size())
    throw std::invalid_argument("rate profile: need as many start times as rates, at least one");
  if (starts_.front() != 0.0) throw std::invalid_argument("rate profile: the first segment must start at 0");
  if (!std::is_sorted(starts_.begin(), starts_.end()) ||
      std::adjacent_find(starts_.begin(), starts_.end()) != starts_.end())
    throw std::invalid_argument("rate profile: start times must increase");
  for (double r : rates_)
    if (!(r >= 0 && std::isfinite(r)))
      throw std::invalid_argument("rate profile: rates must be finite and >= 0");
  if (period_ > 0 && starts_.back() >= period_)
    throw std::invalid_argument("rate profile: every start time must lie within the period");
  if (period_ > 0 && std::all_of(rates_.begin(), rates_.end(), [](double r) { return r == 0; }))
    throw std::invalid_argument("rate profile: a periodic profile needs a positive rate somewhere");
}

std::size_t PiecewiseRateArrivals::segment_at(SimTime t) const {
  return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), t) - starts_.begin()) - 1;
}

SimTime PiecewiseRateArrivals::segment_end(std::size_t segment) const {
  if (segment + 1 < starts_.size()) return starts_[segment + 1];
  return period_ > 0 ? period_ : time_infinity;
}

SimTime PiecewiseRateArrivals::next_arrival(SimTime now, RandomEngine& engine) {
  // Draw the unit-rate exponential "budget" and spend it across segments: Λ(next) − Λ(now) = E.
  double budget = -std::log(uniform_open01(engine));
  SimTime offset = period_ > 0 ? std::floor(now / period_) * period_ : 0.0;
  SimTime t = now - offset;
  for (;;) {
    const std::size_t segment = segment_at(t);
    const SimTime end = segment_end(segment);
    const double rate = rates_[segment];
    if (rate > 0 && budget <= rate * (end - t)) return offset + t + budget / rate;
    if (end == time_infinity) return time_infinity;  // the last segment has rate 0: no more arrivals
    if (rate > 0) budget -= rate * (end - t);
    t = end;
    if (period_ > 0 && t >= period_) {
      offset += period_;
      t = 0.0;
    }
  }
}

double PiecewiseRateArrivals::mean_rate() const {
  if (period_ <= 0) return rates_.back();
  double integral = 0;
  for (std::size_t i = 0; i < rates_.size(); ++i) integral += rates_[i] * (segment_end(i) - starts_[i]);
  return integral / period_;
}

std::string PiecewiseRateArrivals::describe() const {
  std::ostringstream out;
  out << "piecewise(" << rates_.size() << " segments, period=" << period_ << ")";
  return out.str();
}

TraceArrivals::TraceArrivals(std::vector<SimTime> timestamps) : timestamps_(std::move(timestamps)) {
  for (double t : timestamps_)
    if (!(t >= 0 && std::isfinite(t)))
      throw std::invalid_argument("trace: timestamps must be finite and >= 0");
  if (!std::is_sorted(timestamps_.begin(), timestamps_.end()))
    throw std::invalid_argument("trace: timestamps must be sorted");
}

SimTime TraceArrivals::next_arrival(SimTime now, RandomEngine&) {
  while (next_ < timestamps_.size() && timestamps_[next_] < now) ++next_;
  // Equal timestamps are distinct arrivals: consume one per call.
  if (next_ < timestamps_.size() && timestamps_[next_] == now) ++next_;
  return next_ < timestamps_.size() ? timestamps_[next_] : time_infinity;
}

double TraceArrivals::mean_rate() const {
  if (timestamps_.size() < 2) return 0.0;
  return static_cast<double>(timestamps_.size() - 1) / (timestamps_.back() - timestamps_.front());
}

std::string TraceArrivals::describe() const {
  return "trace(" + std::to_string(timestamps_.size()) + " arrivals)";
}

}  // namespace continuum
