// The early-exit pipeline against hand-computed cases and closed forms: where threshold-mode inputs
// leave, single-exit service times, the edge → cloud path (transfer, FIFO uplink, answer back), energy,
// loss accounting, and the M/M/1/K loss of the edge device.
#include "models/early_exit/early_exit_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include "models/analytic/finite_queues.hpp"
#include "sim/engine/stats/confidence.hpp"

namespace continuum {
namespace {

/// What a ScriptedPolicy heard; owned by the test, so it outlives the model and its policy.
struct PolicyLog {
  int arrivals = 0, admitted = 0, empties = 0, decisions = 0;
  std::vector<ExitContext> contexts;
  std::vector<ExitOutcome> outcomes;                    // `input` is only valid during the call: see below
  std::vector<std::vector<double>> outcome_confidence;  // the input's confidences, copied
};

/// A policy driven by the test: it answers with the given functions and logs the events it hears.
class ScriptedPolicy final : public ExitPolicy {
 public:
  explicit ScriptedPolicy(PolicyLog& log) : log_(log) {}
  std::function<int(const ExitContext&)> gate = [](const ExitContext&) { return 0; };
  std::function<double(const ExitContext&)> threshold = [](const ExitContext&) { return 0.5; };
  bool single = true;
  bool thresholds = true;

  std::string_view name() const override { return "scripted"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::single_exit ? single : thresholds; }
  int choose_gate(const ExitContext& context) override {
    ++log_.decisions;
    log_.contexts.push_back(context);
    return gate(context);
  }
  double choose_threshold(const ExitContext& context) override {
    ++log_.decisions;
    log_.contexts.push_back(context);
    return threshold(context);
  }
  void on_arrival(SimTime, bool was_admitted) override {
    ++log_.arrivals;
    log_.admitted += was_admitted ? 1 : 0;
  }
  void on_queue_empty(SimTime) override { ++log_.empties; }
  void on_outcome(const ExitOutcome& outcome) override {
    log_.outcomes.push_back(outcome);
    log_.outcomes.back().input = nullptr;
    log_.outcome_confidence.push_back(outcome.input->confidence);
  }

 private:
  PolicyLog& log_;
};

/// Hands the model a ScriptedPolicy; `log` and `setup` record what it saw.
struct ScriptedFactory {
  std::function<void(ScriptedPolicy&)> configure = [](ScriptedPolicy&) {};
  PolicyLog log;
  ExitPolicySetup setup;
  ExitPolicyFactory factory() {
    return [this](const ExitPolicySetup& given) {
      setup = given;
      log = PolicyLog{};
      auto policy = std::make_unique<ScriptedPolicy>(log);
      configure(*policy);
      return std::unique_ptr<ExitPolicy>(std::move(policy));
    };
  }
};

class Records final : public RunObserver {
 public:
  std::vector<RequestRecord> requests;
  std::vector<std::pair<SimTime, std::vector<DeviceSample>>> samples;
  void on_request(const RequestRecord& record) override { requests.push_back(record); }
  void on_sample(SimTime now, const std::vector<DeviceSample>& devices,
                 const std::vector<LinkSample>&) override {
    samples.emplace_back(now, devices);
  }
};

/// One edge device ("pi", 1 core, buffer 10) and deterministic gate increments `times`.
EarlyExitScenario single_device(const std::vector<double>& times, const std::vector<double>& accuracies) {
  EarlyExitScenario s;
  s.name = "test";
  s.simulation.horizon = 105.0;  // ten arrivals, at 10, 20, …, 100 s
  DeviceTypeSpec pi{.name = "pi", .layer = "edge", .cores = 1, .buffer = 10};
  pi.power = {.idle_w = 2.0, .busy_w = 6.0};
  s.device_types = {pi};
  s.edge_device = {.name = "edge", .type = "pi"};
  for (std::size_t e = 0; e < times.size(); ++e) {
    EarlyExitGateSpec gate{.name = "g" + std::to_string(e), .accuracy = accuracies[e]};
    gate.time.emplace("pi", Distribution::deterministic(times[e]));
    s.gates.push_back(gate);
  }
  s.arrivals = {.process = ArrivalSpec::Process::deterministic, .rate = 0.1};  // one input every 10 s
  return s;
}

/// Gate 0 on the edge ("pi"), gate 1 in the cloud ("gpu"), a 1 MB tensor over an 8 Mbit/s link.
EarlyExitScenario edge_cloud() {
  EarlyExitScenario s = single_device({0.5, 0.25}, {0.6, 0.9});
  DeviceTypeSpec gpu{.name = "gpu", .layer = "cloud", .cores = 1, .buffer = 10};
  gpu.power = {.idle_w = 50.0, .busy_w = 150.0};
  s.device_types.push_back(gpu);
  s.cloud_device = DeviceSpec{.name = "cloud", .type = "gpu"};
  s.gates[1].time.clear();
  s.gates[1].time.emplace("gpu", Distribution::deterministic(0.25));
  s.split_gate = 0;
  s.split_bytes = 1e6;
  s.link = {.delay = 0.05, .bandwidth = 8e6, .tx_power_w = 2.0, .rx_power_w = 1.0};
  return s;
}

InputRecord record(std::vector<double> confidence, std::vector<std::uint8_t> correct,
                   std::uint32_t input_class = 0) {
  return {input_class, std::move(confidence), std::move(correct)};
}

TEST(EarlyExitModel, ThresholdModeLeavesAtTheFirstGateReachingTheThreshold) {
  EarlyExitScenario s = single_device({0.1, 0.2, 0.3}, {0.5, 0.7, 0.9});
  s.mode = ExitMode::threshold;
  InputTable table;
  table.order = InputTable::Order::sequential;
  table.classes = {"default"};
  table.records = {record({0.90, 0.95, 0.99}, {1, 1, 1}),   // reaches 0.8 at gate 0
                   record({0.50, 0.85, 0.90}, {0, 1, 1}),   // at gate 1
                   record({0.79, 0.80, 0.10}, {0, 0, 1}),   // exactly 0.8 at gate 1 counts as reaching it
                   record({0.30, 0.60, 0.70}, {0, 0, 0})};  // never: the last gate answers
  s.inputs = table;
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) { p.threshold = [](const ExitContext&) { return 0.8; }; };
  Simulation simulation(7);
  EarlyExitModel model(simulation, s, factory.factory());
  Records records;
  model.attach_observer(records, 0.0);
  const RunSummary summary = model.run();

  ASSERT_EQ(records.requests.size(), 10u);
  const int expected_gate[] = {0, 1, 1, 2};
  const double expected_latency[] = {0.1, 0.3, 0.3, 0.6};  // cumulative time to that gate, no queueing
  for (std::size_t i = 0; i < records.requests.size(); ++i) {
    EXPECT_EQ(records.requests[i].exit_gate, expected_gate[i % 4]) << "input " << i;
    EXPECT_NEAR(records.requests[i].latency, expected_latency[i % 4], 1e-12) << "input " << i;
  }
  ASSERT_TRUE(summary.early_exit);
  // Inputs 0..9 cycle the rows: correct answers are rows 0 (gate 0) and 1 (gate 1) → 3 + 3 of 10.
  EXPECT_DOUBLE_EQ(summary.early_exit->accuracy, 0.6);
  EXPECT_DOUBLE_EQ(summary.early_exit->exit_fraction[0], 0.3);
  EXPECT_DOUBLE_EQ(summary.early_exit->exit_fraction[1], 0.5);
  EXPECT_DOUBLE_EQ(summary.early_exit->exit_fraction[2], 0.2);
  EXPECT_EQ(summary.early_exit->offload_fraction, 0.0);
  EXPECT_EQ(summary.early_exit->policy, "always_deepest");  // the scenario's policy name is reported
}

TEST(EarlyExitModel, SingleExitServiceTimeIsTheCumulativeTimeToTheChosenGate) {
  EarlyExitScenario s = single_device({0.1, 0.2, 0.3}, {0.5, 0.7, 0.9});
  s.gates[1].time["pi"] = Distribution::erlang(4, 0.2);  // random times: the sum of the draws is served
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) {
    p.gate = [](const ExitContext& context) { return static_cast<int>(context.job % 3); };
  };
  s.simulation.horizon = 3000.0;
  Simulation simulation(11);
  EarlyExitModel model(simulation, s, factory.factory());
  Records records;
  model.attach_observer(records, 0.0);
  const RunSummary summary = model.run();

  stats::Welford through_gate_1;
  for (const RequestRecord& r : records.requests) {
    ASSERT_EQ(r.exit_gate, static_cast<int>(r.id % 3));
    if (r.exit_gate == 0) {
      EXPECT_NEAR(r.latency, 0.1, 1e-12);
    } else {
      through_gate_1.add(r.latency - (r.exit_gate == 2 ? 0.4 : 0.1));
    }
  }
  // The random part is gate 1's Erlang-4 with mean 0.2 s and variance 0.01 s².
  EXPECT_NEAR(through_gate_1.mean(), 0.2, 4 * std::sqrt(0.01 / static_cast<double>(through_gate_1.count())));
  EXPECT_GT(through_gate_1.variance(), 0.005);
  // Utilisation = λ · E[S] = 0.1 · (0.1 + 0.3 + 0.6)/3.
  ASSERT_EQ(summary.devices.size(), 1u);
  EXPECT_NEAR(summary.devices[0].utilization, 0.1 * 1.0 / 3.0, 0.002);
  EXPECT_EQ(factory.log.decisions, static_cast<int>(summary.offered));
}

TEST(EarlyExitModel, OfferedEqualsCompletedPlusLostAtBothBuffers) {
  EarlyExitScenario s = edge_cloud();
  s.device_types[0].buffer = 2;
  s.device_types[1].buffer = 0;  // the cloud holds one job in service and none waiting
  s.gates[0].time["pi"] = Distribution::exponential(0.5);
  s.gates[1].time["gpu"] = Distribution::exponential(0.5);
  s.link.bandwidth = 8e8;  // fast link: the cloud, not the uplink, is the bottleneck behind the edge
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 2.5};
  s.simulation.horizon = 2000.0;
  s.simulation.warmup = 100.0;
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) {
    p.gate = [](const ExitContext& c) { return c.uniform01 < 0.5 ? 0 : 1; };
  };
  Simulation simulation(3);
  const RunSummary summary = run_early_exit(simulation, s, factory.factory());

  EXPECT_EQ(summary.offered, summary.completed + summary.lost);
  EXPECT_EQ(summary.unfinished, 0u);
  // The run ends when the drain's last job finishes (a few mean service times after the horizon),
  // not at horizon + drain_limit, where the clock was left.
  EXPECT_GE(summary.end_time, s.simulation.horizon);
  EXPECT_LT(summary.end_time, s.simulation.horizon + 60.0);
  ASSERT_EQ(summary.devices.size(), 2u);
  EXPECT_GT(summary.devices[0].lost, 100u);
  EXPECT_GT(summary.devices[1].lost, 10u);
  // Losses at either buffer are buffer_full losses (the drain adds none: it only lets jobs finish).
  EXPECT_EQ(summary.lost, summary.lost_by_cause[static_cast<std::size_t>(LossCause::buffer_full)]);
  EXPECT_EQ(summary.early_exit->answered, summary.completed);
  const auto& fractions = summary.early_exit->exit_fraction;
  EXPECT_NEAR(fractions[0] + fractions[1], 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(summary.early_exit->offload_fraction, fractions[1]);
  // Every arrival was reported to the policy, and every decided input got an outcome.
  EXPECT_EQ(factory.log.decisions, static_cast<int>(factory.log.outcomes.size()));
  EXPECT_GE(factory.log.arrivals, static_cast<int>(summary.offered));
}

TEST(EarlyExitModel, EdgeLossMatchesMM1KAcrossReplications) {
  // One exponential gate, buffer 4 (K = 5), ρ = 0.9: the edge device is an M/M/1/5 queue.
  EarlyExitScenario s = single_device({1.0}, {0.8});
  s.device_types[0].buffer = 4;
  s.gates[0].time["pi"] = Distribution::exponential(0.1);
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 9.0};
  s.simulation.horizon = 2000.0;
  s.simulation.warmup = 20.0;
  const double expected = analytic::mm1k(9.0, 0.1, 5).loss_probability;
  std::vector<double> losses, responses;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    ScriptedFactory factory;
    Simulation simulation(seed);
    const RunSummary summary = run_early_exit(simulation, s, factory.factory());
    losses.push_back(summary.loss_ratio());
    responses.push_back(summary.latency.moments.mean());
  }
  const auto loss = stats::replication_interval(losses, 0.99);
  EXPECT_TRUE(loss.contains(expected)) << loss.mean << " ± " << loss.half_width << " vs " << expected;
  EXPECT_LT(loss.half_width, 0.1 * expected);
  const auto response = stats::replication_interval(responses, 0.99);
  EXPECT_TRUE(response.contains(analytic::mm1k(9.0, 0.1, 5).mean_response)) << response.mean;
}

TEST(EarlyExitModel, OffloadedInputsPayTransferDelayCloudTimeAndTheWayBack) {
  EarlyExitScenario s = edge_cloud();
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) {
    p.gate = [](const ExitContext& c) { return static_cast<int>(c.job % 2); };
  };
  Simulation simulation(5);
  EarlyExitModel model(simulation, s, factory.factory());
  Records records;
  model.attach_observer(records, 0.0);
  const RunSummary summary = model.run();

  ASSERT_EQ(records.requests.size(), 10u);
  const double transmission = 8.0 * 1e6 / 8e6;  // 1 s
  for (const RequestRecord& r : records.requests) {
    const double expected = r.exit_gate == 0 ? 0.5 : 0.5 + transmission + 0.05 + 0.25 + 0.05;
    EXPECT_NEAR(r.latency, expected, 1e-12) << "input " << r.id;
  }
  EXPECT_DOUBLE_EQ(summary.early_exit->offload_fraction, 0.5);
  EXPECT_EQ(summary.network_transfers, 5u);
  EXPECT_DOUBLE_EQ(summary.network_bytes, 5e6);
  EXPECT_NEAR(summary.network_energy_j, 5 * (2.0 + 1.0) * transmission, 1e-9);
  // Devices: idle power over the horizon plus (busy − idle) per second of work.
  EXPECT_NEAR(summary.devices[0].energy_j, 2.0 * 105.0 + 4.0 * 10 * 0.5, 1e-9);
  EXPECT_NEAR(summary.devices[1].energy_j, 50.0 * 105.0 + 100.0 * 5 * 0.25, 1e-9);
  // Per answered input: its service and transmission energy.
  EXPECT_NEAR(summary.dynamic_energy_per_request_j, (10 * 4.0 * 0.5 + 5 * 100.0 * 0.25 + 5 * 3.0) / 10.0,
              1e-9);
  // The policy's setup: edge times stop at the split; totals add transfer, both delays and the cloud part.
  ASSERT_EQ(factory.setup.gates.size(), 2u);
  EXPECT_DOUBLE_EQ(factory.setup.gates[1].edge_mean, 0.5);
  EXPECT_DOUBLE_EQ(factory.setup.gates[1].total_mean, 0.5 + transmission + 0.1 + 0.25);
  EXPECT_TRUE(factory.setup.has_cloud);
  EXPECT_EQ(factory.setup.last_edge_gate, 0);
}

TEST(EarlyExitModel, DeviceSamplesShowUtilisationQueueAndPowerOfEachInterval) {
  EarlyExitScenario s = edge_cloud();
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) { p.gate = [](const ExitContext&) { return 1; }; };
  Simulation simulation(5);
  EarlyExitModel model(simulation, s, factory.factory());
  Records records;
  model.attach_observer(records, 5.0);
  model.run();
  // Inputs arrive at 10, 20, … s: the interval (10, 15] holds 0.5 s of Pi work and the 0.25 s GPU job
  // (arriving at 11.55 s); (15, 20] holds nothing.
  ASSERT_GE(records.samples.size(), 4u);
  const auto& [at, devices] = records.samples[2];
  EXPECT_DOUBLE_EQ(at, 15.0);
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_NEAR(devices[0].utilization, 0.5 / 5.0, 1e-12);
  EXPECT_NEAR(devices[0].power_w, 2.0 + 4.0 * 0.1, 1e-12);
  EXPECT_NEAR(devices[1].utilization, 0.25 / 5.0, 1e-12);
  EXPECT_NEAR(records.samples[3].second[0].utilization, 0.0, 1e-12);
  EXPECT_EQ(devices[0].queue_length, 0.0);
}

TEST(EarlyExitModel, TheUplinkSendsOneTensorAtATime) {
  EarlyExitScenario s = edge_cloud();
  s.device_types[0].cores = 2;
  s.arrivals = {.process = ArrivalSpec::Process::trace, .timestamps = {1.0, 1.0}};
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) { p.gate = [](const ExitContext&) { return 1; }; };
  for (bool serialize : {true, false}) {
    s.link.serialize = serialize;
    Simulation simulation(1);
    EarlyExitModel model(simulation, s, factory.factory());
    Records records;
    model.attach_observer(records, 0.0);
    model.run();
    ASSERT_EQ(records.requests.size(), 2u);
    // Both finish the edge part at 1.5 s. Serialised, the second tensor waits 1 s for the radio;
    // otherwise both reach the cloud at 2.55 s and the second waits 0.25 s for the GPU.
    const double first = 0.5 + 1.0 + 0.05 + 0.25 + 0.05;
    EXPECT_NEAR(records.requests[0].latency, first, 1e-12);
    EXPECT_NEAR(records.requests[1].latency, serialize ? first + 1.0 : first + 0.25, 1e-12) << serialize;
    EXPECT_EQ(factory.log.contexts[1].in_service, 2);
  }
}

TEST(EarlyExitModel, ThePolicyHearsLossesAndEmptyQueues) {
  EarlyExitScenario s = single_device({1.0}, {0.8});
  s.device_types[0].buffer = 1;
  s.arrivals = {.process = ArrivalSpec::Process::trace, .timestamps = {1.0, 1.1, 1.2, 5.0}};
  ScriptedFactory factory;
  Simulation simulation(1);
  const RunSummary summary = run_early_exit(simulation, s, factory.factory());
  // 1.0 starts, 1.1 waits, 1.2 finds the buffer full; 5.0 finds the device empty again.
  EXPECT_EQ(factory.log.arrivals, 4);
  EXPECT_EQ(factory.log.admitted, 3);
  EXPECT_EQ(summary.lost, 1u);
  EXPECT_EQ(factory.log.empties, 2);  // at 3.0 and at 6.0
  ASSERT_EQ(factory.log.contexts.size(), 3u);
  EXPECT_EQ(factory.log.contexts[0].queued_jobs, 0);
  EXPECT_EQ(factory.log.contexts[1].queued_jobs, 0);  // the second starts at 2.0 with nobody behind
}

TEST(EarlyExitModel, ThePolicySeesTheQueueBehindTheJobStartingNow) {
  EarlyExitScenario s = single_device({1.0}, {0.8});
  s.arrivals = {.process = ArrivalSpec::Process::trace, .timestamps = {1.0, 1.1, 1.2, 1.3}};
  ScriptedFactory factory;
  Simulation simulation(1);
  run_early_exit(simulation, s, factory.factory());
  ASSERT_EQ(factory.log.contexts.size(), 4u);
  const int expected[] = {0, 2, 1, 0};  // the first starts alone; the second starts at 2.0 with two behind
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(factory.log.contexts[static_cast<std::size_t>(i)].queued_jobs, expected[i]);
}

TEST(EarlyExitModel, SameSeedSameRunAndEveryPolicySeesTheSameInputs) {
  EarlyExitScenario s = single_device({0.1, 0.2, 0.3}, {0.5, 0.7, 0.9});
  // Light load (ρ ≤ 0.3, buffer 10): no input is lost, so outcomes come in input order for every policy.
  s.arrivals = {.process = ArrivalSpec::Process::poisson, .rate = 0.5};
  s.simulation.horizon = 2000.0;
  auto run_with = [&](int gate, std::vector<double>& confidences) {
    ScriptedFactory factory;
    factory.configure = [&](ScriptedPolicy& p) { p.gate = [gate](const ExitContext&) { return gate; }; };
    Simulation simulation(99);
    const RunSummary summary = run_early_exit(simulation, s, factory.factory());
    for (const auto& confidence : factory.log.outcome_confidence) confidences.push_back(confidence[0]);
    return summary;
  };
  std::vector<double> a, b, c;
  const RunSummary first = run_with(0, a);
  const RunSummary again = run_with(0, b);
  const RunSummary deeper = run_with(2, c);
  EXPECT_EQ(first.completed, again.completed);
  EXPECT_EQ(first.latency.moments.mean(), again.latency.moments.mean());
  EXPECT_EQ(first.offered, deeper.offered);  // same arrivals whatever the policy
  EXPECT_EQ(deeper.lost, 0u);
  EXPECT_GT(c.size(), 900u);
  EXPECT_EQ(a, c);  // the same inputs, in the same order
  EXPECT_NE(first.early_exit->accuracy, deeper.early_exit->accuracy);
}

TEST(EarlyExitModel, RefusesPoliciesThatCannotServeTheModeAndBadScenarios) {
  EarlyExitScenario s = single_device({0.1, 0.2}, {0.5, 0.9});
  s.mode = ExitMode::threshold;
  ScriptedFactory factory;
  factory.configure = [](ScriptedPolicy& p) { p.thresholds = false; };
  Simulation simulation(1);
  EXPECT_THROW(run_early_exit(simulation, s, factory.factory()), std::invalid_argument);

  EarlyExitScenario split = single_device({0.1, 0.2}, {0.5, 0.9});
  split.split_gate = 0;  // gate 1 would need a cloud device
  try {
    validate_early_exit_scenario(split);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("cloud device"), std::string::npos) << error.what();
  }
  EarlyExitScenario no_time = edge_cloud();
  no_time.gates[1].time.clear();
  EXPECT_THROW(validate_early_exit_scenario(no_time), std::invalid_argument);
  EarlyExitScenario ps = single_device({0.1}, {0.5});
  ps.device_types[0].discipline = Discipline::ps;
  EXPECT_THROW(validate_early_exit_scenario(ps), std::invalid_argument);
  EarlyExitScenario bad_accuracy = single_device({0.1}, {1.5});
  EXPECT_THROW(validate_early_exit_scenario(bad_accuracy), std::invalid_argument);
}

}  // namespace
}  // namespace continuum
