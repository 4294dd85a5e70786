#include "models/network/network.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace continuum {

namespace {
constexpr std::uint32_t kind_domain_done = 0;
constexpr std::uint32_t kind_flow_bits_done = 1;
constexpr std::uint32_t kind_deliver = 2;
constexpr std::uint32_t kind_outage_begin = 3;  // scheduled window starts
constexpr std::uint32_t kind_outage_end = 4;
constexpr std::uint32_t kind_fault = 5;  // random outage starts
constexpr std::uint32_t kind_repair = 6;
constexpr std::uint32_t kind_retry = 7;
constexpr std::uint32_t kind_lost = 8;
constexpr std::uint64_t domain_bit = std::uint64_t{1} << 32;  // outage payload: domain, else link

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto found = std::find(names.begin(), names.end(), name);
  return found == names.end() ? -1 : static_cast<int>(found - names.begin());
}
}  // namespace

Network::Network(Simulation& simulation, const ScenarioSpec& scenario, TransferClient& client)
    : simulation_(simulation),
      client_(client),
      layer_names_(scenario.layers),
      site_names_(scenario.topology.sites),
      horizon_(scenario.simulation.horizon) {
  const std::size_t layers = layer_names_.size();
  domains_joining_.assign(layers * layers, {});
  for (const auto& spec : scenario.domains) {
    const int index = static_cast<int>(domains_.size());
    domains_.push_back(
        {spec.access_delay, spec.bandwidth, spec.tx_power_w, spec.rx_power_w, spec.cost_per_byte});
    for (const auto& a : spec.layers)
      for (const auto& b : spec.layers) {
        const int ia = layer_index(a), ib = layer_index(b);
        if (ia < 0 || ib < 0) throw std::invalid_argument("network domain " + spec.name + ": unknown layer");
        domains_joining_[static_cast<std::size_t>(ia) * layers + static_cast<std::size_t>(ib)].push_back(
            index);
      }
  }
  adjacency_.assign(site_names_.size(), {});
  for (const auto& spec : scenario.topology.links) {
    const int a = site_index(spec.a), b = site_index(spec.b);
    if (a < 0 || b < 0) throw std::invalid_argument("link " + spec.name + ": unknown site");
    const int link = static_cast<int>(links_.size());
    Link entry{spec.name,
               spec.latency,
               spec.bandwidth,
               spec.energy_per_bit,
               {},
               0.0,
               0,
               stats::TimeWeighted(simulation.now())};
    links_.push_back(std::move(entry));
    adjacency_[static_cast<std::size_t>(a)].emplace_back(b, link);
    adjacency_[static_cast<std::size_t>(b)].emplace_back(a, link);
  }
  link_outages_.resize(links_.size());
  domain_outages_.resize(domains_.size());
  for (std::size_t l = 0; l < scenario.topology.links.size(); ++l)
    schedule_outages(scenario.topology.links[l].outages ? &*scenario.topology.links[l].outages : nullptr,
                     false, l, scenario.topology.links[l].name);
  for (std::size_t d = 0; d < scenario.domains.size(); ++d)
    schedule_outages(scenario.domains[d].outages ? &*scenario.domains[d].outages : nullptr, true, d,
                     scenario.domains[d].name);
}

int Network::site_index(const std::string& name) const {
  return index_of(site_names_, name);
}
int Network::layer_index(const std::string& name) const {
  return index_of(layer_names_, name);
}

std::optional<double> Network::domain_transfer_time(int layer_a, int layer_b, double bytes) const {
  if (layer_a < 0 || layer_b < 0) return std::nullopt;
  const auto& candidates = domains_joining_[static_cast<std::size_t>(layer_a) * layer_names_.size() +
                                            static_cast<std::size_t>(layer_b)];
  std::optional<double> best;
  for (int d : candidates) {
    const Domain& domain = domains_[static_cast<std::size_t>(d)];
    const double time = domain.delay + 8.0 * bytes / domain.bandwidth;
    if (!best || time < *best) best = time;
  }
  return best;
}

std::optional<TransferCost> Network::transfer(NetworkEndpoint from, NetworkEndpoint to, double bytes,
                                              std::uint64_t token) {
  return attempt({from, to, bytes, token, 0});
}

std::optional<TransferCost> Network::attempt(const TransferRequest& request) {
  const NetworkEndpoint from = request.from, to = request.to;
  const double bytes = request.bytes;
  const std::uint64_t token = request.token;
  if (from.site >= 0 && to.site >= 0 && !links_.empty()) {
    if (from.site == to.site) {  // same site, different devices: local hop through the domains if any
      if (const auto time = domain_transfer_time(from.layer, to.layer, bytes)) {
        simulation_.schedule_in(*time, *this, kind_domain_done, token);
        return TransferCost{*time, 0.0, 0.0};
      }
      simulation_.schedule_in(0.0, *this, kind_domain_done, token);
      return TransferCost{};
    }
    const auto& path = route(from.site, to.site);
    if (path.empty()) return std::nullopt;
    // Routes are fixed (least latency on the whole topology): a down link on it fails the transfer.
    for (int l : path)
      if (const OutageState& state = link_outages_[static_cast<std::size_t>(l)]; state.down > 0) {
        fail_transfer(request, *state.spec);
        return TransferCost{};
      }
    const TransferCost cost = start_flow(from.site, to.site, bytes, token);
    flows_[active_flows_.back()].origin = request;
    return cost;
  }
  if (from.layer < 0 || to.layer < 0) return std::nullopt;
  const auto& candidates = domains_joining_[static_cast<std::size_t>(from.layer) * layer_names_.size() +
                                            static_cast<std::size_t>(to.layer)];
  int best = -1, down = -1;
  double best_time = std::numeric_limits<double>::infinity();
  for (int d : candidates) {
    if (domain_outages_[static_cast<std::size_t>(d)].down > 0) {
      down = d;
      continue;
    }
    const Domain& domain = domains_[static_cast<std::size_t>(d)];
    const double time = domain.delay + 8.0 * bytes / domain.bandwidth;
    if (time < best_time) best_time = time, best = d;
  }
  if (best < 0 && down >= 0) {  // domains join these layers, but every one is down
    fail_transfer(request, *domain_outages_[static_cast<std::size_t>(down)].spec);
    return TransferCost{};
  }
  if (best < 0) return std::nullopt;
  const Domain& domain = domains_[static_cast<std::size_t>(best)];
  // Radios draw power while the bits are on the air; the access delay is latency, not airtime.
  const double airtime = 8.0 * bytes / domain.bandwidth;
  if (!simulation_.in_warmup()) {
    energy_j_ += (domain.tx_w + domain.rx_w) * airtime;
    money_ += domain.cost_per_byte * bytes;
    bytes_ += bytes;
    ++transfers_;
  }
  simulation_.schedule_in(best_time, *this, kind_domain_done, token);
  return TransferCost{best_time, (domain.tx_w + domain.rx_w) * airtime, domain.cost_per_byte * bytes};
}

const std::vector<int>& Network::route(int from_site, int to_site) {
  const auto key = std::make_pair(from_site, to_site);
  if (const auto found = routes_.find(key); found != routes_.end()) return found->second;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
      boost::property<boost::edge_weight_t, double, boost::property<boost::edge_index_t, int>>>;
  Graph graph(site_names_.size());
  for (std::size_t l = 0; l < links_.size(); ++l) {
    int a = -1, b = -1;
    for (std::size_t s = 0; s < adjacency_.size() && (a < 0 || b < 0); ++s)
      for (const auto& [neighbour, link] : adjacency_[s])
        if (link == static_cast<int>(l)) a = static_cast<int>(s), b = neighbour;
    boost::add_edge(static_cast<std::size_t>(a), static_cast<std::size_t>(b),
                    {links_[l].latency, static_cast<int>(l)}, graph);
  }
  std::vector<Graph::vertex_descriptor> predecessor(site_names_.size());
  std::vector<double> distance(site_names_.size());
  boost::dijkstra_shortest_paths(graph, static_cast<std::size_t>(from_site),
                                 boost::predecessor_map(predecessor.data()).distance_map(distance.data()));
  // Every route from this source is cached at once: one Dijkstra per source site.
  for (std::size_t target = 0; target < site_names_.size(); ++target) {
    std::vector<int> path;
    std::size_t v = target;
    bool reachable = true;
    while (v != static_cast<std::size_t>(from_site)) {
      const std::size_t u = predecessor[v];
      if (u == v) {
        reachable = false;
        break;
      }
      // The cheapest link between u and v (parallel links are allowed).
      int chosen = -1;
      for (const auto& [neighbour, link] : adjacency_[u])
        if (neighbour == static_cast<int>(v) &&
            (chosen < 0 || links_[static_cast<std::size_t>(link)].latency <
                               links_[static_cast<std::size_t>(chosen)].latency))
          chosen = link;
      path.push_back(chosen);
      v = u;
    }
    if (!reachable) path.clear();
    std::reverse(path.begin(), path.end());
    routes_[std::make_pair(from_site, static_cast<int>(target))] = std::move(path);
  }
  return routes_[key];
}

TransferCost Network::start_flow(int from_site, int to_site, double bytes, std::uint64_t token) {
  std::uint32_t index;
  if (!free_flows_.empty()) {
    index = free_flows_.back();
    free_flows_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(flows_.size());
    flows_.emplace_back();
  }
  Flow& flow = flows_[index];
  flow.token = token;
  flow.remaining_bits = 8.0 * bytes;
  flow.rate = 0.0;
  flow.updated = simulation_.now();
  flow.route = &route(from_site, to_site);
  flow.latency = 0.0;
  for (int l : *flow.route) flow.latency += links_[static_cast<std::size_t>(l)].latency;
  flow.active = true;
  flow.completion = {};
  for (int l : *flow.route) {
    Link& link = links_[static_cast<std::size_t>(l)];
    link.flows.push_back(index);
    if (!simulation_.in_warmup()) {
      link.bytes += bytes;
      ++link.flow_count;
      energy_j_ += link.energy_per_bit * 8.0 * bytes;
    }
  }
  if (!simulation_.in_warmup()) {
    bytes_ += bytes;
    ++transfers_;
  }
  active_flows_.push_back(index);
  reallocate();
  double energy = 0.0;
  for (int l : *flows_[index].route)
    energy += links_[static_cast<std::size_t>(l)].energy_per_bit * 8.0 * bytes;
  return TransferCost{flows_[index].latency, energy, 0.0};
}

void Network::finish_flow(std::uint32_t index) {
  Flow& flow = flows_[index];
  flow.active = false;
  for (int l : *flow.route) {
    auto& members = links_[static_cast<std::size_t>(l)].flows;
    members.erase(std::find(members.begin(), members.end(), index));
  }
  active_flows_.erase(std::find(active_flows_.begin(), active_flows_.end(), index));
  simulation_.schedule_in(flow.latency, *this, kind_deliver, flow.token);
  free_flows_.push_back(index);
  reallocate();
}

void Network::reallocate() {
  // Max-min fair shares by progressive filling: repeatedly saturate the link with the smallest
  // equal share among its unfrozen flows and freeze those flows at that share.
  const SimTime now = simulation_.now();
  for (std::uint32_t f : active_flows_) {
    Flow& flow = flows_[f];
    flow.remaining_bits = std::max(0.0, flow.remaining_bits - flow.rate * (now - flow.updated));
    flow.updated = now;
  }
  std::vector<double> capacity(links_.size());
  std::vector<int> unfrozen(links_.size(), 0);
  for (std::size_t l = 0; l < links_.size(); ++l) {
    capacity[l] = links_[l].bandwidth;
    unfrozen[l] = static_cast<int>(links_[l].flows.size());
  }
  std::vector<char> frozen(flows_.size(), 0);
  std::vector<double> new_rate(flows_.size(), 0.0);
  std::size_t remaining = active_flows_.size();
  while (remaining > 0) {
    int bottleneck = -1;
    double share = std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < links_.size(); ++l)
      if (unfrozen[l] > 0 && capacity[l] / unfrozen[l] < share)
        share = capacity[l] / unfrozen[l], bottleneck = static_cast<int>(l);
    if (bottleneck < 0) break;
    for (std::uint32_t f : links_[static_cast<std::size_t>(bottleneck)].flows) {
      if (frozen[f]) continue;
      frozen[f] = 1;
      new_rate[f] = share;
      --remaining;
      for (int l : *flows_[f].route) {
        capacity[static_cast<std::size_t>(l)] -= share;
        --unfrozen[static_cast<std::size_t>(l)];
      }
    }
  }
  for (std::uint32_t f : active_flows_) {
    Flow& flow = flows_[f];
    if (flow.rate == new_rate[f] && simulation_.is_pending(flow.completion)) continue;
    flow.rate = new_rate[f];
    simulation_.cancel(flow.completion);
    const double seconds = flow.rate > 0 ? flow.remaining_bits / flow.rate : 0.0;
    flow.completion = simulation_.schedule_in(seconds, *this, kind_flow_bits_done, f);
  }
  for (std::size_t l = 0; l < links_.size(); ++l) {
    double used = 0;
    for (std::uint32_t f : links_[l].flows) used += new_rate[f];
    links_[l].load.set(now, used / links_[l].bandwidth);
  }
}

void Network::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  switch (kind) {
    case kind_domain_done:
    case kind_deliver:
      client_.on_transfer_done(payload);
      break;
    case kind_flow_bits_done:
      finish_flow(static_cast<std::uint32_t>(payload));
      break;
    case kind_outage_begin:
      change_outage(payload, +1);
      break;
    case kind_outage_end:
      change_outage(payload, -1);
      break;
    case kind_fault:
      if (simulation_.now() >= horizon_) break;  // after the horizon nothing new fails: the drain ends
      change_outage(payload, +1);
      simulation_.schedule_in(
          Distribution::exponential(outage(payload).spec->mttr).sample(*outage(payload).stream), *this,
          kind_repair, payload);
      break;
    case kind_repair:
      change_outage(payload, -1);
      simulation_.schedule_in(
          Distribution::exponential(outage(payload).spec->mttf).sample(*outage(payload).stream), *this,
          kind_fault, payload);
      break;
    case kind_retry: {
      const TransferRequest request = retries_[payload];
      free_retries_.push_back(static_cast<std::uint32_t>(payload));
      if (!attempt(request)) client_.on_transfer_lost(request.token);
      break;
    }
    case kind_lost:
      client_.on_transfer_lost(payload);
      break;
    default:
      throw std::logic_error("network: unknown event kind");
  }
}

void Network::reset_statistics(SimTime now) {
  statistics_since_ = now;
  energy_j_ = money_ = bytes_ = 0.0;
  transfers_ = 0;
  for (Link& link : links_) {
    link.bytes = 0.0;
    link.flow_count = 0;
    link.load.reset(now);
  }
}

std::vector<LinkReport> Network::link_reports(SimTime now) const {
  std::vector<LinkReport> reports;
  const double window = now - statistics_since_;
  for (const Link& link : links_)
    reports.push_back({link.name, link.bytes, link.load.mean(now), link.energy_per_bit * 8.0 * link.bytes,
                       link.flow_count, window > 0 ? 8.0 * link.bytes / (link.bandwidth * window) : 0.0});
  return reports;
}

void Network::schedule_outages(const OutageSpec* spec, bool domain, std::size_t index,
                               const std::string& name) {
  if (!spec) return;
  OutageState& state = domain ? domain_outages_[index] : link_outages_[index];
  state.spec = spec;
  const std::uint64_t payload = (domain ? domain_bit : 0) | index;
  for (const auto& [start, end] : spec->windows) {
    if (start >= horizon_) continue;  // the drain has no new outages
    simulation_.schedule_at(start, *this, kind_outage_begin, payload);
    simulation_.schedule_at(end, *this, kind_outage_end, payload);
  }
  if (spec->mttf > 0) {
    state.stream = &simulation_.random_stream((domain ? "domain_outages/" : "link_outages/") + name);
    simulation_.schedule_in(Distribution::exponential(spec->mttf).sample(*state.stream), *this, kind_fault,
                            payload);
  }
}

Network::OutageState& Network::outage(std::uint64_t payload) {
  const auto index = static_cast<std::size_t>(payload & (domain_bit - 1));
  return payload & domain_bit ? domain_outages_[index] : link_outages_[index];
}

void Network::change_outage(std::uint64_t payload, int delta) {
  OutageState& state = outage(payload);
  state.down += delta;
  // A link going down takes the bits in flight with it; a domain is a delay without bits in flight,
  // so transfers already under way on it finish (docs/scenario-format.md, `outages`).
  if (delta > 0 && state.down == 1 && !(payload & domain_bit))
    abort_flows_on(static_cast<std::size_t>(payload & (domain_bit - 1)));
}

void Network::abort_flows_on(std::size_t link) {
  const std::vector<std::uint32_t> victims = links_[link].flows;
  if (victims.empty()) return;
  std::vector<TransferRequest> requests;
  for (std::uint32_t f : victims) {
    Flow& flow = flows_[f];
    flow.active = false;
    simulation_.cancel(flow.completion);
    for (int l : *flow.route) {
      auto& members = links_[static_cast<std::size_t>(l)].flows;
      members.erase(std::find(members.begin(), members.end(), f));
    }
    active_flows_.erase(std::find(active_flows_.begin(), active_flows_.end(), f));
    free_flows_.push_back(f);
    requests.push_back(flow.origin);
  }
  reallocate();  // the survivors share the freed bandwidth
  for (const auto& request : requests) fail_transfer(request, *link_outages_[link].spec);
}

void Network::fail_transfer(const TransferRequest& request, const OutageSpec& spec) {
  if (spec.retry && request.attempts < spec.max_retries) {
    std::uint32_t slot;
    if (!free_retries_.empty()) {
      slot = free_retries_.back();
      free_retries_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(retries_.size());
      retries_.emplace_back();
    }
    retries_[slot] = request;
    ++retries_[slot].attempts;
    simulation_.schedule_in(spec.retry_delay, *this, kind_retry, slot);
  } else {
    // Through an event, so that the client never hears of a loss from inside its own transfer() call.
    simulation_.schedule_in(0.0, *this, kind_lost, request.token);
  }
}

}  // namespace continuum
