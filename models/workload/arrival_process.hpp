#pragma once
// Arrival processes. Each yields the time of the next arrival given the current one, drawing from
// the caller's stream; a source schedules only its next arrival when the current one fires, so
// nothing pre-schedules the future and memory does not grow with the horizon.
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/distribution.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/sim_time.hpp"

namespace continuum {

class ArrivalProcess {
 public:
  virtual ~ArrivalProcess() = default;
  /// Time of the next arrival after one at `now` (time_infinity when the process has ended).
  virtual SimTime next_arrival(SimTime now, RandomEngine& engine) = 0;
  /// Long-run mean rate (1/s), used by analytic predictions and rate-aware policies.
  virtual double mean_rate() const = 0;
  virtual std::string describe() const = 0;
};

/// Renewal process: i.i.d. gaps from any distribution (exponential gaps = Poisson, deterministic = D).
class RenewalArrivals final : public ArrivalProcess {
 public:
  explicit RenewalArrivals(Distribution gaps) : gaps_(std::move(gaps)) {}
  SimTime next_arrival(SimTime now, RandomEngine& engine) override { return now + gaps_.sample(engine); }
  double mean_rate() const override { return 1.0 / gaps_.mean(); }
  std::string describe() const override { return "renewal(" + gaps_.describe() + ")"; }

 private:
  Distribution gaps_;
};

/// Two-state Markov-modulated Poisson process: rate λ_i in state i, leaving state i at rate r_i.
class MmppArrivals final : public ArrivalProcess {
 public:
  MmppArrivals(double rate0, double rate1, double switch0, double switch1);
  SimTime next_arrival(SimTime now, RandomEngine& engine) override;
  double mean_rate() const override;
  std::string describe() const override;

 private:
  double rate_[2];
  double switch_[2];
  int state_ = 0;
  SimTime state_until_ = -1.0;  // time of the next state change; < 0 until first use
};

/// Non-homogeneous Poisson process with a piecewise-constant rate: `rates[i]` applies from
/// `starts[i]`; with `period` > 0 the profile repeats (a diurnal day). Exact: the next arrival
/// inverts the integrated rate Λ(t), so no thinning rejections.
class PiecewiseRateArrivals final : public ArrivalProcess {
 public:
  PiecewiseRateArrivals(std::vector<SimTime> starts, std::vector<double> rates, SimTime period);
  SimTime next_arrival(SimTime now, RandomEngine& engine) override;
  double mean_rate() const override;
  std::string describe() const override;

 private:
  std::size_t segment_at(SimTime t_in_period) const;
  SimTime segment_end(std::size_t segment) const;
  std::vector<SimTime> starts_;
  std::vector<double> rates_;
  SimTime period_;
};

/// Replays recorded arrival timestamps (seconds, sorted, from a CSV) once.
class TraceArrivals final : public ArrivalProcess {
 public:
  explicit TraceArrivals(std::vector<SimTime> timestamps);
  SimTime next_arrival(SimTime now, RandomEngine& engine) override;
  double mean_rate() const override;
  std::string describe() const override;
  /// The first arrival (the process starts before it).
  SimTime first() const { return timestamps_.empty() ? time_infinity : timestamps_.front(); }

 private:
  std::vector<SimTime> timestamps_;
  std::size_t next_ = 0;
};

}  // namespace continuum
