#pragma once
// What one run reports (MODELS.md §3). Plain data: sim/io turns it into JSON and HDF5.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/accounting/latency_meter.hpp"
#include "models/faas/faas_function.hpp"
#include "models/network/network.hpp"

namespace continuum {

enum class LossCause : std::uint8_t { buffer_full, failure, no_route, faas_rejected, link_down, count_ };
inline constexpr std::size_t loss_cause_count = static_cast<std::size_t>(LossCause::count_);
std::string_view to_string(LossCause cause);

struct DeviceReport {
  std::string name;
  std::string type;
  std::string layer;
  int count = 1;
  double utilization = 0.0;     // mean busy cores / cores, averaged over instances
  double mean_in_system = 0.0;  // per instance
  std::uint64_t served = 0;
  std::uint64_t lost = 0;
  double energy_j = 0.0;  // all instances over the measured window
  double cost = 0.0;
  double availability = 1.0;  // fraction of instance-time up
  /// Work that arrived over the window / capacity of the instance-time up (cores × up time): the
  /// offered utilisation. ≥ 1 with an unbounded buffer means the queue grows without bound.
  double offered_utilization = 0.0;
};

/// Whether the run's set-up has a steady state (numerical guards, docs/output-format.md).
/// Unstable runs still report finite figures, but their averages grow with the horizon.
struct StabilityReport {
  bool stable = true;
  std::vector<std::string> reasons;  // one per overloaded resource, e.g. "device gpu0: offered …"
  void flag(std::string reason) {
    stable = false;
    reasons.push_back(std::move(reason));
  }
};

struct ComponentReport {
  std::string name;
  LatencyMeter latency;
  std::uint64_t completed = 0;
  std::uint64_t sla_violations = 0;  // local constraint exceeded
};

struct PathReport {
  std::string name;
  double limit = 0.0;
  std::uint64_t checked = 0;
  std::uint64_t violations = 0;
  LatencyMeter latency;
};

/// Early-exit networks (MODELS.md §2, §6): quality of the answers and where inputs left.
struct EarlyExitReport {
  std::string policy;
  std::uint64_t answered = 0;         // inputs that left at some gate (not lost)
  double accuracy = 0.0;              // fraction of answers that were correct
  std::vector<double> exit_fraction;  // per gate, fraction of answered inputs leaving there
  double offload_fraction = 0.0;      // answered inputs that were sent past the edge part
  double cumulative_reward = 0.0;     // learning policies only
  double regret = 0.0;                // against the best fixed arm in hindsight (learning policies)
};

struct RunSummary {
  std::string scenario;
  std::uint64_t seed = 0;
  double horizon = 0.0;
  double warmup = 0.0;
  double measured_time = 0.0;  // horizon − warmup: the window of rates and averages
  double end_time = 0.0;       // after draining requests in flight
  std::uint64_t events = 0;
  std::string stop_reason;
  /// Empty when the run reached its horizon and drained; otherwise why it was cut short:
  /// "max_events", "max_wall" or "drain_limit" (requests still in flight when the drain ended).
  std::string truncated;
  StabilityReport stability;
  std::optional<std::uint64_t> fingerprint;  // hash of the event sequence, when asked for

  std::uint64_t offered = 0;  // arrivals after the warm-up
  std::uint64_t completed = 0;
  std::uint64_t lost = 0;
  std::array<std::uint64_t, loss_cause_count> lost_by_cause{};
  std::uint64_t unfinished = 0;  // still in flight when the drain limit stopped the run

  LatencyMeter latency;
  std::vector<ComponentReport> components;
  std::vector<PathReport> paths;
  std::vector<DeviceReport> devices;
  std::vector<LinkReport> links;
  std::optional<EarlyExitReport> early_exit;
  std::vector<FaasFunctionReport> faas;  // per FaaS function, over the measured window

  double device_energy_j = 0.0;
  double network_energy_j = 0.0;
  double dynamic_energy_per_request_j = 0.0;  // service + transmission energy attributed to requests
  double device_cost = 0.0;
  double network_cost = 0.0;
  double faas_cost = 0.0;
  double network_bytes = 0.0;
  std::uint64_t network_transfers = 0;

  double total_energy_j() const { return device_energy_j + network_energy_j; }
  double total_cost() const { return device_cost + network_cost + faas_cost; }
  double throughput() const {
    return measured_time > 0 ? static_cast<double>(completed) / measured_time : 0.0;
  }
  double loss_ratio() const {
    return offered ? static_cast<double>(lost) / static_cast<double>(offered) : 0.0;
  }
  std::uint64_t local_sla_violations() const;
  std::uint64_t global_sla_violations() const;
};

}  // namespace continuum
