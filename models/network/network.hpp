#pragma once
// The network between devices, at two levels (MODELS.md §1):
//  * network domains (AI-SPRINT): a transfer of s bytes between two devices whose layers share a
//    domain takes access_delay + 8 s / bandwidth over the fastest such domain; no contention;
//  * a topology of sites and links (Boost.Graph): routes by least total latency, computed once per
//    source site (one Dijkstra) and cached in a flat site × site table; concurrent transfers are
//    flows that share each link's bandwidth max-min fairly, recomputed whenever a flow starts or
//    ends (as flow-level simulators do). A flow's time is its route latency plus the time to move
//    its bytes at its fair share.
//    The recomputation is local: max-min fair shares decompose over the connected components of
//    the flow–link graph, so only the flows reachable from the links of the flow that started or
//    ended are re-filled, and only those whose rate changed get a new completion event. The cost
//    per flow event is O(flows and links of that component × bottleneck levels), not O(all flows ×
//    all links); scratch space lives in the links and flows, so nothing is allocated per event.
// Transfers between partitions on the same device are free and never reach this class.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/system/scenario_spec.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/stats/time_weighted.hpp"

namespace continuum {

/// Told when a transfer has fully arrived, or was lost to a link or domain outage.
class TransferClient {
 public:
  virtual void on_transfer_done(std::uint64_t token) = 0;
  /// A link on the transfer's route (or every domain joining its layers) was down when it started
  /// or went down under it, and the outage's on_failure said lost or its retries ran out.
  virtual void on_transfer_lost(std::uint64_t token) = 0;

 protected:
  ~TransferClient() = default;
};

/// Where a transfer starts or ends: a device's layer and, if the scenario has a topology, its site.
struct NetworkEndpoint {
  int layer = -1;
  int site = -1;
};

struct TransferCost {
  double seconds = 0.0;  // for domain transfers: the full duration; for flows: an estimate at start
  double energy_j = 0.0;
  double money = 0.0;
};

struct LinkReport {
  std::string name;
  double bytes = 0.0;
  double utilization = 0.0;  // time-average of (allocated rate / bandwidth)
  double energy_j = 0.0;
  std::uint64_t flows = 0;
  double offered_load = 0.0;  // bits started over the window / (bandwidth × window)
};

class Network final : public EventHandler {
 public:
  Network(Simulation& simulation, const ScenarioSpec& scenario, TransferClient& client);

  /// Starts moving `bytes` from `from` to `to`; the client hears `token` when they have arrived.
  /// Returns the energy and money the transfer costs, or nothing when no domain or route joins
  /// the endpoints (the caller counts a loss). Outages (links or domains down) are not "no route":
  /// the transfer is retried or reported through on_transfer_lost, never from inside this call.
  std::optional<TransferCost> transfer(NetworkEndpoint from, NetworkEndpoint to, double bytes,
                                       std::uint64_t token);
  /// Duration of a transfer over the domains, without contention (for analytic predictions).
  std::optional<double> domain_transfer_time(int layer_a, int layer_b, double bytes) const;

  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) override;
  void reset_statistics(SimTime now);

  double energy_j() const { return energy_j_; }
  double money() const { return money_; }
  double bytes_moved() const { return bytes_; }
  std::uint64_t transfers() const { return transfers_; }
  std::vector<LinkReport> link_reports(SimTime now) const;
  std::size_t link_count() const { return links_.size(); }
  /// Allocated rate / bandwidth of link `l` now, and its active flows.
  double link_load(std::size_t l) const { return links_[l].load.value(); }
  std::size_t link_flows(std::size_t l) const { return links_[l].flows.size(); }
  int site_index(const std::string& name) const;
  int layer_index(const std::string& name) const;
  /// The links of the least-latency route between two sites (empty when none joins them, or when
  /// the sites are the same); computed on first use and cached.
  const std::vector<int>& route(int from_site, int to_site);
  /// The current fair-share rate (bit/s) of the flow carrying `token`, if it is still moving bits.
  /// Scans the flows: for tests and diagnostics, not for the event path.
  std::optional<double> flow_rate(std::uint64_t token) const;

 private:
  struct Domain {
    double delay, bandwidth, tx_w, rx_w, cost_per_byte;
  };
  struct Link {
    std::string name;
    double latency, bandwidth, energy_per_bit;
    std::vector<std::uint32_t> flows;  // active flows crossing it
    double bytes = 0.0;
    std::uint64_t flow_count = 0;
    stats::TimeWeighted load;  // allocated rate / bandwidth
    // Scratch of one reallocation: the epoch that last reached this link, its capacity not yet
    // given to frozen flows, and how many of its flows are not frozen yet.
    std::uint64_t visited = 0;
    double spare = 0.0;
    int unfrozen = 0;
    // Sum of the rates of its flows (kept up to date), and for one reallocation: whether it is
    // expanded (every flow re-filled), and how many of its flows are re-filled, with their rates
    // before and after.
    double used = 0.0;
    std::uint64_t forced = 0;
    int included = 0;
    double included_old = 0.0;
    double included_new = 0.0;
  };
  /// What a transfer asked for, kept to retry it after an outage.
  struct TransferRequest {
    NetworkEndpoint from, to;
    double bytes = 0.0;
    std::uint64_t token = 0;
    int attempts = 0;  // retries so far
  };
  /// Outage state of one link or domain: down while `down` > 0 (scheduled and random outages may overlap).
  struct OutageState {
    const OutageSpec* spec = nullptr;
    RandomEngine* stream = nullptr;  // random outages only
    int down = 0;
  };
  struct Flow {
    TransferRequest origin;
    std::uint64_t token = 0;
    double remaining_bits = 0.0;
    double rate = 0.0;
    SimTime updated = 0.0;
    double latency = 0.0;
    int route = -1;  // index into routes_
    EventHandle completion;
    bool active = false;
    // Scratch of one reallocation: the epoch that last reached this flow and whether its share is set.
    std::uint64_t visited = 0;
    bool frozen = false;
    double new_rate = 0.0;
  };

  const std::vector<int>& links_of(const Flow& flow) const {
    return routes_[static_cast<std::size_t>(flow.route)];
  }
  int route_id(int from_site, int to_site);
  std::optional<TransferCost> attempt(const TransferRequest& request);
  TransferCost start_flow(const TransferRequest& request);
  // Outages (link and domain faults): scheduling, state changes, and what happens to transfers.
  void schedule_outages(const OutageSpec* spec, bool domain, std::size_t index, const std::string& name);
  OutageState& outage(std::uint64_t payload);
  void change_outage(std::uint64_t payload, int delta);
  void abort_flows_on(std::size_t link);
  void fail_transfer(const TransferRequest& request, const OutageSpec& outage);
  void finish_flow(std::uint32_t flow);
  /// Takes a flow off its links (it no longer competes for bandwidth) and marks the links it
  /// saturated for expansion. A failing link would, after begin_reallocation(), detach each of its
  /// flows and then call reallocate(std::nullopt).
  void detach_flow(std::uint32_t flow);
  /// Starts one reallocation: no link is marked for expansion yet.
  void begin_reallocation();
  /// Marks link `l` for expansion in the current reallocation: all its flows get re-filled.
  void force_expansion(int l);
  bool saturated(const Link& link) const;
  /// Adds a flow to the set being re-filled (once per pass); saturated links it crosses are expanded.
  void include_flow(std::uint32_t flow);
  /// Recomputes max-min fair shares of the flows whose shares can change — those reached from the
  /// links marked for expansion and from `started`, through saturated links only — and reschedules
  /// the completion of those whose rate changed. The result equals a global recomputation.
  void reallocate(std::optional<std::uint32_t> started);

  Simulation& simulation_;
  TransferClient& client_;
  std::vector<std::string> layer_names_;
  std::vector<std::string> site_names_;
  // best_domain_[a * layers + b]: index of the fastest-access domain joining layers a and b, or -1.
  std::vector<std::vector<int>> domains_joining_;
  std::vector<Domain> domains_;
  std::vector<Link> links_;
  std::vector<std::vector<std::pair<int, int>>> adjacency_;  // site -> (neighbour site, link)
  // route_ids_[from * sites + to]: index into routes_, or -1 before the route is computed.
  std::vector<int> route_ids_;
  std::vector<std::vector<int>> routes_;
  std::vector<Flow> flows_;
  std::vector<std::uint32_t> free_flows_;
  // Scratch of one reallocation (kept to avoid allocating per event): the component's links and flows.
  // A link is saturated when its spare capacity is below this fraction of its bandwidth (rounding).
  static constexpr double saturation_tolerance = 1e-9;
  std::uint64_t epoch_ = 0;
  std::uint64_t reallocation_ = 0;
  std::vector<int> forced_links_;    // marked for expansion in this reallocation
  std::vector<int> boundary_links_;  // unsaturated links crossed by re-filled flows
  std::vector<int> component_links_;
  std::vector<std::uint32_t> component_flows_;
  std::vector<std::pair<double, int>> share_heap_;  // (equal share of its unfrozen flows, link)
  double energy_j_ = 0.0;
  double money_ = 0.0;
  double bytes_ = 0.0;
  std::uint64_t transfers_ = 0;
  SimTime statistics_since_ = 0.0;  // start of the measured window
  SimTime horizon_ = 0.0;           // no random outage starts after it, so the drain ends
  std::vector<OutageState> link_outages_, domain_outages_;
  std::vector<TransferRequest> retries_;  // waiting for their retry event
  std::vector<std::uint32_t> free_retries_;
};

}  // namespace continuum
