#pragma once
// One simulation run: the clock, the pending events, the random streams and run control.
// Nothing here is global: a process may hold many Simulations (replications, sweep threads).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/engine/event_queue.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/sim_time.hpp"

namespace continuum {

/// When a run stops: whichever limit is reached first. Unset limits do not apply.
struct StopCondition {
  SimTime until = time_infinity;              // simulated time horizon
  std::optional<std::uint64_t> max_events;    // events processed
  std::optional<std::uint64_t> max_requests;  // requests completed (as counted by the models)
  /// Wall-clock deadline, checked every `wall_check_interval` events (reading the clock per event
  /// would cost more than many events). Makes the stopping point depend on machine speed.
  std::optional<std::chrono::steady_clock::time_point> wall_deadline;
};

/// Events between two reads of the wall clock when a wall deadline is set.
inline constexpr std::uint64_t wall_check_interval = 4096;

enum class StopReason { horizon_reached, event_limit, request_limit, no_more_events, stopped, wall_limit };
std::string_view to_string(StopReason reason);

struct RunOutcome {
  StopReason reason;
  SimTime end_time;
  std::uint64_t events;
};

class Simulation {
 public:
  explicit Simulation(std::uint64_t seed) : streams_(seed) {}
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  SimTime now() const { return now_; }
  std::uint64_t seed() const { return streams_.master_seed(); }

  EventHandle schedule_at(SimTime time, EventHandler& target, std::uint32_t kind, std::uint64_t payload = 0);
  EventHandle schedule_in(SimTime delay, EventHandler& target, std::uint32_t kind,
                          std::uint64_t payload = 0) {
    return schedule_at(now_ + delay, target, kind, payload);
  }
  bool cancel(EventHandle handle) { return queue_.cancel(handle); }
  bool is_pending(EventHandle handle) const { return queue_.is_pending(handle); }
  std::size_t pending_events() const { return queue_.size(); }

  RandomEngine& random_stream(std::string_view name) { return streams_.stream(name); }

  /// Warm-up: at `time`, every registered listener is called once (meters reset their averages).
  void set_warmup(SimTime time) { warmup_end_ = time; }
  SimTime warmup_end() const { return warmup_end_; }
  bool in_warmup() const { return now_ < warmup_end_; }
  void on_warmup_end(std::function<void(SimTime)> listener) {
    warmup_listeners_.push_back(std::move(listener));
  }

  /// Models report each completed request here so that runs can stop after N requests.
  void count_completed_request() { ++completed_requests_; }
  std::uint64_t completed_requests() const { return completed_requests_; }

  /// Runs until a limit of `stop` is reached; may be called again to continue.
  RunOutcome run(const StopCondition& stop);
  /// Asks the running loop to return after the current event.
  void request_stop() { stop_requested_ = true; }
  std::uint64_t events_processed() const { return events_processed_; }

  /// Optional event fingerprint: a hash of (time, kind) of every event, for regression checks.
  void enable_fingerprint() { fingerprint_enabled_ = true; }
  bool fingerprint_enabled() const { return fingerprint_enabled_; }
  std::uint64_t fingerprint() const { return fingerprint_; }

 private:
  void fire_warmup(SimTime time);

  EventQueue queue_;
  RandomStreams streams_;
  SimTime now_ = 0.0;
  SimTime warmup_end_ = 0.0;
  bool warmup_fired_ = false;
  std::vector<std::function<void(SimTime)>> warmup_listeners_;
  std::uint64_t events_processed_ = 0;
  std::uint64_t completed_requests_ = 0;
  bool stop_requested_ = false;
  bool fingerprint_enabled_ = false;
  std::uint64_t fingerprint_ = 0xcbf29ce484222325ULL;
};

}  // namespace continuum
