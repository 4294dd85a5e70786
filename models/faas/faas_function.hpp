#pragma once
// One function on a scale-per-request FaaS platform, with the semantics of SimFaaS (Mahmoudi &
// Khazaei, "SimFaaS: A Performance Simulator for Serverless Computing Platforms", CLOSER 2021),
// extended with per-instance concurrency, a start-up delay, memory, billing and keep-alive policies.
//
// An arrival is served
//   warm  by the most recently created instance that is ready and has a free slot, else
//   cold  by a new instance (start-up delay + a cold service draw), unless `max_instances`
//         instances are already loaded — then it is rejected (a loss; the client is not called).
// An instance counts from its creation; it is ready for further requests once its cold request has
// finished (the cold draw holds the start-up, which cannot be split off). Each of its `concurrency`
// slots serves one request with its own service draw, without slowing the others. An instance with
// no request in service is idle; the keep-alive policy then decides how long it stays (see
// KeepAliveDecision, including pre-warming); a fixed keep-alive is used when there is no policy.
//
// Service times are drawn inside the model from the named streams `<stream>/warm` and
// `<stream>/cold` (default stream "faas/<function name>"), so the k-th warm request gets the same
// draw whatever the policy did: common random numbers across keep-alive policies.
//
// Cost per event, with n loaded instances: an arrival or a completion is O(log n) (the pool of
// ready instances is a heap ordered by creation, InstancePool); nothing scans the instances.
// Expiry timers, two ways (ExpiryTimers):
//   cancel (default): an instance arms a timer for its expiry when it becomes idle and cancels it
//          when a request reuses it (two O(log N) event-queue operations per reuse, N pending events);
//   lazy:  an idle instance keeps at most one pending timer; a reuse leaves it alone, and when it
//          fires the instance is expired, re-armed for its new expiry, or left alone while busy. A
//          reuse costs no queue operation, but every instance keeps a timer in the event queue.
// Both give the same run. Measured at λ = 1000/s with ≈ 2140 instances (bench/faas_bench.cpp): lazy
// executes 11 % fewer instructions, yet its event queue is twice as large and the run takes 10–25 %
// more CPU time, so cancel is the default (docs/models/faas.md).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/faas/faas_spec.hpp"
#include "models/faas/instance_pool.hpp"
#include "models/faas/keep_alive_policy.hpp"
#include "models/queueing/service_station.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/stats/time_weighted.hpp"
#include "sim/engine/stats/welford.hpp"

namespace continuum {

/// What the client learns when one of its requests leaves the function.
struct FaasCompletion {
  SimTime arrival;
  SimTime finish;
  bool cold;    ///< served by a new instance
  double cost;  ///< money this invocation is billed (invocation_cost), whether or not in the window
};

/// Told when an accepted request finishes. Rejected requests are not called back.
class FaasClient {
 public:
  virtual void on_faas_done(JobId job, const FaasCompletion& completion) = 0;

 protected:
  ~FaasClient() = default;
};

enum class ExpiryTimers { lazy, cancel };

struct FaasFunctionOptions {
  std::string stream;  ///< prefix of the random streams; empty: "faas/<function name>"
  ExpiryTimers expiry = ExpiryTimers::cancel;
};

/// Per-function figures over the measured window (since construction or the last reset).
/// Probabilities are per arrival (rejected ones included, as SimFaaS counts them); ratios with a zero
/// denominator are NaN. Time averages are over the window.
struct FaasFunctionReport {
  std::string name;
  double window = 0.0;  ///< s measured
  std::uint64_t arrivals = 0;
  std::uint64_t warm_starts = 0;
  std::uint64_t cold_starts = 0;
  std::uint64_t rejections = 0;
  std::uint64_t completions = 0;
  std::uint64_t expirations = 0;       ///< instances terminated after their keep-alive
  std::uint64_t prewarm_releases = 0;  ///< idle instances unloaded to be pre-warmed later
  std::uint64_t prewarm_loads = 0;     ///< pre-warm reloads that happened
  double cold_start_probability = 0.0;
  double rejection_probability = 0.0;
  double average_instances = 0.0;   ///< loaded instances (starting, running or idle)
  double average_running = 0.0;     ///< instances with at least one request in service
  double average_idle = 0.0;        ///< average_instances − average_running
  double average_in_service = 0.0;  ///< requests in service (= average_running when concurrency is 1)
  double peak_instances = 0.0;
  double mean_instance_lifespan = 0.0;  ///< s from load to unload, over instances unloaded in the window
  double mean_response_time = 0.0;      ///< s, over completions in the window
  double billed_seconds = 0.0;          ///< Σ billed durations of the accepted invocations
  double billed_gb_seconds = 0.0;       ///< billed_seconds · memory / GiB
  double instance_gb_seconds = 0.0;     ///< memory held by loaded instances: ∫ instances dt · memory / GiB
  double pay_per_use_cost = 0.0;
  double space4ai_cost = 0.0;
  double cost = 0.0;  ///< the one of the platform's billing model
};

/// Counters since construction, never reset at the warm-up (for traces: differences between two
/// samples are exact whatever the window).
struct FaasFunctionTotals {
  std::uint64_t invocations = 0;  ///< accepted
  std::uint64_t cold_starts = 0;
  std::uint64_t rejections = 0;
  double cost = 0.0;  ///< Σ invocation_cost of the accepted invocations
};

class FaasFunction final : public EventHandler {
 public:
  /// Throws std::invalid_argument on a spec that cannot run (non-positive limits, negative times).
  FaasFunction(Simulation& simulation, FaasFunctionSpec spec, FaasPricing pricing, FaasClient& client,
               std::unique_ptr<KeepAlivePolicy> policy = nullptr, FaasFunctionOptions options = {});
  FaasFunction(const FaasFunction&) = delete;
  FaasFunction& operator=(const FaasFunction&) = delete;

  /// A request arrives now. Returns false if it is rejected (the instance limit is reached).
  bool invoke(JobId job);

  const FaasFunctionSpec& spec() const { return spec_; }
  const KeepAlivePolicy* policy() const { return policy_.get(); }

  std::uint32_t instances() const { return loaded_; }  ///< loaded now
  std::uint32_t running_instances() const { return running_; }
  std::uint32_t idle_instances() const { return loaded_ - running_; }
  std::uint64_t requests_in_service() const { return in_service_; }
  /// Creation order of the instance that serves `job` now (larger = created later); throws if the
  /// job is not in service. A scan over the requests in service: for tests and traces only.
  std::uint64_t instance_order_of(JobId job) const;

  const FaasFunctionTotals& totals() const { return totals_; }

  FaasFunctionReport report(SimTime now) const;
  /// Restarts the measured window at `now` (end of warm-up); the state is kept.
  void reset_statistics(SimTime now);

  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) override;

 private:
  enum class State : std::uint8_t { free, starting, ready, dormant };
  struct Instance {
    std::uint64_t order = 0;   // creation (or reload) sequence; the pool prefers the largest
    SimTime loaded_at = 0.0;   // start of the current load, for the lifespan
    SimTime expires_at = 0.0;  // when idle: end of its keep-alive
    SimTime reload_at = 0.0;   // when dormant: pre-warm reload time
    double keep_alive_after_reload = 0.0;
    SimTime timer_at = time_infinity;  // time of the pending timer; infinity when none
    EventHandle timer;
    std::uint32_t busy = 0;  // requests in service
    State state = State::free;
  };
  struct Request {
    JobId job = 0;
    SimTime arrival = 0.0;
    std::uint32_t instance = 0;
    double cost = 0.0;  // money billed for it
    bool cold = false;
    bool live = false;  // false once completed (the slot is on the free list)
  };

  std::uint32_t new_instance();
  std::uint32_t new_request();
  void complete(std::uint32_t request);
  void on_timer(std::uint32_t instance);
  void become_idle(std::uint32_t instance);
  void arm_timer(std::uint32_t instance, SimTime at);
  void disarm_timer(Instance& instance);
  void unload(std::uint32_t instance);
  void record_counts();

  Simulation& simulation_;
  FaasFunctionSpec spec_;
  FaasPricing pricing_;
  FaasClient& client_;
  std::unique_ptr<KeepAlivePolicy> policy_;
  FaasFunctionOptions options_;
  RandomEngine& warm_stream_;
  RandomEngine& cold_stream_;
  double warm_mean_;
  std::uint32_t concurrency_;
  std::uint32_t max_instances_;

  std::vector<Instance> instances_;
  std::vector<std::uint32_t> free_instances_;
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_requests_;
  InstancePool available_;  // ready instances with a free slot
  InstancePool dormant_;    // unloaded instances waiting for their pre-warm reload
  std::uint64_t next_order_ = 0;
  std::uint32_t loaded_ = 0;
  std::uint32_t running_ = 0;
  std::uint64_t in_service_ = 0;
  SimTime last_finish_ = -1.0;  // < 0 until the first completion

  // Measured window
  SimTime window_start_;
  FaasFunctionReport counts_;  // counters and billing sums only; averages are filled by report()
  FaasFunctionTotals totals_;
  stats::TimeWeighted instances_average_;
  stats::TimeWeighted running_average_;
  stats::TimeWeighted in_service_average_;
  stats::Welford lifespans_;
  stats::Welford response_times_;
};

}  // namespace continuum
