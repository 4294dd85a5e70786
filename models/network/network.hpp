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
//    ended are re-filled, and only those whose rate changed get a new completion event.
//    Flows are handled by route class: all active flows on one route always get the same max-min
//    share, so the filling runs over classes weighted by their flow counts, and each class is a
//    processor-sharing queue with a virtual clock (bits each of its flows has received). A flow's
//    finish tag is the clock at its start plus its bits; the class keeps its flows in a min-heap by
//    tag and has ONE pending event, the next finish. A burst of n flows on one route therefore costs
//    O(log n) per start or end, not O(n) reschedulings. The cost per flow event is O(classes and
//    links of the component × bottleneck levels + log flows of the class); scratch space lives in
//    the links and classes, so nothing is allocated per event (docs/models/system.md).
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
  std::size_t link_flows(std::size_t l) const { return links_[l].active_flows; }
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
    std::vector<std::uint32_t> classes;  // route classes with active flows crossing it
    std::size_t active_flows = 0;
    double bytes = 0.0;
    std::uint64_t flow_count = 0;
    stats::TimeWeighted load;  // allocated rate / bandwidth
    // Scratch of one reallocation: the epoch that last reached this link, its capacity not yet
    // given to frozen flows, and how many of its flows are not frozen yet.
    std::uint64_t visited = 0;
    double spare = 0.0;
    std::size_t unfrozen = 0;
    // Sum of the rates of its flows (kept up to date), and for one reallocation: whether it is
    // expanded (every flow re-filled), and how many of its flows are re-filled, with their summed
    // rates before and after.
    double used = 0.0;
    std::uint64_t forced = 0;
    std::size_t included = 0;
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
    std::uint32_t route_class = 0;
    bool active = false;
  };
  /// A flow waiting in its route class: it has all its bits when the class's virtual clock reaches
  /// `tag`; ties go to the earlier start (`sequence`).
  struct Finish {
    double tag = 0.0;
    std::uint64_t sequence = 0;
    std::uint32_t flow = 0;
    auto operator<=>(const Finish&) const = default;
  };
  /// The active flows of one route (class index = route index). They cross the same links, so
  /// max-min gives them one rate at all times: a processor-sharing queue with a virtual clock.
  struct RouteClass {
    std::vector<Finish> finishes;  // min-heap on (tag, sequence); its size is the class's flow count
    double rate = 0.0;             // bit/s of each flow
    double clock = 0.0;            // bits each flow has received since the class was last empty
    SimTime updated = 0.0;         // when `clock` was last advanced
    double latency = -1.0;         // of the route, computed on first use
    EventHandle completion;        // the next finish (top of `finishes`)
    std::size_t counted = 0;       // flows whose rate the links' `used` includes
    // Scratch of one reallocation: the epoch that last reached it, whether its share is set.
    std::uint64_t visited = 0;
    bool frozen = false;
    double new_rate = 0.0;
    std::size_t flows() const { return finishes.size(); }
  };

  const std::vector<int>& links_of(std::uint32_t route_class) const { return routes_[route_class]; }
  int route_id(int from_site, int to_site);
  std::optional<TransferCost> attempt(const TransferRequest& request);
  TransferCost start_flow(const TransferRequest& request);
  // Outages (link and domain faults): scheduling, state changes, and what happens to transfers.
  void schedule_outages(const OutageSpec* spec, bool domain, std::size_t index, const std::string& name);
  OutageState& outage(std::uint64_t payload);
  void change_outage(std::uint64_t payload, int delta);
  void abort_flows_on(std::size_t link);
  void fail_transfer(const TransferRequest& request, const OutageSpec& outage);
  /// The first flow of class `c` has all its bits: it leaves, and its bits arrive after the latency.
  void finish_first(std::uint32_t c);
  /// Takes `removed` flows of class `c` off its links (they no longer compete for bandwidth; the
  /// caller has taken them out of `finishes`) and marks the links they saturated for expansion.
  void release(std::uint32_t c, std::size_t removed);
  /// Brings the class's virtual clock to now at its current rate.
  static void advance(RouteClass& route_class, SimTime now);
  /// Replaces the class's pending event by one for its first finish at its current rate.
  void schedule_first_finish(std::uint32_t c);
  /// Starts one reallocation: no link is marked for expansion yet.
  void begin_reallocation();
  /// Marks link `l` for expansion in the current reallocation: all its flows get re-filled.
  void force_expansion(int l);
  bool saturated(const Link& link) const;
  /// Adds a class to the set being re-filled (once per pass); saturated links it crosses are expanded.
  void include_class(std::uint32_t c);
  /// Recomputes max-min fair shares of the classes whose shares can change — those reached from the
  /// links marked for expansion and from `touched` (a class whose flows changed), through saturated
  /// links only — and reschedules the next finish of those whose rate changed, and of `touched`.
  /// The result equals a global recomputation.
  void reallocate(std::optional<std::uint32_t> touched);

  Simulation& simulation_;
  TransferClient& client_;
  std::vector<std::string> layer_names_;
  std::vector<std::string> site_names_;
  // best_domain_[a * layers + b]: index of the fastest-access domain joining layers a and b, or -1.
  std::vector<std::vector<int>> domains_joining_;
  std::vector<Domain> domains_;
  std::vector<Link> links_;
  std::vector<std::vector<std::pair<int, int>>> adjacency_;  // site -> (neighbour site, link)
  std::vector<std::pair<int, int>> link_ends_;               // link -> (site a, site b)
  // shortest_tree_[from][site]: the site before `site` on the shortest path from `from` (itself
  // for `from` and for unreachable sites); one Dijkstra per source site, on its first route.
  std::vector<std::vector<std::size_t>> shortest_tree_;
  // route_ids_[from * sites + to]: index into routes_, or -1 before the route is first used. Only
  // the pairs a run uses get a route and a class: a topology of 500 sites has 250 000 pairs.
  std::vector<int> route_ids_;
  std::vector<std::vector<int>> routes_;
  std::vector<RouteClass> classes_;  // one per route, grown with routes_
  std::vector<Flow> flows_;
  std::vector<std::uint32_t> free_flows_;
  std::uint64_t flow_starts_ = 0;  // orders finishes with equal tags by start
  // Scratch of one reallocation (kept to avoid allocating per event): the component's links and classes.
  // A link is saturated when its spare capacity is below this fraction of its bandwidth (rounding).
  static constexpr double saturation_tolerance = 1e-9;
  // A route class's clock is re-based to 0 when it passes this many bits (see advance()).
  static constexpr double clock_rebase_bits = 1e9;
  std::uint64_t epoch_ = 0;
  std::uint64_t reallocation_ = 0;
  std::vector<int> forced_links_;    // marked for expansion in this reallocation
  std::vector<int> boundary_links_;  // unsaturated links crossed by re-filled flows
  std::vector<int> component_links_;
  std::vector<std::uint32_t> component_classes_;
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
