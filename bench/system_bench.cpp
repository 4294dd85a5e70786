// Scenario benchmark through the whole model stack (sources, device stations, network with
// max-min sharing on a topology, accounting), tracing off: many edge devices, each with its own
// Poisson source, sending to a cloud tier over shared uplinks. Reports events/s and requests/s.
#include <benchmark/benchmark.h>

#include <string>

#include "models/system/system_model.hpp"

namespace {

using namespace continuum;

/// `edges` edge devices in `edges / 50` sites; each site has an uplink to the core, one backbone
/// link to the data centre; components: detect (edge) → classify (cloud, 8 VMs).
ScenarioSpec two_tier(int edges, bool topology) {
  ScenarioSpec s;
  s.name = "two_tier";
  s.simulation.horizon = 600.0;
  s.simulation.warmup = 0.0;
  s.layers = {"edge", "cloud"};
  s.device_types = {
      {.name = "edge_node", .layer = "edge", .cores = 1, .discipline = Discipline::fcfs, .power = {2.0, 6.0}},
      {.name = "vm", .layer = "cloud", .cores = 8, .discipline = Discipline::ps, .power = {50.0, 150.0}}};
  s.domains = {{.name = "wan", .layers = {"edge", "cloud"}, .access_delay = 0.01, .bandwidth = 1e9}};
  const int sites = topology ? (edges + 49) / 50 : 0;
  if (topology) {
    s.topology.sites = {"core", "dc"};
    s.topology.links.push_back(
        {.name = "backbone", .a = "core", .b = "dc", .latency = 0.005, .bandwidth = 10e9});
    for (int i = 0; i < sites; ++i) {
      s.topology.sites.push_back("site" + std::to_string(i));
      s.topology.links.push_back({.name = "uplink" + std::to_string(i),
                                  .a = "site" + std::to_string(i),
                                  .b = "core",
                                  .latency = 0.002,
                                  .bandwidth = 1e9});
    }
  }
  PartitionSpec detect{.name = "p", .output_bytes = 0.0};
  detect.demand.emplace("edge_node", Distribution::exponential(0.05));
  PartitionSpec classify{.name = "p"};
  classify.demand.emplace("vm", Distribution::exponential(0.02));
  s.application.components = {{.name = "detect", .deployments = {{.name = "d", .partitions = {detect}}}},
                              {.name = "classify", .deployments = {{.name = "d", .partitions = {classify}}}}};
  s.application.edges = {{.from = "detect", .to = "classify", .probability = 1.0, .data_bytes = 2e4}};
  s.devices.push_back({.name = "cloud",
                       .type = "vm",
                       .count = 8,
                       .dispatch = DispatchRule::round_robin,
                       .site = topology ? "dc" : ""});
  s.placement["classify"] = {.deployment = "d",
                             .partitions = {{"p", {PlacementTarget::Kind::device, "cloud"}}}};
  // Each edge device is a source with its own placement of `detect`: model it as one device group
  // per edge node would need one component per node; instead one group of `edges` instances with
  // round-robin dispatch carries the same load (the sources differ only in their streams).
  s.devices.push_back({.name = "edge",
                       .type = "edge_node",
                       .count = edges,
                       .dispatch = DispatchRule::round_robin,
                       .site = topology ? "site0" : ""});
  s.placement["detect"] = {.deployment = "d", .partitions = {{"p", {PlacementTarget::Kind::device, "edge"}}}};
  for (int i = 0; i < edges; ++i)
    s.sources.push_back({.name = "camera" + std::to_string(i),
                         .entry = "detect",
                         .arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 1.0}});
  return s;
}

void run_two_tier(benchmark::State& state, bool topology) {
  const auto spec = two_tier(static_cast<int>(state.range(0)), topology);
  std::uint64_t events = 0, requests = 0;
  for (auto _ : state) {
    Simulation simulation(1);
    SystemModel model(simulation, spec);
    const auto summary = model.run();
    events += summary.events;
    requests += summary.completed + summary.lost;
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["requests/s"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}

void two_tier_domains(benchmark::State& state) {
  run_two_tier(state, false);
}
void two_tier_topology(benchmark::State& state) {
  run_two_tier(state, true);
}

}  // namespace

BENCHMARK(two_tier_domains)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(two_tier_topology)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
