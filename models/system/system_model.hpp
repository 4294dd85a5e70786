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
#include <memory>
#include <string>
#include <vector>

#include "models/accounting/run_summary.hpp"
#include "models/network/network.hpp"
#include "models/queueing/service_station.hpp"
#include "models/system/scenario_spec.hpp"
#include "models/workload/arrival_process.hpp"
#include "sim/engine/simulation.hpp"

namespace continuum {

class SystemModel final : public StationClient, public TransferClient, public EventHandler {
 public:
  SystemModel(Simulation& simulation, const ScenarioSpec& scenario);
  ~SystemModel();
  SystemModel(const SystemModel&) = delete;
  SystemModel& operator=(const SystemModel&) = delete;

  /// Runs the scenario to its horizon, drains, and returns the summary.
  RunSummary run();

  void on_served(JobId job, SimTime arrival_time, SimTime departure_time) override;
  void on_transfer_done(std::uint64_t token) override;
  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) override;

 private:
  struct Group;
  struct Component;
  struct Source;
  struct Request;

  void build_groups();
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
  bool send(std::uint32_t request, std::uint32_t from_group, std::uint32_t to_group, double bytes);
  int choose_instance(Group& group);
  void fail_instance(std::uint32_t group, std::uint32_t instance);
  void repair_instance(std::uint32_t group, std::uint32_t instance);
  void reset_statistics(SimTime now);
  void snapshot_at_horizon();

  Simulation& simulation_;
  const ScenarioSpec& scenario_;
  std::unique_ptr<Network> network_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<Component> components_;
  std::vector<std::unique_ptr<Source>> sources_;
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_requests_;
  std::vector<double> entry_times_;  // [request × component]: when the request entered it (NaN: not yet)
  std::uint64_t in_flight_ = 0;
  bool sources_stopped_ = false;
  RunSummary summary_;
  RandomEngine* exit_stream_ = nullptr;
  RandomEngine* branch_stream_ = nullptr;
};

}  // namespace continuum
