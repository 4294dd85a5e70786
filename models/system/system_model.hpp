#pragma once
// The running continuum: devices (groups of service stations), the network, the application DAG
// and its sources, wired per the placement; meters record latency, loss, energy and cost.
//
// Data flow of one request: source → partition 1 on its device → (transfer if the next
// partition is elsewhere) → partition 2 … → early exit or last partition → the next component,
// drawn by branch probability, after transferring the edge's data → … → sink.
// After the horizon the sources stop and requests in flight finish (bounded by the drain limit),
// so offered = completed + lost; rates and time averages use the window [warm-up, horizon].
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/accounting/run_observer.hpp"
#include "models/accounting/run_summary.hpp"
#include "models/faas/faas_platform.hpp"
#include "models/network/network.hpp"
#include "models/queueing/service_station.hpp"
#include "models/system/scenario_spec.hpp"
#include "models/workload/arrival_process.hpp"
#include "sim/engine/simulation.hpp"

namespace continuum {

class SystemModel final : public StationClient,
                          public TransferClient,
                          public FaasClient,
                          public EventHandler {
 public:
  /// `keep_alive_policies` makes each FaaS function's keep-alive policy (policies/faas registry);
  /// empty: every function keeps its fixed keep-alive.
  SystemModel(Simulation& simulation, const ScenarioSpec& scenario,
              const FaasPlatform::PolicyFactory& keep_alive_policies = {});
  ~SystemModel();
  SystemModel(const SystemModel&) = delete;
  SystemModel& operator=(const SystemModel&) = delete;

  /// Runs the scenario to its horizon, drains, and returns the summary.
  RunSummary run();

  /// Reports every request and, every `sample_interval` seconds, every device and link.
  void attach_observer(RunObserver& observer, double sample_interval);
  /// Called with the fraction of the horizon simulated, about every 1 % (for progress bars).
  void set_progress(std::function<void(double)> progress) { progress_ = std::move(progress); }

  void on_served(JobId job, SimTime arrival_time, SimTime departure_time) override;
  void on_transfer_done(std::uint64_t token) override;
  void on_transfer_lost(std::uint64_t token) override;
  void on_faas_done(JobId job, const FaasCompletion& completion) override;
  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) override;

 private:
  struct Group;
  struct Component;
  struct Source;
  struct Request;

  void build_groups();
  void build_faas(const FaasPlatform::PolicyFactory& keep_alive_policies);
  void build_components();
  void build_sources();
  void new_request(std::uint32_t source);
  void start_component(std::uint32_t request, std::uint32_t component);
  void dispatch_partition(std::uint32_t request);
  void finish_partition(std::uint32_t request);
  void finish_component(std::uint32_t request);
  void complete_request(std::uint32_t request);
  void lose_request(std::uint32_t request, LossCause cause);
  void release(std::uint32_t request);
  bool send(std::uint32_t request, std::uint32_t from_location, std::uint32_t to_location, double bytes);
  int choose_instance(Group& group);
  void fail_instance(std::uint32_t group, std::uint32_t instance);
  void repair_instance(std::uint32_t group, std::uint32_t instance);
  void reset_statistics(SimTime now);
  void snapshot_at_horizon();
  void take_sample();
  void report(std::uint32_t request, int drop_reason);
  /// Whether money spent now counts in the summary (the meters run from the warm-up to the horizon).
  bool counts_money() const { return !simulation_.in_warmup() && !sources_stopped_; }

  Simulation& simulation_;
  const ScenarioSpec& scenario_;
  std::unique_ptr<Network> network_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<std::unique_ptr<FaasPlatform>> faas_platforms_;
  /// Where data lives: device groups first, then FaaS functions in platform order.
  std::vector<NetworkEndpoint> locations_;
  std::vector<FaasFunction*> faas_functions_;  // by location − groups_.size()
  std::vector<Component> components_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_requests_;
  std::vector<double> entry_times_;  // [request × component]: when the request entered it (NaN: not yet)
  std::size_t entry_stride_ = 0;     // components per request in entry_times_; 0 without path constraints
  std::uint64_t in_flight_ = 0;
  bool sources_stopped_ = false;
  RunSummary summary_;
  std::uint64_t next_request_id_ = 0;
  SimTime last_finish_ = 0.0;
  RunObserver* observer_ = nullptr;
  double sample_interval_ = 0.0;
  std::vector<double> sampled_busy_;  // per group: ∫ busy cores dt at the previous sample
  std::function<void(double)> progress_;
};

}  // namespace continuum
