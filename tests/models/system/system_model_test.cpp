// The system model against closed forms: a tandem of PS devices against the SPACE4AI-D evaluator
// (MODELS.md §4), network transfer times, device energy and cost, and loss accounting.
#include "models/system/system_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/analytic/infinite_queues.hpp"
#include "sim/engine/stats/confidence.hpp"

namespace continuum {
namespace {

/// Two components in tandem, one partition each, on devices `edge_dev` and `cloud_dev`.
ScenarioSpec tandem(double rate, double demand_edge, double demand_cloud, double bytes) {
  ScenarioSpec s;
  s.name = "tandem";
  s.simulation.horizon = 2e4;
  s.simulation.warmup = 1e3;
  s.layers = {"edge", "cloud"};
  DeviceTypeSpec edge{.name = "edge_box", .layer = "edge", .cores = 1, .discipline = Discipline::ps};
  edge.power = {.idle_w = 2.0, .busy_w = 6.0};
  edge.cost.per_second = 0.36 / 3600.0;
  DeviceTypeSpec cloud{.name = "vm", .layer = "cloud", .cores = 1, .discipline = Discipline::ps};
  cloud.power = {.idle_w = 50.0, .busy_w = 150.0};
  cloud.cost.per_second = 1.8 / 3600.0;
  s.device_types = {edge, cloud};
  s.devices = {{.name = "edge_dev", .type = "edge_box"}, {.name = "cloud_dev", .type = "vm"}};
  s.domains = {{.name = "wan",
                .layers = {"edge", "cloud"},
                .access_delay = 0.02,
                .bandwidth = 8e6,
                .tx_power_w = 1.0}};
  auto component = [](const char* name, const char* type, double demand) {
    PartitionSpec p{.name = "p"};
    p.demand.emplace(type, Distribution::exponential(demand));
    return ComponentSpec{.name = name, .deployments = {{.name = "d", .partitions = {p}}}};
  };
  s.application.components = {component("c1", "edge_box", demand_edge), component("c2", "vm", demand_cloud)};
  s.application.edges = {{.from = "c1", .to = "c2", .probability = 1.0, .data_bytes = bytes}};
  s.application.path_constraints = {{.name = "all", .components = {"c1", "c2"}, .limit = 1.0}};
  s.placement["c1"] = {.deployment = "d", .partitions = {{"p", {PlacementTarget::Kind::device, "edge_dev"}}}};
  s.placement["c2"] = {.deployment = "d",
                       .partitions = {{"p", {PlacementTarget::Kind::device, "cloud_dev"}}}};
  s.sources = {
      {.name = "users", .entry = "c1", .arrivals = {.process = ArrivalSpec::Process::poisson, .rate = rate}}};
  return s;
}

std::vector<RunSummary> replicate(const ScenarioSpec& spec, int replications) {
  std::vector<RunSummary> runs;
  for (int r = 0; r < replications; ++r) {
    Simulation simulation(100 + static_cast<std::uint64_t>(r));
    SystemModel model(simulation, spec);
    runs.push_back(model.run());
  }
  return runs;
}

stats::ConfidenceInterval interval(const std::vector<RunSummary>& runs, auto metric) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(metric(run));
  return stats::replication_interval(values, 0.99);
}

TEST(SystemModel, TandemOfPsDevicesMatchesTheSpace4aiEvaluator) {
  const double rate = 2.0, d1 = 0.2, d2 = 0.3, bytes = 1e5;
  const auto spec = tandem(rate, d1, d2, bytes);
  const auto runs = replicate(spec, 20);
  const double transfer = 0.02 + 8.0 * bytes / 8e6;
  const double r1 = analytic::mg1_ps(rate, d1).mean_response;
  const double r2 = analytic::mg1_ps(rate, d2).mean_response;
  const auto c1 = interval(runs, [](const RunSummary& s) { return s.components[0].latency.moments.mean(); });
  const auto c2 = interval(runs, [](const RunSummary& s) { return s.components[1].latency.moments.mean(); });
  const auto path = interval(runs, [](const RunSummary& s) { return s.latency.moments.mean(); });
  EXPECT_TRUE(c1.contains(r1)) << c1.lower() << " " << r1 << " " << c1.upper();
  EXPECT_TRUE(c2.contains(r2)) << c2.lower() << " " << r2 << " " << c2.upper();
  EXPECT_TRUE(path.contains(r1 + transfer + r2))
      << path.lower() << " " << r1 + transfer + r2 << " " << path.upper();
}

TEST(SystemModel, DeviceEnergyFollowsUtilisation) {
  const auto spec = tandem(2.0, 0.2, 0.3, 1e5);
  const auto runs = replicate(spec, 20);
  const double window = spec.simulation.horizon - spec.simulation.warmup;
  // E = (idle + (busy − idle)·U)·T with U = λD.
  const double expected_edge = (2.0 + 4.0 * 2.0 * 0.2) * window;
  const auto energy = interval(runs, [](const RunSummary& s) { return s.devices[0].energy_j; });
  EXPECT_TRUE(energy.contains(expected_edge))
      << energy.lower() << " " << expected_edge << " " << energy.upper();
  // And each run's energy is consistent with its own measured utilisation, exactly.
  for (const auto& run : runs)
    EXPECT_NEAR(run.devices[1].energy_j, (50.0 + 100.0 * run.devices[1].utilization) * window,
                1e-6 * run.devices[1].energy_j);
}

TEST(SystemModel, CostIsPricePerHourTimesMeasuredTime) {
  const auto spec = tandem(1.0, 0.1, 0.1, 1e3);
  const auto run = replicate(spec, 1).front();
  const double hours = (spec.simulation.horizon - spec.simulation.warmup) / 3600.0;
  EXPECT_NEAR(run.devices[0].cost, 0.36 * hours, 1e-12);
  EXPECT_NEAR(run.devices[1].cost, 1.8 * hours, 1e-12);
  EXPECT_NEAR(run.total_cost(), (0.36 + 1.8) * hours, 1e-12);
}

TEST(SystemModel, OfferedEqualsCompletedPlusLostWithFiniteBuffers) {
  auto spec = tandem(4.0, 0.2, 0.2, 1e4);
  spec.device_types[0].buffer = 2;  // overloaded edge with a small buffer: many losses
  spec.device_types[0].discipline = Discipline::fcfs;
  const auto run = replicate(spec, 1).front();
  EXPECT_GT(run.lost, 0u);
  EXPECT_EQ(run.offered, run.completed + run.lost);
  EXPECT_EQ(run.lost, run.lost_by_cause[static_cast<std::size_t>(LossCause::buffer_full)]);
  EXPECT_EQ(run.unfinished, 0u);
}

TEST(SystemModel, FailuresLoseRequestsButTheBalanceHolds) {
  auto spec = tandem(1.0, 0.2, 0.2, 1e4);
  spec.device_types[1].failures = FailureSpec{.mttf = 200.0, .mttr = 20.0};
  const auto run = replicate(spec, 1).front();
  EXPECT_GT(run.lost_by_cause[static_cast<std::size_t>(LossCause::failure)], 0u);
  EXPECT_EQ(run.offered, run.completed + run.lost);
  // Availability MTTF/(MTTF+MTTR) = 0.909; one run of ~90 cycles lands within a few percent.
  EXPECT_NEAR(run.devices[1].availability, 200.0 / 220.0, 0.05);
}

TEST(SystemModel, RetriedRequestsSurviveFailuresOfOneOfSeveralInstances) {
  auto spec = tandem(1.0, 0.2, 0.2, 1e4);
  spec.devices[1].count = 3;
  spec.device_types[1].failures = FailureSpec{.mttf = 200.0, .mttr = 5.0, .retry = true, .max_retries = 5};
  const auto run = replicate(spec, 1).front();
  EXPECT_EQ(run.offered, run.completed + run.lost);
  EXPECT_LT(run.loss_ratio(), 1e-3);
}

TEST(SystemModel, LatencyIsAtLeastTheDeterministicWorkOnThePath) {
  auto spec = tandem(0.5, 0.2, 0.3, 1e5);
  spec.application.components[0].deployments[0].partitions[0].demand.at("edge_box") =
      Distribution::deterministic(0.2);
  spec.application.components[1].deployments[0].partitions[0].demand.at("vm") =
      Distribution::deterministic(0.3);
  const auto run = replicate(spec, 1).front();
  const double floor = 0.2 + 0.3 + 0.02 + 8.0 * 1e5 / 8e6;
  EXPECT_GE(run.latency.moments.min(), floor - 1e-9);
  EXPECT_EQ(run.lost, 0u);
}

TEST(SystemModel, SameSeedGivesIdenticalResultsAndAnotherSeedDiffers) {
  const auto spec = tandem(2.0, 0.2, 0.3, 1e5);
  Simulation a(5), b(5), c(6);
  SystemModel ma(a, spec), mb(b, spec), mc(c, spec);
  const auto ra = ma.run(), rb = mb.run(), rc = mc.run();
  EXPECT_EQ(ra.latency.moments.mean(), rb.latency.moments.mean());
  EXPECT_EQ(ra.events, rb.events);
  EXPECT_NE(ra.latency.moments.mean(), rc.latency.moments.mean());
}

TEST(SystemModel, TopologyFlowsShareABottleneckLinkFairly) {
  // Two sources on sites a1 and a2 send 1 MB each through the shared link core→dc at 8 Mbit/s.
  ScenarioSpec s = tandem(1.0, 1e-6, 1e-6, 1e6);
  s.topology.sites = {"a", "core", "dc"};
  s.topology.links = {{.name = "access", .a = "a", .b = "core", .latency = 0.001, .bandwidth = 1e9},
                      {.name = "backbone", .a = "core", .b = "dc", .latency = 0.01, .bandwidth = 8e6}};
  s.devices[0].site = "a";
  s.devices[1].site = "dc";
  s.application.components[0].deployments[0].partitions[0].demand.at("edge_box") =
      Distribution::deterministic(1e-6);
  s.application.components[1].deployments[0].partitions[0].demand.at("vm") =
      Distribution::deterministic(1e-6);
  s.simulation.warmup = 0;
  s.simulation.horizon = 0.5;
  s.sources = {{.name = "burst",
                .entry = "c1",
                .arrivals = {.process = ArrivalSpec::Process::trace, .timestamps = {0.0, 0.0}}}};
  const auto run = replicate(s, 1).front();
  ASSERT_EQ(run.completed, 2u);
  // Together they need 2 MB / 1 MB/s = 2 s on the bottleneck: both finish at ≈ 2 s + latencies.
  EXPECT_NEAR(run.latency.moments.mean(), 2.0 + 0.011, 1e-3);
  EXPECT_NEAR(run.latency.moments.min(), run.latency.moments.max(), 1e-9);
}

// Numerical guards (issue 10): offered work per device and offered bits per link over the window,
// against capacity; an unbounded queue offered more than it can serve has no steady state.
TEST(SystemModelStability, FlagsOnlyTheDeviceOfferedMoreWorkThanItsCapacity) {
  auto spec = tandem(10.0, 0.05, 0.12, 1e3);  // edge ρ = 0.5, cloud ρ = 1.2
  spec.simulation.horizon = 2000;
  spec.simulation.warmup = 100;
  const auto run = replicate(spec, 1).front();
  EXPECT_FALSE(run.stability.stable);
  ASSERT_EQ(run.stability.reasons.size(), 1u);
  EXPECT_NE(run.stability.reasons[0].find("device cloud_dev"), std::string::npos) << run.stability.reasons[0];
  // ~19 000 arrivals: the estimates are within a few percent of λ·D.
  EXPECT_NEAR(run.devices[0].offered_utilization, 0.5, 0.02);
  EXPECT_NEAR(run.devices[1].offered_utilization, 1.2, 0.05);
  EXPECT_TRUE(std::isfinite(run.latency.moments.mean()));
  EXPECT_EQ(run.offered, run.completed + run.lost + run.unfinished);
}

TEST(SystemModelStability, AStableTandemIsNotFlagged) {
  auto spec = tandem(10.0, 0.05, 0.08, 1e3);  // ρ = 0.5 and 0.8
  spec.simulation.horizon = 2000;
  spec.simulation.warmup = 100;
  const auto run = replicate(spec, 1).front();
  EXPECT_TRUE(run.stability.stable);
  EXPECT_TRUE(run.stability.reasons.empty());
  EXPECT_NEAR(run.devices[1].offered_utilization, 0.8, 0.04);
}

TEST(SystemModelStability, DowntimeCountsAgainstCapacity) {
  // ρ = 0.8 on a device up 2/3 of the time: 1.2 of the capacity that is actually there.
  auto spec = tandem(10.0, 0.05, 0.08, 1e3);
  spec.simulation.horizon = 4000;
  spec.simulation.warmup = 100;
  spec.device_types[1].failures = FailureSpec{.mttf = 40.0, .mttr = 20.0, .retry = true, .max_retries = 255};
  const auto run = replicate(spec, 1).front();
  EXPECT_NEAR(run.devices[1].availability, 2.0 / 3.0, 0.07);
  EXPECT_GT(run.devices[1].offered_utilization, 1.0);
  EXPECT_FALSE(run.stability.stable);
}

ScenarioSpec over_one_link(double bytes) {
  ScenarioSpec s = tandem(10.0, 1e-3, 1e-3, bytes);
  s.topology.sites = {"a", "dc"};
  s.topology.links = {{.name = "uplink", .a = "a", .b = "dc", .latency = 0.001, .bandwidth = 8e6}};
  s.devices[0].site = "a";
  s.devices[1].site = "dc";
  s.simulation.horizon = 300;
  s.simulation.warmup = 20;
  return s;
}

TEST(SystemModelStability, ALinkOfferedMoreBitsThanItsBandwidthIsFlagged) {
  const auto overloaded = replicate(over_one_link(2e5), 1).front();  // 10/s × 1.6 Mbit on 8 Mbit/s
  EXPECT_FALSE(overloaded.stability.stable);
  ASSERT_EQ(overloaded.links.size(), 1u);
  EXPECT_NEAR(overloaded.links[0].offered_load, 2.0, 0.15);
  ASSERT_EQ(overloaded.stability.reasons.size(), 1u);
  EXPECT_NE(overloaded.stability.reasons[0].find("link uplink"), std::string::npos);

  const auto light = replicate(over_one_link(5e4), 1).front();
  EXPECT_TRUE(light.stability.stable);
  EXPECT_NEAR(light.links[0].offered_load, 0.5, 0.05);
}

// Link and domain outages (issue 10): transfers that need a down element are lost (link_down) or
// retried; every offered request is completed or lost by some cause.
struct LossTimes final : RunObserver {
  std::vector<SimTime> link_down;  // when each link_down loss happened
  void on_request(const RequestRecord& record) override {
    if (record.drop_reason == static_cast<int>(LossCause::link_down)) link_down.push_back(record.finish);
  }
  void on_sample(SimTime, const std::vector<DeviceSample>&, const std::vector<LinkSample>&) override {}
};

struct OutageRun {
  RunSummary summary;
  std::vector<SimTime> link_down;
};

OutageRun run_observed(const ScenarioSpec& spec, std::uint64_t seed = 100) {
  Simulation simulation(seed);
  SystemModel model(simulation, spec);
  LossTimes observer;
  model.attach_observer(observer, 0.0);
  OutageRun run{model.run(), {}};
  run.link_down = std::move(observer.link_down);
  return run;
}

std::uint64_t lost_to(const RunSummary& run, LossCause cause) {
  return run.lost_by_cause[static_cast<std::size_t>(cause)];
}

std::uint64_t sum_by_cause(const RunSummary& run) {
  std::uint64_t total = 0;
  for (const auto lost : run.lost_by_cause) total += lost;
  return total;
}

TEST(LinkOutages, AScheduledLinkWindowLosesTransfersOnlyInsideIt) {
  auto spec = over_one_link(5e4);  // 10/s, 0.4 Mbit each on 8 Mbit/s: ρ = 0.5
  spec.topology.links[0].outages = OutageSpec{.windows = {{100.0, 150.0}, {200.0, 210.0}}};
  const auto run = run_observed(spec);
  EXPECT_GT(lost_to(run.summary, LossCause::link_down), 300u);  // ~10/s × 60 s, all lost
  EXPECT_EQ(run.summary.offered, run.summary.completed + run.summary.lost);
  EXPECT_EQ(run.summary.lost, sum_by_cause(run.summary));
  ASSERT_FALSE(run.link_down.empty());
  for (const SimTime t : run.link_down)
    EXPECT_TRUE((t >= 100.0 && t < 150.0) || (t >= 200.0 && t < 210.0)) << "link_down loss at " << t;
}

TEST(LinkOutages, RetriesAfterTheWindowSaveTheTransfers) {
  auto spec = over_one_link(5e4);
  spec.topology.links[0].outages =
      OutageSpec{.windows = {{100.0, 101.0}}, .retry = true, .max_retries = 10, .retry_delay = 0.5};
  const auto run = run_observed(spec);
  EXPECT_EQ(lost_to(run.summary, LossCause::link_down), 0u);  // 1 s of outage, 5 s of retries
  EXPECT_EQ(run.summary.offered, run.summary.completed);
  // The retried requests waited out the window: the slowest took about the window's length.
  EXPECT_GT(run.summary.latency.moments.max(), 0.5);
}

TEST(LinkOutages, ADomainWindowRefusesTransfersThatStartInIt) {
  auto spec = tandem(2.0, 0.05, 0.05, 1e4);
  spec.simulation.horizon = 400;
  spec.simulation.warmup = 0;
  spec.domains[0].outages = OutageSpec{.windows = {{100.0, 200.0}}};
  const auto run = run_observed(spec);
  EXPECT_GT(lost_to(run.summary, LossCause::link_down), 100u);
  EXPECT_EQ(run.summary.offered, run.summary.completed + run.summary.lost);
  for (const SimTime t : run.link_down) EXPECT_TRUE(t >= 100.0 && t < 200.0) << t;
}

TEST(LinkOutages, OfferedIsCompletedPlusLostByCauseUnderDeviceAndRandomLinkFaults) {
  auto spec = over_one_link(5e4);
  spec.simulation.horizon = 2000;
  // The cloud device is down 1/11 of the time (arrivals then lost) and the edge buffer is small.
  spec.application.components[1].deployments[0].partitions[0].demand.at("vm") =
      Distribution::exponential(0.05);
  spec.device_types[1].failures = FailureSpec{.mttf = 100.0, .mttr = 10.0};
  spec.device_types[0].buffer = 3;
  spec.device_types[0].discipline = Discipline::fcfs;
  spec.topology.links[0].outages =
      OutageSpec{.mttf = 60.0, .mttr = 3.0, .retry = true, .max_retries = 1, .retry_delay = 1.0};
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto run = run_observed(spec, seed).summary;
    EXPECT_GT(lost_to(run, LossCause::link_down), 0u);
    EXPECT_GT(lost_to(run, LossCause::failure), 0u);
    EXPECT_EQ(run.lost, sum_by_cause(run));
    EXPECT_EQ(run.offered, run.completed + run.lost) << "seed " << seed;
    EXPECT_EQ(run.unfinished, 0u);
  }
}

TEST(LinkOutages, RandomOutagesMatchTheirAvailability) {
  // Down MTTR/(MTTF+MTTR) = 1/11 of the time, with transfers lost: the loss ratio estimates it.
  auto spec = over_one_link(1e4);
  spec.simulation.horizon = 20000;
  spec.topology.links[0].outages = OutageSpec{.mttf = 100.0, .mttr = 10.0};
  std::vector<double> ratios;
  for (std::uint64_t seed = 1; seed <= 5; ++seed)
    ratios.push_back(run_observed(spec, seed).summary.loss_ratio());
  const auto ci = stats::replication_interval(ratios, 0.99);
  EXPECT_NEAR(ci.mean, 1.0 / 11.0, ci.half_width + 0.005);
}

}  // namespace
}  // namespace continuum
