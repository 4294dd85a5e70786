// A burst of N flows starting together on one saturated link (as when a link comes back from a
// maintenance window and thousands of retried transfers start at once), each of a random size, run
// until the last one has arrived. Every start and every end changes every flow's max-min share
// (C / n), so the cost per flow event shows how the network model scales with the flows sharing a
// bottleneck. `mixed` adds a second route through the same bottleneck with a slower link of its
// own, so two rates coexist on the link. Reports the CPU time per flow event (starts + ends).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "models/network/network.hpp"

namespace {

using namespace continuum;

struct Sink final : TransferClient {
  std::uint64_t delivered = 0;
  void on_transfer_done(std::uint64_t) override { ++delivered; }
  void on_transfer_lost(std::uint64_t) override {}
};

/// Sites a – b – c: a 1 Gb/s bottleneck a–b and, for the mixed case, a 50 Mb/s link b–c.
ScenarioSpec line_topology() {
  ScenarioSpec s;
  s.layers = {"edge"};
  s.topology.sites = {"a", "b", "c"};
  s.topology.links = {{.name = "bottleneck", .a = "a", .b = "b", .latency = 0.002, .bandwidth = 1e9},
                      {.name = "tail", .a = "b", .b = "c", .latency = 0.002, .bandwidth = 5e7}};
  return s;
}

void burst(benchmark::State& state, bool mixed) {
  const auto flows = static_cast<std::uint64_t>(state.range(0));
  const ScenarioSpec spec = line_topology();
  std::uint64_t delivered = 0;
  for (auto _ : state) {
    Simulation simulation(1);
    Sink sink;
    Network network(simulation, spec, sink);
    boost::random::mt19937_64 rng(1);
    boost::random::uniform_real_distribution<double> bytes(1e5, 2e6);
    // Every tenth flow of the mixed burst also crosses the slow tail link and is held there to a
    // smaller share; the others share what those leave of the bottleneck.
    for (std::uint64_t k = 0; k < flows; ++k)
      network.transfer({0, 0}, {0, mixed && k % 10 == 0 ? 2 : 1}, bytes(rng), k);
    simulation.run({});
    delivered += sink.delivered;
  }
  if (delivered != flows * state.iterations()) state.SkipWithError("a flow did not arrive");
  // Two flow events per flow: its start and its end.
  state.counters["per_flow_event"] =
      benchmark::Counter(static_cast<double>(2 * flows * state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void burst_one_link(benchmark::State& state) {
  burst(state, false);
}
void burst_mixed_routes(benchmark::State& state) {
  burst(state, true);
}

}  // namespace

BENCHMARK(burst_one_link)
    ->RangeMultiplier(4)
    ->Range(1 << 10, 1 << 14)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();
BENCHMARK(burst_mixed_routes)
    ->RangeMultiplier(4)
    ->Range(1 << 10, 1 << 14)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

BENCHMARK_MAIN();
