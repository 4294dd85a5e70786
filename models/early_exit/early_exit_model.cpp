#include "models/early_exit/early_exit_model.hpp"
#include "models/system/arrival_factory.hpp"
#include "models/system/run_control.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/early_exit/input_model.hpp"
#include "models/workload/arrival_process.hpp"
#include "sim/engine/stats/time_weighted.hpp"

namespace continuum {

namespace {
constexpr std::uint32_t kind_arrival = 0;
constexpr std::uint32_t kind_edge_done = 1;
constexpr std::uint32_t kind_sent = 2;           // the tensor has left the edge radio
constexpr std::uint32_t kind_cloud_arrival = 3;  // ... and reached the cloud after the link delay
constexpr std::uint32_t kind_cloud_done = 4;
constexpr std::uint32_t kind_answer_back = 5;  // the cloud's answer is back at the edge
constexpr std::uint32_t kind_horizon = 6;
constexpr std::uint32_t kind_sample = 7;

constexpr std::size_t edge = 0;
constexpr std::size_t cloud = 1;

const char* mode_name(ExitMode mode) {
  return mode == ExitMode::single_exit ? "single_exit" : "threshold";
}
}  // namespace

struct EarlyExitModel::Impl {
  /// One FCFS device with `cores` servers and a finite waiting room; the policy decides at job start.
  struct Device {
    std::string name;
    const DeviceTypeSpec* type = nullptr;
    std::uint64_t waiting_places = std::numeric_limits<std::uint64_t>::max();
    std::deque<std::uint32_t> waiting;
    int busy = 0;
    stats::TimeWeighted busy_cores;
    stats::TimeWeighted in_system;
    std::uint64_t served = 0;
    std::uint64_t lost = 0;
    double sampled_busy = 0.0;  // ∫ busy dt at the previous observer sample
    int present() const { return busy + static_cast<int>(waiting.size()); }
  };

  struct Job {
    std::uint64_t id = 0;
    SimTime arrival = 0.0;
    bool measured = false;
    InputRecord input;
    std::vector<double> gate_time;  // s, per gate on its host device: drawn at arrival
    double uniform01 = 0.0;
    int exit_gate = -1;
    double threshold = std::numeric_limits<double>::quiet_NaN();
    double service = 0.0;  // s on the device it is being served on
    double energy = 0.0;   // J attributed to this input
  };

  Simulation& simulation;
  const EarlyExitScenario& scenario;
  EarlyExitModel& handler;
  std::unique_ptr<ExitPolicy> policy;
  std::unique_ptr<ArrivalProcess> arrivals;
  InputSource inputs;
  int gate_count = 0;
  int last_edge_gate = 0;
  std::vector<const Distribution*> gate_law;  // per gate, on its host device
  std::vector<Device> devices;                // edge, then cloud if any

  RandomEngine& arrival_stream;
  RandomEngine& input_stream;
  RandomEngine& time_stream;
  RandomEngine& policy_stream;

  std::vector<Job> jobs;
  std::vector<std::uint32_t> free_jobs;
  std::uint64_t next_id = 0;
  std::uint64_t in_flight = 0;
  SimTime last_finish = 0.0;  // when the last input was answered or lost
  bool sources_stopped = false;

  std::deque<std::uint32_t> uplink;  // tensors waiting for the radio (serialised link)
  bool uplink_busy = false;
  int in_transmission = 0;  // tensors being sent (independent link)

  // Early-exit meters over measured inputs.
  std::uint64_t answered = 0;
  std::uint64_t correct = 0;
  std::uint64_t offloaded = 0;
  std::vector<std::uint64_t> exits;

  RunSummary summary;
  RunObserver* observer = nullptr;
  double sample_interval = 0.0;

  Impl(Simulation& sim, const EarlyExitScenario& spec, EarlyExitModel& model,
       const ExitPolicyFactory& make_policy)
      : simulation(sim),
        scenario((validate_early_exit_scenario(spec), spec)),
        handler(model),
        arrivals(make_arrival_process(spec.arrivals)),
        inputs(spec.inputs, accuracies(spec)),
        arrival_stream(sim.random_stream("arrivals/early_exit")),
        input_stream(sim.random_stream("early_exit/inputs")),
        time_stream(sim.random_stream("early_exit/gate_times")),
        policy_stream(sim.random_stream("early_exit/policy")) {
    gate_count = scenario.gate_count();
    last_edge_gate = scenario.last_edge_gate();
    add_device(scenario.edge_device);
    if (last_edge_gate < gate_count - 1) add_device(*scenario.cloud_device);
    for (int e = 0; e < gate_count; ++e) {
      const std::string& host = e <= last_edge_gate ? scenario.edge_device.type : scenario.cloud_device->type;
      gate_law.push_back(&scenario.gates[static_cast<std::size_t>(e)].time.at(host));
    }
    exits.assign(static_cast<std::size_t>(gate_count), 0);

    policy = make_policy(make_exit_policy_setup(scenario, inputs.class_names()));
    if (!policy) throw std::invalid_argument("early-exit scenario: the policy factory returned no policy");
    if (!policy->supports(scenario.mode))
      throw std::invalid_argument("exit policy \"" + std::string(policy->name()) + "\" does not support " +
                                  mode_name(scenario.mode) + " mode");

    summary.scenario = scenario.name;
    summary.seed = simulation.seed();
    summary.horizon = scenario.simulation.horizon;
    summary.warmup = scenario.simulation.warmup;
    simulation.set_warmup(scenario.simulation.warmup);
    simulation.on_warmup_end([this](SimTime now) { reset_statistics(now); });

    const SimTime first = scenario.arrivals.process == ArrivalSpec::Process::trace
                              ? static_cast<TraceArrivals&>(*arrivals).first()
                              : arrivals->next_arrival(0.0, arrival_stream);
    if (first != time_infinity) simulation.schedule_at(first, handler, kind_arrival);
  }

  static std::vector<double> accuracies(const EarlyExitScenario& spec) {
    std::vector<double> out;
    for (const auto& gate : spec.gates) out.push_back(gate.accuracy);
    return out;
  }

  void add_device(const DeviceSpec& spec) {
    Device device;
    device.name = spec.name;
    device.type = &device_type_of(scenario, spec);
    if (device.type->buffer) device.waiting_places = *device.type->buffer;
    devices.push_back(std::move(device));
  }

  // ---- arrivals and the edge part ----

  void on_arrival() {
    if (sources_stopped) return;
    new_job();
    const SimTime next = arrivals->next_arrival(simulation.now(), arrival_stream);
    if (next != time_infinity) simulation.schedule_at(next, handler, kind_arrival);
  }

  std::uint32_t allocate_job() {
    if (!free_jobs.empty()) {
      const std::uint32_t slot = free_jobs.back();
      free_jobs.pop_back();
      return slot;
    }
    jobs.emplace_back();
    return static_cast<std::uint32_t>(jobs.size() - 1);
  }

  void new_job() {
    const std::uint32_t slot = allocate_job();
    Job& job = jobs[slot];
    job.id = next_id++;
    job.arrival = simulation.now();
    job.measured = !simulation.in_warmup();
    job.exit_gate = -1;
    job.threshold = std::numeric_limits<double>::quiet_NaN();
    job.energy = 0.0;
    // Every draw of this input happens now, whatever becomes of it: the streams stay aligned across policies.
    inputs.next(input_stream, job.input);
    job.gate_time.resize(static_cast<std::size_t>(gate_count));
    for (int e = 0; e < gate_count; ++e)
      job.gate_time[static_cast<std::size_t>(e)] = gate_law[static_cast<std::size_t>(e)]->sample(time_stream);
    job.uniform01 = uniform_open01(policy_stream);
    ++in_flight;
    if (job.measured) ++summary.offered;

    Device& device = devices[edge];
    const bool admitted = device.busy < device.type->cores || device.waiting.size() < device.waiting_places;
    policy->on_arrival(simulation.now(), admitted);
    if (!admitted) {
      if (job.measured) ++device.lost;
      lose(slot, LossCause::buffer_full);
      return;
    }
    device.in_system.add(simulation.now(), 1.0);
    if (device.busy < device.type->cores) {
      start_edge(slot);
    } else {
      device.waiting.push_back(slot);
    }
  }

  ExitContext context_for(const Job& job) const {
    const Device& device = devices[edge];
    ExitContext context;
    context.job = job.id;
    context.now = simulation.now();
    context.queued_jobs = static_cast<int>(device.waiting.size());
    context.in_service = device.busy;
    context.link_backlog = static_cast<int>(uplink.size()) + (uplink_busy ? 1 : 0) + in_transmission;
    context.link_bandwidth = devices.size() > 1 ? scenario.link.bandwidth : 0.0;
    context.input_class = job.input.input_class;
    context.input_class_name = inputs.class_names()[job.input.input_class];
    context.uniform01 = job.uniform01;
    return context;
  }

  void decide(Job& job) {
    const ExitContext context = context_for(job);
    if (scenario.mode == ExitMode::single_exit) {
      const int gate = policy->choose_gate(context);
      if (gate < 0 || gate >= gate_count)
        throw std::logic_error("exit policy " + std::string(policy->name()) + " chose gate " +
                               std::to_string(gate) + " of a network with " + std::to_string(gate_count) +
                               " gates");
      job.exit_gate = gate;
    } else {
      const double threshold = policy->choose_threshold(context);
      if (std::isnan(threshold))
        throw std::logic_error("exit policy " + std::string(policy->name()) + " chose a NaN threshold");
      job.threshold = threshold;
      job.exit_gate = first_gate_reaching(job.input, threshold);
    }
  }

  /// Σ of the gate times from gate `from` to gate `to`, both included.
  static double time_between(const Job& job, int from, int to) {
    double total = 0.0;
    for (int e = from; e <= to; ++e) total += job.gate_time[static_cast<std::size_t>(e)];
    return total;
  }

  void start_edge(std::uint32_t slot) {
    Device& device = devices[edge];
    ++device.busy;
    device.busy_cores.add(simulation.now(), 1.0);
    Job& job = jobs[slot];
    decide(job);  // sees the queue behind this job and itself in service
    job.service = time_between(job, 0, std::min(job.exit_gate, last_edge_gate));
    simulation.schedule_in(job.service, handler, kind_edge_done, slot);
  }

  void start_cloud(std::uint32_t slot) {
    Device& device = devices[cloud];
    ++device.busy;
    device.busy_cores.add(simulation.now(), 1.0);
    Job& job = jobs[slot];
    job.service = time_between(job, last_edge_gate + 1, job.exit_gate);
    simulation.schedule_in(job.service, handler, kind_cloud_done, slot);
  }

  /// A job leaves device d after service: account its energy, start the next one waiting.
  void depart(std::size_t d, std::uint32_t slot) {
    Device& device = devices[d];
    Job& job = jobs[slot];
    const SimTime now = simulation.now();
    --device.busy;
    device.busy_cores.add(now, -1.0);
    device.in_system.add(now, -1.0);
    if (job.measured) ++device.served;
    // Dynamic energy: (busy − idle)/cores per core-second of work, as SystemModel attributes it.
    job.energy += (device.type->power.busy_w - device.type->power.idle_w) / device.type->cores * job.service;
    if (!device.waiting.empty()) {
      const std::uint32_t next = device.waiting.front();
      device.waiting.pop_front();
      if (d == edge) {
        start_edge(next);
      } else {
        start_cloud(next);
      }
    }
  }

  void on_edge_done(std::uint32_t slot) {
    depart(edge, slot);
    if (devices[edge].present() == 0) policy->on_queue_empty(simulation.now());
    if (jobs[slot].exit_gate <= last_edge_gate) {
      answer(slot);
    } else {
      send(slot);
    }
  }

  // ---- the link and the cloud part ----

  double transmission_time() const { return 8.0 * scenario.split_bytes / scenario.link.bandwidth; }

  void send(std::uint32_t slot) {
    if (scenario.link.serialize && uplink_busy) {
      uplink.push_back(slot);
      return;
    }
    transmit(slot);
  }

  void transmit(std::uint32_t slot) {
    const double seconds = transmission_time();
    const double energy = (scenario.link.tx_power_w + scenario.link.rx_power_w) * seconds;
    jobs[slot].energy += energy;
    if (!simulation.in_warmup() && !sources_stopped) {
      summary.network_energy_j += energy;
      summary.network_bytes += scenario.split_bytes;
      ++summary.network_transfers;
    }
    if (scenario.link.serialize) {
      uplink_busy = true;
    } else {
      ++in_transmission;
    }
    simulation.schedule_in(seconds, handler, kind_sent, slot);
  }

  void on_sent(std::uint32_t slot) {
    if (scenario.link.serialize) {
      uplink_busy = false;
      if (!uplink.empty()) {
        const std::uint32_t next = uplink.front();
        uplink.pop_front();
        transmit(next);
      }
    } else {
      --in_transmission;
    }
    simulation.schedule_in(scenario.link.delay, handler, kind_cloud_arrival, slot);
  }

  void on_cloud_arrival(std::uint32_t slot) {
    Device& device = devices[cloud];
    if (device.busy >= device.type->cores && device.waiting.size() >= device.waiting_places) {
      if (jobs[slot].measured) ++device.lost;
      lose(slot, LossCause::buffer_full);
      return;
    }
    device.in_system.add(simulation.now(), 1.0);
    if (device.busy < device.type->cores) {
      start_cloud(slot);
    } else {
      device.waiting.push_back(slot);
    }
  }

  void on_cloud_done(std::uint32_t slot) {
    depart(cloud, slot);
    simulation.schedule_in(scenario.link.delay, handler, kind_answer_back, slot);
  }

  // ---- endings ----

  ExitOutcome outcome_of(const Job& job, bool was_answered) const {
    ExitOutcome outcome;
    outcome.job = job.id;
    outcome.now = simulation.now();
    outcome.input = &job.input;
    outcome.exit_gate = job.exit_gate;
    outcome.threshold = job.threshold;
    outcome.offloaded = job.exit_gate > last_edge_gate;
    outcome.answered = was_answered;
    outcome.correct = was_answered && job.input.correct[static_cast<std::size_t>(job.exit_gate)] != 0;
    outcome.latency =
        was_answered ? simulation.now() - job.arrival : std::numeric_limits<double>::quiet_NaN();
    return outcome;
  }

  void answer(std::uint32_t slot) {
    const Job& job = jobs[slot];
    const ExitOutcome outcome = outcome_of(job, true);
    if (job.measured) {
      summary.latency.add(outcome.latency);
      ++summary.completed;
      summary.dynamic_energy_per_request_j += job.energy;  // divided by completions at the end
      ++answered;
      if (outcome.correct) ++correct;
      if (outcome.offloaded) ++offloaded;
      ++exits[static_cast<std::size_t>(job.exit_gate)];
    }
    simulation.count_completed_request();
    policy->on_outcome(outcome);
    if (observer) {
      report_input(job, outcome);
      report(slot, -1);
    }
    release(slot);
  }

  void lose(std::uint32_t slot, LossCause cause) {
    const Job& job = jobs[slot];
    if (job.measured) {
      ++summary.lost;
      ++summary.lost_by_cause[static_cast<std::size_t>(cause)];
    }
    // Inputs lost at the edge never reached a decision; those lost at the cloud did and the policy hears it.
    if (job.exit_gate >= 0) policy->on_outcome(outcome_of(job, false));
    if (observer) {
      report_input(job, outcome_of(job, false));
      report(slot, static_cast<int>(cause));
    }
    release(slot);
  }

  void release(std::uint32_t slot) {
    --in_flight;
    last_finish = simulation.now();
    free_jobs.push_back(slot);
  }

  // ---- run control and reports ----

  void reset_statistics(SimTime now) {
    for (Device& device : devices) {
      device.busy_cores.reset(now);
      device.in_system.reset(now);
      device.served = device.lost = 0;
      device.sampled_busy = 0.0;
    }
  }

  void snapshot_at_horizon() {
    sources_stopped = true;
    const SimTime now = simulation.now();
    const double window = now - std::min(now, scenario.simulation.warmup);
    summary.measured_time = window;
    for (const Device& device : devices) {
      const DeviceTypeSpec& type = *device.type;
      DeviceReport report;
      report.name = device.name;
      report.type = type.name;
      report.layer = type.layer;
      report.count = 1;
      const double busy_integral = device.busy_cores.integral(now);
      report.utilization = window > 0 ? busy_integral / (type.cores * window) : 0.0;
      report.mean_in_system = device.in_system.mean(now);
      report.served = device.served;
      report.lost = device.lost;
      // E = P_idle·T + (P_busy − P_idle)/cores · ∫ busy cores dt (as SystemModel, SimGrid's host energy
      // model).
      report.energy_j =
          type.power.idle_w * window + (type.power.busy_w - type.power.idle_w) / type.cores * busy_integral;
      report.cost = type.cost.per_second * window;
      if (type.cost.lifetime > 0) report.cost += type.cost.purchase_price * window / type.cost.lifetime;
      summary.device_energy_j += report.energy_j;
      summary.device_cost += report.cost;
      summary.devices.push_back(std::move(report));
    }
  }

  void report(std::uint32_t slot, int drop_reason) {
    const Job& job = jobs[slot];
    RequestRecord record;
    record.id = job.id;
    record.arrival = job.arrival;
    record.finish = simulation.now();
    record.latency =
        drop_reason < 0 ? record.finish - record.arrival : std::numeric_limits<double>::quiet_NaN();
    record.exit_gate = job.exit_gate;
    record.drop_reason = drop_reason;
    record.energy_j = job.energy;
    record.measured = job.measured;
    observer->on_request(record);
  }

  void report_input(const Job& job, const ExitOutcome& outcome) {
    EarlyExitRecord record;
    record.id = job.id;
    record.time = outcome.now;
    record.gate = job.exit_gate;
    record.confidence = job.exit_gate >= 0 ? job.input.confidence[static_cast<std::size_t>(job.exit_gate)]
                                           : std::numeric_limits<double>::quiet_NaN();
    record.threshold = job.threshold;
    record.input_class = job.input.input_class;
    record.answered = outcome.answered;
    record.correct = outcome.correct;
    record.offloaded = outcome.offloaded;
    record.measured = job.measured;
    observer->on_early_exit(record);
  }

  void take_sample() {
    const SimTime now = simulation.now();
    std::vector<DeviceSample> samples;
    for (std::size_t d = 0; d < devices.size(); ++d) {
      Device& device = devices[d];
      const double busy = device.busy_cores.integral(now);
      // The integral restarts at the warm-up; a value below the last one means that reset happened.
      const double delta = busy >= device.sampled_busy ? busy - device.sampled_busy : busy;
      device.sampled_busy = busy;
      const double busy_cores = delta / sample_interval;
      const DeviceTypeSpec& type = *device.type;
      samples.push_back(
          {static_cast<std::uint32_t>(d), busy_cores / type.cores, static_cast<double>(device.present()),
           type.power.idle_w + (type.power.busy_w - type.power.idle_w) / type.cores * busy_cores});
    }
    observer->on_sample(now, samples, {});
    if (!sources_stopped) simulation.schedule_in(sample_interval, handler, kind_sample);
  }

  RunSummary run() {
    const SimulationSpec& sim = scenario.simulation;
    const RunControl control(sim);
    simulation.schedule_at(sim.horizon, handler, kind_horizon);
    RunOutcome outcome = simulation.run(control.measured_phase(sim.horizon));
    if (outcome.reason == StopReason::horizon_reached || outcome.reason == StopReason::no_more_events) {
      if (!sources_stopped) snapshot_at_horizon();
      // Drain: no new arrivals; inputs in flight finish.
      outcome = simulation.run(control.drain_phase());
      if (outcome.reason == StopReason::no_more_events || in_flight == 0)
        outcome.reason = StopReason::horizon_reached;
    } else if (!sources_stopped) {
      snapshot_at_horizon();  // stopped early by an event, request or wall limit: report what was measured
    }
    RunControl::record_outcome(summary, outcome.reason, in_flight);
    summary.end_time = RunControl::end_time(outcome.reason, simulation.now(), sim.horizon, last_finish);
    summary.events = simulation.events_processed();
    summary.unfinished = in_flight;
    if (summary.completed > 0) summary.dynamic_energy_per_request_j /= static_cast<double>(summary.completed);

    EarlyExitReport report;
    report.policy = scenario.policy.name;
    report.answered = answered;
    const double count = static_cast<double>(answered);
    report.accuracy = answered ? static_cast<double>(correct) / count : 0.0;
    report.offload_fraction = answered ? static_cast<double>(offloaded) / count : 0.0;
    for (std::uint64_t n : exits)
      report.exit_fraction.push_back(answered ? static_cast<double>(n) / count : 0.0);
    if (const auto learned = policy->learning()) {
      report.cumulative_reward = learned->cumulative_reward;
      report.regret = learned->regret;
    }
    summary.early_exit = std::move(report);
    return std::move(summary);
  }

  void on_event(std::uint32_t kind, std::uint64_t payload) {
    const auto slot = static_cast<std::uint32_t>(payload);
    switch (kind) {
      case kind_arrival:
        on_arrival();
        break;
      case kind_edge_done:
        on_edge_done(slot);
        break;
      case kind_sent:
        on_sent(slot);
        break;
      case kind_cloud_arrival:
        on_cloud_arrival(slot);
        break;
      case kind_cloud_done:
        on_cloud_done(slot);
        break;
      case kind_answer_back:
        answer(slot);
        break;
      case kind_horizon:
        snapshot_at_horizon();
        break;
      case kind_sample:
        take_sample();
        break;
      default:
        throw std::logic_error("early-exit model: unknown event kind");
    }
  }
};

EarlyExitModel::EarlyExitModel(Simulation& simulation, const EarlyExitScenario& scenario,
                               const ExitPolicyFactory& make_policy)
    : impl_(std::make_unique<Impl>(simulation, scenario, *this, make_policy)) {}

EarlyExitModel::~EarlyExitModel() = default;

RunSummary EarlyExitModel::run() {
  return impl_->run();
}

void EarlyExitModel::attach_observer(RunObserver& observer, double sample_interval) {
  impl_->observer = &observer;
  impl_->sample_interval = sample_interval;
  if (sample_interval > 0) impl_->simulation.schedule_in(sample_interval, *this, kind_sample);
}

const ExitPolicy& EarlyExitModel::policy() const {
  return *impl_->policy;
}

void EarlyExitModel::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  impl_->on_event(kind, payload);
}

RunSummary run_early_exit(Simulation& simulation, const EarlyExitScenario& scenario,
                          const ExitPolicyFactory& make_policy) {
  return EarlyExitModel(simulation, scenario, make_policy).run();
}

}  // namespace continuum
