#include "models/network/network.hpp"

#include <algorithm>
#include <functional>
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
               0,
               0.0,
               0,
               stats::TimeWeighted(simulation.now())};
    links_.push_back(std::move(entry));
    link_ends_.emplace_back(a, b);
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
    return start_flow(request);
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
  return routes_[static_cast<std::size_t>(route_id(from_site, to_site))];
}

int Network::route_id(int from_site, int to_site) {
  const std::size_t sites = site_names_.size();
  if (route_ids_.empty()) {
    route_ids_.assign(sites * sites, -1);
    shortest_tree_.resize(sites);
  }
  const auto from = static_cast<std::size_t>(from_site);
  const std::size_t key = from * sites + static_cast<std::size_t>(to_site);
  if (route_ids_[key] >= 0) return route_ids_[key];
  std::vector<std::size_t>& predecessor = shortest_tree_[from];
  if (predecessor.empty()) {
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
        boost::property<boost::edge_weight_t, double, boost::property<boost::edge_index_t, int>>>;
    Graph graph(sites);
    for (std::size_t l = 0; l < links_.size(); ++l)
      boost::add_edge(static_cast<std::size_t>(link_ends_[l].first),
                      static_cast<std::size_t>(link_ends_[l].second),
                      {links_[l].latency, static_cast<int>(l)}, graph);
    predecessor.resize(sites);
    std::vector<double> distance(sites);
    boost::dijkstra_shortest_paths(graph, from,
                                   boost::predecessor_map(predecessor.data()).distance_map(distance.data()));
  }
  std::vector<int> path;
  std::size_t v = static_cast<std::size_t>(to_site);
  while (v != from) {
    const std::size_t u = predecessor[v];
    if (u == v) {  // unreachable
      path.clear();
      break;
    }
    // The cheapest link between u and v (parallel links are allowed).
    int chosen = -1;
    for (const auto& [neighbour, link] : adjacency_[u])
      if (neighbour == static_cast<int>(v) &&
          (chosen < 0 ||
           links_[static_cast<std::size_t>(link)].latency < links_[static_cast<std::size_t>(chosen)].latency))
        chosen = link;
    path.push_back(chosen);
    v = u;
  }
  std::reverse(path.begin(), path.end());
  route_ids_[key] = static_cast<int>(routes_.size());
  routes_.push_back(std::move(path));
  return route_ids_[key];
}

TransferCost Network::start_flow(const TransferRequest& request) {
  const double bytes = request.bytes;
  const SimTime now = simulation_.now();
  std::uint32_t index;
  if (!free_flows_.empty()) {
    index = free_flows_.back();
    free_flows_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(flows_.size());
    flows_.emplace_back();
  }
  const auto c = static_cast<std::uint32_t>(route_id(request.from.site, request.to.site));
  if (classes_.size() < routes_.size()) classes_.resize(routes_.size());
  flows_[index] = {request, c, true};
  RouteClass& route_class = classes_[c];
  const std::vector<int>& links = links_of(c);
  if (route_class.latency < 0) {
    route_class.latency = 0.0;
    for (int l : links) route_class.latency += links_[static_cast<std::size_t>(l)].latency;
  }
  double energy = 0.0;
  for (int l : links) {
    Link& link = links_[static_cast<std::size_t>(l)];
    energy += link.energy_per_bit * 8.0 * bytes;
    if (route_class.finishes.empty()) link.classes.push_back(c);
    ++link.active_flows;
    if (!simulation_.in_warmup()) {
      link.bytes += bytes;
      ++link.flow_count;
    }
  }
  if (!simulation_.in_warmup()) {
    energy_j_ += energy;
    bytes_ += bytes;
    ++transfers_;
  }
  // The flow has all its bits when the class's clock has advanced by its bits from now.
  if (route_class.finishes.empty()) {
    route_class.clock = 0.0;
    route_class.updated = now;
  }
  advance(route_class, now);
  route_class.finishes.push_back({route_class.clock + 8.0 * bytes, flow_starts_++, index});
  std::push_heap(route_class.finishes.begin(), route_class.finishes.end(), std::greater<>{});
  begin_reallocation();
  reallocate(c);
  return TransferCost{route_class.latency, energy, 0.0};
}

void Network::advance(RouteClass& route_class, SimTime now) {
  route_class.clock += route_class.rate * (now - route_class.updated);
  route_class.updated = now;
  // A class that never empties would let its clock grow without bound, and a flow's remaining bits
  // (tag − clock) lose precision with it. Re-basing every tag costs O(flows), once per
  // `clock_rebase_bits` of service; it is exact for every flow with no more bits left than the
  // clock (Sterbenz), and keeps the heap order (subtraction is monotonic; ties fall to start order).
  if (route_class.clock > clock_rebase_bits) {
    for (Finish& finish : route_class.finishes) finish.tag -= route_class.clock;
    route_class.clock = 0.0;
    std::make_heap(route_class.finishes.begin(), route_class.finishes.end(), std::greater<>{});
  }
}

void Network::schedule_first_finish(std::uint32_t c) {
  RouteClass& route_class = classes_[c];
  simulation_.cancel(route_class.completion);
  const double bits = route_class.finishes.front().tag - route_class.clock;
  const double seconds = route_class.rate > 0 ? std::max(0.0, bits / route_class.rate) : 0.0;
  route_class.completion = simulation_.schedule_in(seconds, *this, kind_flow_bits_done, c);
}

void Network::release(std::uint32_t c, std::size_t removed) {
  RouteClass& route_class = classes_[c];
  const bool emptied = route_class.finishes.empty();
  for (int l : links_of(c)) {
    Link& link = links_[static_cast<std::size_t>(l)];
    // A link the flows saturated gives their share to the others: they must be re-filled.
    if (saturated(link)) force_expansion(l);
    link.active_flows -= removed;
    link.used = link.active_flows == 0 ? 0.0 : link.used - route_class.rate * static_cast<double>(removed);
    link.load.set(simulation_.now(), link.used / link.bandwidth);
    // Order among a link's classes does not matter (they are all re-filled together): swap-remove.
    if (emptied) {
      *std::find(link.classes.begin(), link.classes.end(), c) = link.classes.back();
      link.classes.pop_back();
    }
  }
  route_class.counted -= removed;
  if (emptied) {
    simulation_.cancel(route_class.completion);
    route_class.rate = 0.0;
  }
}

void Network::finish_first(std::uint32_t c) {
  RouteClass& route_class = classes_[c];
  std::pop_heap(route_class.finishes.begin(), route_class.finishes.end(), std::greater<>{});
  const std::uint32_t index = route_class.finishes.back().flow;
  route_class.finishes.pop_back();
  advance(route_class, simulation_.now());  // at the rate the flow finished with
  begin_reallocation();
  release(c, 1);
  Flow& flow = flows_[index];
  flow.active = false;
  free_flows_.push_back(index);
  simulation_.schedule_in(route_class.latency, *this, kind_deliver, flow.origin.token);
  reallocate(route_class.finishes.empty() ? std::nullopt : std::optional<std::uint32_t>(c));
}

bool Network::saturated(const Link& link) const {
  return link.bandwidth - link.used <= saturation_tolerance * link.bandwidth;
}

void Network::begin_reallocation() {
  ++reallocation_;
  forced_links_.clear();
}

void Network::force_expansion(int l) {
  Link& link = links_[static_cast<std::size_t>(l)];
  if (link.forced == reallocation_) return;
  link.forced = reallocation_;
  forced_links_.push_back(l);
}

void Network::include_class(std::uint32_t c) {
  RouteClass& route_class = classes_[c];
  if (route_class.visited == epoch_) return;
  route_class.visited = epoch_;
  route_class.frozen = false;
  route_class.new_rate = 0.0;
  component_classes_.push_back(c);
  for (int l : links_of(c)) {
    Link& link = links_[static_cast<std::size_t>(l)];
    if (link.visited != epoch_) {
      link.visited = epoch_;
      link.included = 0;
      link.included_old = link.included_new = 0.0;
      if (link.forced != reallocation_ && saturated(link)) force_expansion(l);
      (link.forced == reallocation_ ? component_links_ : boundary_links_).push_back(l);
    }
    link.included += route_class.flows();
    link.included_old += route_class.rate * static_cast<double>(route_class.counted);
  }
}

void Network::reallocate(std::optional<std::uint32_t> touched) {
  const SimTime now = simulation_.now();
  for (;;) {
    // 1. The classes whose shares may change, breadth first from the forced links and the touched
    //    class. A saturated link is expanded (all its classes join); an unsaturated one is a
    //    boundary: its other classes keep their rates (it is nobody's bottleneck) and the included
    //    ones see the capacity those leave.
    ++epoch_;
    component_links_.clear();
    boundary_links_.clear();
    component_classes_.clear();
    for (std::size_t i = 0; i < forced_links_.size(); ++i) {
      Link& link = links_[static_cast<std::size_t>(forced_links_[i])];
      if (link.visited == epoch_) continue;
      link.visited = epoch_;
      link.included = 0;
      link.included_old = link.included_new = 0.0;
      component_links_.push_back(forced_links_[i]);
    }
    if (touched) include_class(*touched);
    for (std::size_t next = 0; next < component_links_.size(); ++next)
      for (std::uint32_t c : links_[static_cast<std::size_t>(component_links_[next])].classes)
        include_class(c);
    // 2. Max-min fair shares by progressive filling: repeatedly saturate the link with the smallest
    //    equal share among its unfrozen flows and freeze those flows at that share (a class's flows
    //    freeze together: they cross the same links). Freezing flows at the smallest share s leaves
    //    every link they cross with (spare − k s) / (n − k) ≥ spare / n, so shares only grow: a
    //    min-heap of (share, link) with stale entries skipped on pop finds each bottleneck in
    //    O(log links) instead of a scan of the component's links.
    auto later = [](const std::pair<double, int>& a, const std::pair<double, int>& b) { return a > b; };
    share_heap_.clear();
    for (int l : component_links_) {
      Link& link = links_[static_cast<std::size_t>(l)];
      link.spare = link.bandwidth;
      link.unfrozen = link.included;
      if (link.unfrozen > 0) share_heap_.emplace_back(link.spare / static_cast<double>(link.unfrozen), l);
    }
    for (int l : boundary_links_) {
      Link& link = links_[static_cast<std::size_t>(l)];
      link.spare = link.bandwidth - (link.used - link.included_old);
      link.unfrozen = link.included;
      share_heap_.emplace_back(link.spare / static_cast<double>(link.unfrozen), l);
    }
    std::make_heap(share_heap_.begin(), share_heap_.end(), later);
    while (!share_heap_.empty()) {
      std::pop_heap(share_heap_.begin(), share_heap_.end(), later);
      const auto [share, l] = share_heap_.back();
      share_heap_.pop_back();
      Link& bottleneck = links_[static_cast<std::size_t>(l)];
      if (bottleneck.unfrozen == 0 || bottleneck.spare / static_cast<double>(bottleneck.unfrozen) != share)
        continue;  // stale
      for (std::uint32_t c : bottleneck.classes) {
        RouteClass& route_class = classes_[c];
        if (route_class.visited != epoch_ || route_class.frozen) continue;
        route_class.frozen = true;
        route_class.new_rate = share;
        const auto flows = route_class.flows();
        const double total = share * static_cast<double>(flows);
        for (int crossed : links_of(c)) {
          Link& link = links_[static_cast<std::size_t>(crossed)];
          link.spare -= total;
          link.included_new += total;
          link.unfrozen -= flows;
          if (link.unfrozen > 0 && &link != &bottleneck) {
            share_heap_.emplace_back(link.spare / static_cast<double>(link.unfrozen), crossed);
            std::push_heap(share_heap_.begin(), share_heap_.end(), later);
          }
        }
      }
    }
    // A boundary link that the new shares saturate becomes a bottleneck: its other flows may have
    // to give way, so expand it and fill again (each retry expands at least one more link).
    bool retry = false;
    for (int l : boundary_links_) {
      Link& link = links_[static_cast<std::size_t>(l)];
      const double used = link.used - link.included_old + link.included_new;
      if (link.bandwidth - used <= saturation_tolerance * link.bandwidth) {
        force_expansion(l);
        retry = true;
      }
    }
    if (!retry) break;
  }
  // 3. Only classes whose share changed (and the touched one, whose first finish may have changed)
  //    get a new completion event: one per class, however many flows it holds.
  for (std::uint32_t c : component_classes_) {
    RouteClass& route_class = classes_[c];
    route_class.counted = route_class.flows();
    if (route_class.rate == route_class.new_rate && c != touched &&
        simulation_.is_pending(route_class.completion))
      continue;
    advance(route_class, now);
    route_class.rate = route_class.new_rate;
    schedule_first_finish(c);
  }
  // 4. Link loads: expanded links summed afresh (no drift), boundary links by difference.
  for (int l : component_links_) {
    Link& link = links_[static_cast<std::size_t>(l)];
    link.used = 0.0;
    for (std::uint32_t c : link.classes)
      link.used += classes_[c].rate * static_cast<double>(classes_[c].flows());
    link.load.set(now, link.used / link.bandwidth);
  }
  for (int l : boundary_links_) {
    Link& link = links_[static_cast<std::size_t>(l)];
    link.used = link.used - link.included_old + link.included_new;
    link.load.set(now, link.used / link.bandwidth);
  }
}

std::optional<double> Network::flow_rate(std::uint64_t token) const {
  for (const Flow& flow : flows_)
    if (flow.active && flow.origin.token == token) return classes_[flow.route_class].rate;
  return std::nullopt;
}

void Network::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  switch (kind) {
    case kind_domain_done:
    case kind_deliver:
      client_.on_transfer_done(payload);
      break;
    case kind_flow_bits_done:
      finish_first(static_cast<std::uint32_t>(payload));
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
  if (links_[link].classes.empty()) return;
  // Every class crossing the link loses all its flows; they fail in the order they started.
  const std::vector<std::uint32_t> victims = links_[link].classes;
  std::vector<Finish> aborted;
  begin_reallocation();
  for (std::uint32_t c : victims) {
    RouteClass& route_class = classes_[c];
    const std::size_t count = route_class.flows();
    aborted.insert(aborted.end(), route_class.finishes.begin(), route_class.finishes.end());
    route_class.finishes.clear();
    release(c, count);
  }
  reallocate(std::nullopt);  // the survivors share the freed bandwidth
  std::sort(aborted.begin(), aborted.end(),
            [](const Finish& a, const Finish& b) { return a.sequence < b.sequence; });
  for (const Finish& finish : aborted) {
    Flow& flow = flows_[finish.flow];
    flow.active = false;
    free_flows_.push_back(finish.flow);
    fail_transfer(flow.origin, *link_outages_[link].spec);
  }
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
