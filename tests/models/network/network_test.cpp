#include "models/network/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace continuum {
namespace {

struct DeliveryLog final : TransferClient {
  explicit DeliveryLog(const Simulation* clock = nullptr) : simulation(clock) {}
  const Simulation* simulation;
  std::vector<std::uint64_t> delivered;
  std::map<std::uint64_t, double> arrival;  // token -> time, when a simulation is given
  std::vector<std::uint64_t> lost;
  void on_transfer_done(std::uint64_t token) override {
    delivered.push_back(token);
    if (simulation) arrival[token] = simulation->now();
  }
  void on_transfer_lost(std::uint64_t token) override { lost.push_back(token); }
};

/// A random connected topology: a random spanning tree over `sites` sites plus `extra` links,
/// with distinct latencies (so least-latency routes are unique) and bandwidths of 10 Mb/s–1 Gb/s.
ScenarioSpec random_topology(boost::random::mt19937_64& rng, int sites, int extra) {
  ScenarioSpec s;
  s.layers = {"edge"};
  for (int i = 0; i < sites; ++i) s.topology.sites.push_back("s" + std::to_string(i));
  boost::random::uniform_real_distribution<double> bandwidth(1e7, 1e9), latency(1e-3, 1e-2);
  auto add_link = [&](int a, int b) {
    s.topology.links.push_back({.name = "l" + std::to_string(s.topology.links.size()),
                                .a = "s" + std::to_string(a),
                                .b = "s" + std::to_string(b),
                                .latency = latency(rng),
                                .bandwidth = bandwidth(rng)});
  };
  for (int i = 1; i < sites; ++i) add_link(boost::random::uniform_int_distribution<int>(0, i - 1)(rng), i);
  boost::random::uniform_int_distribution<int> any_site(0, sites - 1);
  for (int k = 0; k < extra; ++k) {
    const int a = any_site(rng), b = any_site(rng);
    if (a != b) add_link(a, b);
  }
  return s;
}

/// Max-min fair rates from scratch over every active flow (textbook progressive filling over the
/// whole network), independent of Network's bookkeeping.
std::map<std::uint64_t, double> global_max_min(const std::map<std::uint64_t, std::vector<int>>& routes,
                                               const std::vector<double>& bandwidth) {
  std::vector<double> spare = bandwidth;
  std::map<std::uint64_t, double> rate;
  while (rate.size() < routes.size()) {
    std::vector<int> unfixed(bandwidth.size(), 0);
    for (const auto& [token, links] : routes)
      if (!rate.count(token))
        for (int l : links) ++unfixed[static_cast<std::size_t>(l)];
    double share = std::numeric_limits<double>::infinity();
    std::size_t bottleneck = 0;
    for (std::size_t l = 0; l < bandwidth.size(); ++l)
      if (unfixed[l] > 0 && spare[l] / unfixed[l] < share) share = spare[l] / unfixed[l], bottleneck = l;
    for (const auto& [token, links] : routes) {
      if (rate.count(token) ||
          std::find(links.begin(), links.end(), static_cast<int>(bottleneck)) == links.end())
        continue;
      rate[token] = share;
      for (int l : links) spare[static_cast<std::size_t>(l)] -= share;
    }
  }
  return rate;
}

/// Checks every moving flow's rate against the global recomputation.
void expect_global_max_min(const Network& network, const std::map<std::uint64_t, std::vector<int>>& started,
                           const std::vector<double>& bandwidth) {
  std::map<std::uint64_t, std::vector<int>> moving;
  for (const auto& [token, links] : started)
    if (network.flow_rate(token)) moving.emplace(token, links);
  const auto expected = global_max_min(moving, bandwidth);
  for (const auto& [token, rate] : expected)
    EXPECT_NEAR(*network.flow_rate(token), rate, 1e-9 * rate) << "flow " << token;
}

TEST(Network, LocalMaxMinSharesEqualAGlobalRecomputationOnRandomFlowSets) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    boost::random::mt19937_64 rng(seed);
    const int sites = 9;
    const ScenarioSpec spec = random_topology(rng, sites, 5);
    std::vector<double> bandwidth;
    for (const auto& link : spec.topology.links) bandwidth.push_back(link.bandwidth);
    Simulation simulation(seed);
    DeliveryLog log;
    Network network(simulation, spec, log);
    boost::random::uniform_int_distribution<int> any_site(0, sites - 1);
    boost::random::uniform_real_distribution<double> megabytes(0.1, 5.0);
    std::map<std::uint64_t, std::vector<int>> started;
    // Flows start in three waves while earlier ones are still moving, so reallocations happen on
    // starts and ends of flows in overlapping and disjoint components.
    for (int wave = 0; wave < 3; ++wave) {
      for (int k = 0; k < 15; ++k) {
        const int a = any_site(rng), b = any_site(rng);
        if (a == b) continue;
        const std::uint64_t token = started.size();
        ASSERT_TRUE(network.transfer({0, a}, {0, b}, megabytes(rng) * 1e6, token));
        started.emplace(token, network.route(a, b));
        expect_global_max_min(network, started, bandwidth);
      }
      for (int step = 0; step < 10; ++step) {
        simulation.run({.max_events = simulation.events_processed() + 1});
        expect_global_max_min(network, started, bandwidth);
      }
    }
    while (simulation.pending_events() > 0) {  // every remaining end, one event at a time
      simulation.run({.max_events = simulation.events_processed() + 1});
      expect_global_max_min(network, started, bandwidth);
    }
    EXPECT_EQ(log.delivered.size(), started.size());
    for (std::size_t l = 0; l < network.link_count(); ++l) EXPECT_EQ(network.link_flows(l), 0u);
  }
}

/// A flow of the fluid reference: it starts at `start` with `bits` to move over `links`.
struct FluidFlow {
  double start, bits;
  std::vector<int> links;
};

/// When each flow has moved all its bits, by a from-scratch fluid simulation: between consecutive
/// starts and ends every active flow moves at its global max-min rate.
std::map<std::uint64_t, double> fluid_finish_times(const std::map<std::uint64_t, FluidFlow>& flows,
                                                   const std::vector<double>& bandwidth) {
  std::map<std::uint64_t, double> remaining, finish;
  std::map<std::uint64_t, std::vector<int>> active;
  double now = 0.0;
  while (finish.size() < flows.size()) {
    for (const auto& [token, flow] : flows)
      if (flow.start <= now && !finish.count(token) && !active.count(token)) {
        active.emplace(token, flow.links);
        remaining[token] = flow.bits;
      }
    const auto rate = global_max_min(active, bandwidth);
    double step = std::numeric_limits<double>::infinity();
    std::uint64_t first = 0;
    for (const auto& [token, bits] : remaining)
      if (bits / rate.at(token) < step) step = bits / rate.at(token), first = token;
    bool ends = true;
    for (const auto& [token, flow] : flows)
      if (flow.start > now && flow.start - now < step) step = flow.start - now, ends = false;
    now += step;
    for (auto& [token, bits] : remaining) bits -= rate.at(token) * step;
    if (!ends) continue;
    finish[first] = now;
    active.erase(first);
    remaining.erase(first);
  }
  return finish;
}

// Issue 9: bursts of hundreds of flows on one saturated link (a link back from maintenance). The
// flows of a route share one virtual clock and one pending event; rates and completion times must
// still be those of exact max-min sharing, also with other routes through the same bottleneck.
TEST(Network, BurstsOnOneLinkKeepExactMaxMinRatesAndCompletionTimes) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    boost::random::mt19937_64 rng(seed);
    const int sites = 7;
    const ScenarioSpec spec = random_topology(rng, sites, 4);
    std::vector<double> bandwidth;
    for (const auto& link : spec.topology.links) bandwidth.push_back(link.bandwidth);
    Simulation simulation(seed);
    DeliveryLog log(&simulation);
    Network network(simulation, spec, log);
    boost::random::uniform_int_distribution<int> any_site(0, sites - 1);
    boost::random::uniform_real_distribution<double> megabytes(0.01, 0.5);
    std::map<std::uint64_t, std::vector<int>> started;
    std::map<std::uint64_t, FluidFlow> fluid;
    std::map<std::uint64_t, double> latency;
    auto start = [&](int a, int b) {
      const std::uint64_t token = started.size();
      const double bytes = megabytes(rng) * 1e6;
      ASSERT_TRUE(network.transfer({0, a}, {0, b}, bytes, token));
      started.emplace(token, network.route(a, b));
      fluid.emplace(token, FluidFlow{simulation.now(), 8.0 * bytes, network.route(a, b)});
      latency[token] = 0.0;
      for (int l : network.route(a, b))
        latency[token] += spec.topology.links[static_cast<std::size_t>(l)].latency;
    };
    // One hot pair of sites (a single link when they are neighbours, a multi-link route otherwise).
    const int hot_from = 0, hot_to = 1 + static_cast<int>(seed % (sites - 1));
    for (int k = 0; k < 200; ++k) start(hot_from, hot_to);  // the burst, all at time 0
    for (int k = 0; k < 30; ++k) {                          // mixed routes, some through the hot links
      const int a = any_site(rng), b = any_site(rng);
      if (a != b) start(a, b);
    }
    expect_global_max_min(network, started, bandwidth);
    for (int step = 0; step < 100; ++step) {  // a hundred flow ends, then a second burst mid-way
      simulation.run({.max_events = simulation.events_processed() + 1});
      expect_global_max_min(network, started, bandwidth);
    }
    for (int k = 0; k < 60; ++k) start(hot_to, hot_from);
    for (int k = 0; k < 40; ++k) start(hot_from, hot_to);
    expect_global_max_min(network, started, bandwidth);
    while (simulation.pending_events() > 0) {
      simulation.run({.max_events = simulation.events_processed() + 1});
      expect_global_max_min(network, started, bandwidth);
    }
    ASSERT_EQ(log.delivered.size(), started.size());
    for (std::size_t l = 0; l < network.link_count(); ++l) EXPECT_EQ(network.link_flows(l), 0u);
    // Each flow's bits arrive when the fluid reference says (the route latency after its last bit).
    const auto finish = fluid_finish_times(fluid, bandwidth);
    for (const auto& [token, time] : finish)
      EXPECT_NEAR(log.arrival.at(token) - latency.at(token), time, 1e-9 * time) << "flow " << token;
  }
}

// A route that stays busy for long (a 20 Gbit flow with short ones joining and leaving) passes
// its clock's re-basing point many times; completion times must stay exact.
TEST(Network, ARouteBusyForLongKeepsExactCompletionTimes) {
  ScenarioSpec spec;
  spec.layers = {"edge"};
  spec.topology.sites = {"a", "b"};
  spec.topology.links = {{.name = "ab", .a = "a", .b = "b", .latency = 0.001, .bandwidth = 1e9}};
  Simulation simulation(1);
  DeliveryLog log(&simulation);
  Network network(simulation, spec, log);
  boost::random::mt19937_64 rng(7);
  boost::random::uniform_real_distribution<double> megabytes(1.0, 200.0);
  std::map<std::uint64_t, FluidFlow> fluid;
  auto start = [&](double bytes) {
    const std::uint64_t token = fluid.size();
    ASSERT_TRUE(network.transfer({0, 0}, {0, 1}, bytes, token));
    fluid.emplace(token, FluidFlow{simulation.now(), 8.0 * bytes, {0}});
  };
  start(2.5e9);
  for (int k = 1; k <= 60; ++k) {  // one short flow every 0.5 s while the long one moves
    simulation.run({.until = 0.5 * k});
    start(megabytes(rng) * 1e6);
  }
  simulation.run({});
  ASSERT_EQ(log.arrival.size(), fluid.size());
  const auto finish = fluid_finish_times(fluid, {1e9});
  EXPECT_GT(finish.at(0), 20.0);  // the long flow alone moved 10^9 bits many times over
  for (const auto& [token, time] : finish)
    EXPECT_NEAR(log.arrival.at(token) - 0.001, time, 1e-12 * time) << "flow " << token;
}

TEST(Network, RoutesFollowTheLeastLatencyPathAndAreCached) {
  ScenarioSpec s;
  s.layers = {"edge"};
  s.topology.sites = {"a", "b", "c"};
  s.topology.links = {{.name = "ab", .a = "a", .b = "b", .latency = 0.001, .bandwidth = 1e9},
                      {.name = "bc", .a = "b", .b = "c", .latency = 0.001, .bandwidth = 1e9},
                      {.name = "ac", .a = "a", .b = "c", .latency = 0.010, .bandwidth = 1e9}};
  Simulation simulation(1);
  DeliveryLog log;
  Network network(simulation, s, log);
  EXPECT_EQ(network.route(0, 2), (std::vector<int>{0, 1}));
  EXPECT_EQ(network.route(2, 0), (std::vector<int>{1, 0}));
  EXPECT_EQ(&network.route(0, 2), &network.route(0, 2));
  EXPECT_TRUE(network.route(1, 1).empty());
}

}  // namespace
}  // namespace continuum
