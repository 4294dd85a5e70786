#include "sim/engine/simulation.hpp"

#include <bit>
#include <stdexcept>
#include <string>

namespace continuum {

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::horizon_reached:
      return "horizon_reached";
    case StopReason::event_limit:
      return "event_limit";
    case StopReason::request_limit:
      return "request_limit";
    case StopReason::no_more_events:
      return "no_more_events";
    case StopReason::stopped:
      return "stopped";
    case StopReason::wall_limit:
      return "wall_limit";
  }
  return "unknown";
}

EventHandle Simulation::schedule_at(SimTime time, EventHandler& target, std::uint32_t kind,
                                    std::uint64_t payload) {
  if (!(time >= now_))  // also rejects NaN
    throw std::logic_error("event scheduled in the past: at " + std::to_string(time) + " s, now " +
                           std::to_string(now_) + " s");
  return queue_.push(time, &target, kind, payload);
}

void Simulation::fire_warmup(SimTime time) {
  warmup_fired_ = true;
  for (auto& listener : warmup_listeners_) listener(time);
}

RunOutcome Simulation::run(const StopCondition& stop) {
  stop_requested_ = false;
  const std::uint64_t event_limit = stop.max_events.value_or(UINT64_MAX);
  const std::uint64_t request_limit = stop.max_requests.value_or(UINT64_MAX);
  for (;;) {
    if (stop_requested_) return {StopReason::stopped, now_, events_processed_};
    if (events_processed_ >= event_limit) return {StopReason::event_limit, now_, events_processed_};
    if (completed_requests_ >= request_limit) return {StopReason::request_limit, now_, events_processed_};
    if (stop.wall_deadline && events_processed_ % wall_check_interval == 0 &&
        std::chrono::steady_clock::now() >= *stop.wall_deadline)
      return {StopReason::wall_limit, now_, events_processed_};
    const SimTime next = queue_.top_time();
    if (!warmup_fired_ && warmup_end_ <= next && warmup_end_ <= stop.until) {
      now_ = warmup_end_ > now_ ? warmup_end_ : now_;
      fire_warmup(now_);
    }
    if (queue_.empty() || next > stop.until) {
      if (stop.until != time_infinity && stop.until > now_) now_ = stop.until;
      return {queue_.empty() ? StopReason::no_more_events : StopReason::horizon_reached, now_,
              events_processed_};
    }
    const FiredEvent event = queue_.pop();
    now_ = event.time;  // never goes back: schedule_at refuses the past
    ++events_processed_;
    if (fingerprint_enabled_) {
      fingerprint_ ^= std::bit_cast<std::uint64_t>(event.time) + 0x9e3779b97f4a7c15ULL * (event.kind + 1);
      fingerprint_ *= 0x100000001b3ULL;
    }
    event.target->on_event(*this, event.kind, event.payload);
  }
}

}  // namespace continuum
