#include "models/system/system_model.hpp"
#include "models/system/arrival_factory.hpp"
#include "models/system/run_control.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <variant>

#include <boost/random/uniform_int_distribution.hpp>

namespace continuum {

namespace {
constexpr std::uint32_t kind_arrival = 0;
constexpr std::uint32_t kind_failure = 1;
constexpr std::uint32_t kind_repair = 2;
constexpr std::uint32_t kind_retry = 3;
constexpr std::uint32_t kind_horizon = 4;
constexpr std::uint32_t kind_sample = 5;
constexpr std::uint32_t no_group = std::numeric_limits<std::uint32_t>::max();

std::uint64_t pack(std::uint32_t high, std::uint32_t low) {
  return (std::uint64_t{high} << 32) | low;
}

/// Three significant digits, for the stability reasons ("1.25").
std::string ratio_text(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.3g", value);
  return text.data();
}

template <class Spec>
std::uint32_t find_index(const std::vector<Spec>& specs, const std::string& name, const char* what) {
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return static_cast<std::uint32_t>(i);
  throw std::invalid_argument(std::string("unknown ") + what + " \"" + name + "\"");
}

}  // namespace

// With ~10^5 devices in hundreds of groups, the model's own records fall out of the cache between
// two visits: what every dispatch and service reads comes first, in one cache line.
struct alignas(64) SystemModel::Group {
  std::vector<ServiceStation> stations;     // one array: a request picks one at random (cache misses)
  RandomEngine* dispatch_stream = nullptr;  // only for a random choice among two instances or more
  double energy_per_work = 0.0;             // dynamic energy per core-second of work: (busy − idle) / cores
  double offered_work = 0.0;  // Σ mean demand of partitions dispatched here over the window (core-s)
  std::uint64_t served = 0;
  int up_count = 0;
  DispatchRule dispatch = DispatchRule::random;
  std::uint64_t lost = 0;
  std::vector<char> up;
  std::size_t next_round_robin = 0;
  std::string name;
  const DeviceTypeSpec* type = nullptr;
  const DeviceSpec* spec = nullptr;
  NetworkEndpoint endpoint;
  std::vector<SimTime> down_since;  // per instance, only when the type fails
  std::vector<double> downtime;     // per instance, only when the type fails
  RandomEngine* failure_stream = nullptr;
};

struct SystemModel::Component {
  // What a dispatch reads comes first: with a deterministic demand, one cache line.
  struct Part {
    std::uint32_t location;  // a device group (< groups_.size()) or a FaaS function
    std::uint32_t group;
    FaasFunction* function;       // when placed on FaaS
    RandomEngine* demand_stream;  // null for a deterministic demand, which draws nothing
    double mean_demand;           // of `demand`, for the offered-load guard
    double output_bytes;
    double early_exit;
    Distribution demand;
  };
  struct Successor {
    std::uint32_t component;
    double cumulative_probability;
    double bytes;
  };
  std::string name;
  std::vector<Part> parts;
  std::vector<Successor> successors;
  std::optional<double> local_limit;
  struct PathEnd {
    std::uint32_t path;
    std::uint32_t first_component;
  };
  std::vector<PathEnd> paths_ending_here;
  // Streams are made only for components that draw from them: an engine holds 2.5 KB of state,
  // and a large continuum has thousands of components (a stream's draws depend only on its name).
  RandomEngine* exit_stream = nullptr;    // when a partition may exit early
  RandomEngine* branch_stream = nullptr;  // when there are two successors or more
};

struct SystemModel::Source final : EventHandler {
  SystemModel* model = nullptr;
  std::uint32_t index = 0;
  std::uint32_t entry = 0;
  std::unique_ptr<ArrivalProcess> arrivals;
  RandomEngine* stream = nullptr;
  void on_event(Simulation& simulation, std::uint32_t, std::uint64_t) override {
    if (model->sources_stopped_) return;
    model->new_request(index);
    const SimTime next = arrivals->next_arrival(simulation.now(), *stream);
    if (next != time_infinity) simulation.schedule_at(next, *this, kind_arrival);
  }
};

struct SystemModel::Request {
  std::uint64_t id = 0;
  SimTime arrival = 0.0;
  SimTime component_start = 0.0;
  double service = 0.0;
  double energy = 0.0;
  double cost = 0.0;  // money the summary counts for it (RequestRecord::cost)
  std::uint32_t source = 0;
  std::uint32_t component = 0;
  std::uint32_t partition = 0;
  std::uint32_t group = no_group;
  std::uint32_t location = no_group;  // where the request's data is now
  std::uint32_t instance = 0;
  std::uint32_t next_component = 0;
  std::uint8_t retries = 0;
  bool measured = false;
  bool moving_to_component = false;
  bool faas_billed = false;  // its FaaS invocation in progress counts in the summary's cost
};

SystemModel::SystemModel(Simulation& simulation, const ScenarioSpec& scenario,
                         const FaasPlatform::PolicyFactory& keep_alive_policies)
    : simulation_(simulation), scenario_(scenario) {
  network_ = std::make_unique<Network>(simulation, scenario, *this);
  build_groups();
  build_faas(keep_alive_policies);
  build_components();
  build_sources();
  summary_.scenario = scenario.name;
  summary_.seed = simulation.seed();
  summary_.horizon = scenario.simulation.horizon;
  summary_.warmup = scenario.simulation.warmup;
  simulation.set_warmup(scenario.simulation.warmup);
  simulation.on_warmup_end([this](SimTime now) { reset_statistics(now); });
}

SystemModel::~SystemModel() = default;

void SystemModel::build_groups() {
  for (const DeviceSpec& device : scenario_.devices) {
    auto group = std::make_unique<Group>();
    group->name = device.name;
    group->spec = &device;
    group->type = &scenario_.device_types[find_index(scenario_.device_types, device.type, "device type")];
    group->endpoint.layer = network_->layer_index(group->type->layer);
    group->endpoint.site = device.site.empty() ? -1 : network_->site_index(device.site);
    const StationConfig config{group->type->cores, group->type->discipline, group->type->buffer};
    const auto count = static_cast<std::size_t>(device.count);
    group->stations.reserve(count);  // the stations never move once built
    for (std::size_t i = 0; i < count; ++i) group->stations.emplace_back(simulation_, config, *this);
    group->up.assign(count, 1);
    group->up_count = device.count;
    group->dispatch = device.dispatch;
    group->energy_per_work = (group->type->power.busy_w - group->type->power.idle_w) / group->type->cores;
    if (device.dispatch == DispatchRule::random && count > 1)
      group->dispatch_stream = &simulation_.random_stream("dispatch/" + device.name);
    if (group->type->failures) {
      group->failure_stream = &simulation_.random_stream("failures/" + device.name);
      group->down_since.assign(count, 0.0);
      group->downtime.assign(count, 0.0);
      const auto ttf = Distribution::exponential(group->type->failures->mttf);
      for (std::uint32_t i = 0; i < count; ++i)
        simulation_.schedule_in(ttf.sample(*group->failure_stream), *this, kind_failure,
                                pack(static_cast<std::uint32_t>(groups_.size()), i));
    }
    groups_.push_back(std::move(group));
  }
}

void SystemModel::build_faas(const FaasPlatform::PolicyFactory& keep_alive_policies) {
  for (const auto& group : groups_) locations_.push_back(group->endpoint);
  for (const FaasPlatformSpec& spec : scenario_.faas_platforms) {
    auto platform = std::make_unique<FaasPlatform>(simulation_, spec, *this, keep_alive_policies);
    for (std::size_t f = 0; f < platform->size(); ++f) {
      locations_.push_back(NetworkEndpoint{network_->layer_index(spec.layer), -1});
      faas_functions_.push_back(&platform->function(f));
    }
    faas_platforms_.push_back(std::move(platform));
  }
}

void SystemModel::build_components() {
  const auto& app = scenario_.application;
  components_.resize(app.components.size());
  for (std::size_t c = 0; c < app.components.size(); ++c) {
    const ComponentSpec& spec = app.components[c];
    Component& component = components_[c];
    component.name = spec.name;
    component.local_limit = spec.local_constraint;
    const auto placed = scenario_.placement.find(spec.name);
    if (placed == scenario_.placement.end())
      throw std::invalid_argument("component " + spec.name + " is not placed");
    const DeploymentSpec& deployment =
        spec.deployments[find_index(spec.deployments, placed->second.deployment, "deployment")];
    for (const PartitionSpec& partition : deployment.partitions) {
      const auto target = placed->second.partitions.find(partition.name);
      if (target == placed->second.partitions.end())
        throw std::invalid_argument("partition " + spec.name + "." + partition.name + " is not placed");
      if (target->second.kind == PlacementTarget::Kind::faas) {
        std::uint32_t index = 0;
        while (index < faas_functions_.size() && faas_functions_[index]->spec().name != target->second.name)
          ++index;
        if (index == faas_functions_.size())
          throw std::invalid_argument("partition " + spec.name + "." + partition.name +
                                      ": unknown FaaS function " + target->second.name);
        component.parts.push_back({static_cast<std::uint32_t>(groups_.size()) + index, no_group,
                                   faas_functions_[index], nullptr, 0.0, partition.output_bytes,
                                   partition.early_exit, Distribution{}});
        continue;
      }
      const std::uint32_t group = find_index(scenario_.devices, target->second.name, "device");
      const DeviceTypeSpec& type = *groups_[group]->type;
      // Demands are resolved once per (partition, device) so the hot path only samples.
      Distribution demand;
      if (const auto measured = partition.demand.find(type.name); measured != partition.demand.end()) {
        demand = measured->second;
      } else if (partition.flop && type.speed > 0) {
        demand = partition.flop->with_mean(partition.flop->mean() / type.speed);
      } else {
        throw std::invalid_argument("partition " + spec.name + "." + partition.name +
                                    " has no demand on device type " + type.name);
      }
      const bool random = !std::holds_alternative<Distribution::Deterministic>(demand.law());
      component.parts.push_back(
          {group, group, nullptr,
           random ? &simulation_.random_stream("demand/" + spec.name + "/" + partition.name) : nullptr,
           demand.mean(), partition.output_bytes, partition.early_exit, demand});
    }
    for (const Component::Part& part : component.parts)
      if (part.early_exit > 0) component.exit_stream = &simulation_.random_stream("exits/" + spec.name);
  }
  for (const EdgeSpec& edge : app.edges) {
    Component& from = components_[find_index(app.components, edge.from, "component")];
    const double before = from.successors.empty() ? 0.0 : from.successors.back().cumulative_probability;
    from.successors.push_back(
        {find_index(app.components, edge.to, "component"), before + edge.probability, edge.data_bytes});
    if (from.successors.size() == 2) from.branch_stream = &simulation_.random_stream("branches/" + edge.from);
  }
  for (std::size_t p = 0; p < app.path_constraints.size(); ++p) {
    const auto& path = app.path_constraints[p];
    components_[find_index(app.components, path.components.back(), "component")].paths_ending_here.push_back(
        {static_cast<std::uint32_t>(p), find_index(app.components, path.components.front(), "component")});
    PathReport report;
    report.name = path.name;
    report.limit = path.limit;
    summary_.paths.push_back(std::move(report));
  }
  // Entry times serve only path constraints: without any, requests skip that bookkeeping.
  entry_stride_ = app.path_constraints.empty() ? 0 : components_.size();
  for (const Component& component : components_) {
    ComponentReport report;
    report.name = component.name;
    summary_.components.push_back(std::move(report));
  }
}

void SystemModel::build_sources() {
  for (const SourceSpec& spec : scenario_.sources) {
    auto source = std::make_unique<Source>();
    source->model = this;
    source->index = static_cast<std::uint32_t>(sources_.size());
    source->entry = find_index(scenario_.application.components, spec.entry, "component");
    source->arrivals = make_arrival_process(spec.arrivals);
    source->stream = &simulation_.random_stream("arrivals/" + spec.name);
    const SimTime first = spec.arrivals.process == ArrivalSpec::Process::trace
                              ? static_cast<TraceArrivals&>(*source->arrivals).first()
                              : source->arrivals->next_arrival(0.0, *source->stream);
    if (first != time_infinity) simulation_.schedule_at(first, *source, kind_arrival);
    sources_.push_back(std::move(source));
  }
}

void SystemModel::attach_observer(RunObserver& observer, double sample_interval) {
  observer_ = &observer;
  sample_interval_ = sample_interval;
  sampled_busy_.assign(groups_.size(), 0.0);
  if (sample_interval > 0) simulation_.schedule_in(sample_interval, *this, kind_sample);
}

RunSummary SystemModel::run() {
  const auto& sim = scenario_.simulation;
  const RunControl control(sim);
  simulation_.schedule_at(sim.horizon, *this, kind_horizon);
  RunOutcome outcome{};
  if (progress_) {
    // Slices of 1 % of the horizon: the same events in the same order, with a report in between.
    for (int slice = 1; slice <= 100; ++slice) {
      outcome = simulation_.run(control.measured_phase(sim.horizon * slice / 100.0));
      progress_(simulation_.now() / sim.horizon);
      if (outcome.reason != StopReason::horizon_reached && outcome.reason != StopReason::no_more_events)
        break;
    }
  } else {
    outcome = simulation_.run(control.measured_phase(sim.horizon));
  }
  if (outcome.reason == StopReason::horizon_reached || outcome.reason == StopReason::no_more_events) {
    if (!sources_stopped_) snapshot_at_horizon();
    // Drain: no new arrivals; requests in flight finish (repairs still happen, new failures do not).
    outcome = simulation_.run(control.drain_phase());
    if (outcome.reason == StopReason::no_more_events || in_flight_ == 0)
      outcome.reason = StopReason::horizon_reached;
  } else if (!sources_stopped_) {
    snapshot_at_horizon();  // stopped early by an event, request or wall limit: report what was measured
  }
  RunControl::record_outcome(summary_, outcome.reason, in_flight_);
  summary_.end_time = RunControl::end_time(outcome.reason, simulation_.now(), sim.horizon, last_finish_);
  summary_.events = simulation_.events_processed();
  summary_.unfinished = in_flight_;
  if (summary_.completed > 0)
    summary_.dynamic_energy_per_request_j /= static_cast<double>(summary_.completed);
  return std::move(summary_);
}

void SystemModel::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  switch (kind) {
    case kind_horizon:
      snapshot_at_horizon();
      break;
    case kind_failure:
      fail_instance(static_cast<std::uint32_t>(payload >> 32), static_cast<std::uint32_t>(payload));
      break;
    case kind_repair:
      repair_instance(static_cast<std::uint32_t>(payload >> 32), static_cast<std::uint32_t>(payload));
      break;
    case kind_retry:
      dispatch_partition(static_cast<std::uint32_t>(payload));
      break;
    case kind_sample:
      take_sample();
      break;
    default:
      throw std::logic_error("system model: unknown event kind");
  }
}

void SystemModel::new_request(std::uint32_t source) {
  std::uint32_t slot;
  if (!free_requests_.empty()) {
    slot = free_requests_.back();
    free_requests_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(requests_.size());
    requests_.emplace_back();
    entry_times_.resize(entry_times_.size() + entry_stride_);
  }
  Request& request = requests_[slot];
  request = Request{};
  request.id = next_request_id_++;
  request.arrival = simulation_.now();
  request.source = source;
  request.measured = !simulation_.in_warmup();
  std::fill_n(entry_times_.begin() + static_cast<std::ptrdiff_t>(slot * entry_stride_), entry_stride_,
              std::numeric_limits<double>::quiet_NaN());
  ++in_flight_;
  if (request.measured) ++summary_.offered;
  start_component(slot, sources_[source]->entry);
}

void SystemModel::start_component(std::uint32_t slot, std::uint32_t component) {
  Request& request = requests_[slot];
  request.component = component;
  request.partition = 0;
  request.component_start = simulation_.now();
  if (entry_stride_ > 0) entry_times_[slot * entry_stride_ + component] = simulation_.now();
  dispatch_partition(slot);
}

int SystemModel::choose_instance(Group& group) {
  if (group.up_count == 0) return -1;
  const int count = static_cast<int>(group.stations.size());
  if (count == 1) return 0;
  switch (group.dispatch) {
    case DispatchRule::random: {
      // Draw among the instances that are up (Poisson splitting keeps each instance Poisson).
      boost::random::uniform_int_distribution<int> pick(0, group.up_count - 1);
      int k = pick(*group.dispatch_stream);
      if (group.up_count == count) return k;  // all up: the k-th up instance is instance k (no scan)
      for (int i = 0; i < count; ++i)
        if (group.up[static_cast<std::size_t>(i)] && k-- == 0) return i;
      return -1;
    }
    case DispatchRule::round_robin:
      for (int tries = 0; tries < count; ++tries) {
        const std::size_t i = group.next_round_robin++ % group.stations.size();
        if (group.up[i]) return static_cast<int>(i);
      }
      return -1;
    case DispatchRule::least_loaded: {
      int best = -1;
      for (int i = 0; i < count; ++i)
        if (group.up[static_cast<std::size_t>(i)] &&
            (best < 0 || group.stations[static_cast<std::size_t>(i)].in_system() <
                             group.stations[static_cast<std::size_t>(best)].in_system()))
          best = i;
      return best;
    }
  }
  return -1;
}

void SystemModel::dispatch_partition(std::uint32_t slot) {
  Request& request = requests_[slot];
  const Component::Part& part = components_[request.component].parts[request.partition];
  request.location = part.location;
  if (part.function) {
    request.faas_billed = counts_money();
    if (!part.function->invoke(slot)) lose_request(slot, LossCause::faas_rejected);
    return;
  }
  Group& group = *groups_[part.group];
  if (!simulation_.in_warmup() && !sources_stopped_) group.offered_work += part.mean_demand;
  const int instance = choose_instance(group);
  if (instance < 0) {
    lose_request(slot, LossCause::failure);
    return;
  }
  request.group = part.group;
  request.instance = static_cast<std::uint32_t>(instance);
  ServiceStation& station = group.stations[static_cast<std::size_t>(instance)];
  request.service = part.demand_stream ? part.demand.sample(*part.demand_stream) : part.mean_demand;
  if (!station.arrive(slot, request.service)) {
    if (request.measured) ++group.lost;
    lose_request(slot, LossCause::buffer_full);
  }
}

void SystemModel::on_served(JobId job, SimTime, SimTime) {
  const auto slot = static_cast<std::uint32_t>(job);
  Request& request = requests_[slot];
  Group& group = *groups_[request.group];
  if (request.measured) ++group.served;
  // Dynamic energy of this service: (busy − idle)/cores per core-second of work.
  request.energy += group.energy_per_work * request.service;
  finish_partition(slot);
}

void SystemModel::on_faas_done(JobId job, const FaasCompletion& completion) {
  Request& request = requests_[static_cast<std::uint32_t>(job)];
  if (request.faas_billed) request.cost += completion.cost;
  finish_partition(static_cast<std::uint32_t>(job));
}

void SystemModel::finish_partition(std::uint32_t slot) {
  Request& request = requests_[slot];
  const Component& component = components_[request.component];
  const Component::Part& part = component.parts[request.partition];
  const bool last = request.partition + 1 == component.parts.size();
  if (last || (part.early_exit > 0 && uniform_open01(*component.exit_stream) < part.early_exit)) {
    finish_component(slot);
    return;
  }
  ++request.partition;
  request.moving_to_component = false;
  const std::uint32_t next_location = component.parts[request.partition].location;
  if (next_location == request.location) {
    dispatch_partition(slot);  // same device or function: data passes for free
  } else {
    send(slot, request.location, next_location, part.output_bytes);
  }
}

bool SystemModel::send(std::uint32_t slot, std::uint32_t from_location, std::uint32_t to_location,
                       double bytes) {
  const auto cost = network_->transfer(locations_[from_location], locations_[to_location], bytes, slot);
  if (!cost) {
    lose_request(slot, LossCause::no_route);
    return false;
  }
  requests_[slot].energy += cost->energy_j;
  if (counts_money()) requests_[slot].cost += cost->money;
  return true;
}

void SystemModel::on_transfer_done(std::uint64_t token) {
  const auto slot = static_cast<std::uint32_t>(token);
  Request& request = requests_[slot];
  if (request.moving_to_component) {
    start_component(slot, request.next_component);
  } else {
    dispatch_partition(slot);
  }
}

void SystemModel::on_transfer_lost(std::uint64_t token) {
  lose_request(static_cast<std::uint32_t>(token), LossCause::link_down);
}

void SystemModel::finish_component(std::uint32_t slot) {
  Request& request = requests_[slot];
  const Component& component = components_[request.component];
  const SimTime now = simulation_.now();
  if (request.measured) {
    ComponentReport& report = summary_.components[request.component];
    const double latency = now - request.component_start;
    report.latency.add(latency);
    ++report.completed;
    if (component.local_limit && latency > *component.local_limit) ++report.sla_violations;
    for (const auto& end : component.paths_ending_here) {
      const double entered = entry_times_[slot * entry_stride_ + end.first_component];
      if (std::isnan(entered)) continue;  // this request did not take the path
      PathReport& path = summary_.paths[end.path];
      path.latency.add(now - entered);
      ++path.checked;
      if (now - entered > path.limit) ++path.violations;
    }
  }
  if (component.successors.empty()) {
    complete_request(slot);
    return;
  }
  const Component::Successor* next = &component.successors.back();
  if (component.branch_stream) {  // a single successor needs no draw: it is taken whatever u is
    const double u = uniform_open01(*component.branch_stream);
    for (const auto& successor : component.successors)
      if (u < successor.cumulative_probability) {
        next = &successor;
        break;
      }
  }
  request.next_component = next->component;
  request.moving_to_component = true;
  const std::uint32_t next_location = components_[next->component].parts.front().location;
  if (next_location == request.location) {
    start_component(slot, next->component);
  } else {
    send(slot, request.location, next_location, next->bytes);
  }
}

void SystemModel::complete_request(std::uint32_t slot) {
  const Request& request = requests_[slot];
  if (request.measured) {
    summary_.latency.add(simulation_.now() - request.arrival);
    ++summary_.completed;
    summary_.dynamic_energy_per_request_j += request.energy;  // divided by completions at the end
  }
  simulation_.count_completed_request();
  last_finish_ = simulation_.now();
  if (observer_) report(slot, -1);
  release(slot);
}

void SystemModel::lose_request(std::uint32_t slot, LossCause cause) {
  if (requests_[slot].measured) {
    ++summary_.lost;
    ++summary_.lost_by_cause[static_cast<std::size_t>(cause)];
  }
  last_finish_ = simulation_.now();
  if (observer_) report(slot, static_cast<int>(cause));
  release(slot);
}

void SystemModel::release(std::uint32_t slot) {
  --in_flight_;
  free_requests_.push_back(slot);
}

void SystemModel::fail_instance(std::uint32_t g, std::uint32_t i) {
  Group& group = *groups_[g];
  const FailureSpec& failures = *group.type->failures;
  group.up[i] = 0;
  --group.up_count;
  group.down_since[i] = simulation_.now();
  for (const JobId job : group.stations[i].evict_all()) {
    const auto slot = static_cast<std::uint32_t>(job);
    Request& request = requests_[slot];
    if (failures.retry && request.retries < failures.max_retries) {
      ++request.retries;
      simulation_.schedule_in(failures.retry_delay, *this, kind_retry, slot);
    } else {
      lose_request(slot, LossCause::failure);
    }
  }
  simulation_.schedule_in(Distribution::exponential(failures.mttr).sample(*group.failure_stream), *this,
                          kind_repair, pack(g, i));
}

void SystemModel::repair_instance(std::uint32_t g, std::uint32_t i) {
  Group& group = *groups_[g];
  group.up[i] = 1;
  ++group.up_count;
  const SimTime from = std::max(group.down_since[i], simulation_.warmup_end());
  if (simulation_.now() > from && !sources_stopped_) group.downtime[i] += simulation_.now() - from;
  if (!sources_stopped_)  // after the horizon no new failures: the drain must end
    simulation_.schedule_in(
        Distribution::exponential(group.type->failures->mttf).sample(*group.failure_stream), *this,
        kind_failure, pack(g, i));
}

void SystemModel::report(std::uint32_t slot, int drop_reason) {
  const Request& request = requests_[slot];
  RequestRecord record;
  record.id = request.id;
  record.source = request.source;
  record.arrival = request.arrival;
  record.finish = simulation_.now();
  record.latency =
      drop_reason < 0 ? record.finish - record.arrival : std::numeric_limits<double>::quiet_NaN();
  record.drop_reason = drop_reason;
  record.energy_j = request.energy;
  record.cost = request.cost;
  record.measured = request.measured;
  observer_->on_request(record);
}

void SystemModel::take_sample() {
  const SimTime now = simulation_.now();
  std::vector<DeviceSample> devices;
  devices.reserve(groups_.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const Group& group = *groups_[g];
    double busy = 0, queue = 0;
    for (const ServiceStation& station : group.stations) {
      busy += station.busy().integral(now);
      queue += static_cast<double>(station.in_system());
    }
    const double delta = busy - sampled_busy_[g];  // reset_statistics keeps this continuous
    sampled_busy_[g] = busy;
    const double instances = static_cast<double>(group.stations.size());
    const double cores = group.type->cores;
    const double busy_cores = delta / sample_interval_;
    devices.push_back({static_cast<std::uint32_t>(g), busy_cores / (cores * instances), queue,
                       group.type->power.idle_w * instances +
                           (group.type->power.busy_w - group.type->power.idle_w) / cores * busy_cores});
  }
  std::vector<LinkSample> links;
  for (std::size_t l = 0; l < network_->link_count(); ++l)
    links.push_back({static_cast<std::uint32_t>(l), network_->link_load(l),
                     static_cast<std::uint32_t>(network_->link_flows(l))});
  observer_->on_sample(now, devices, links);
  if (!faas_functions_.empty()) {
    std::vector<FaasSample> functions;
    functions.reserve(faas_functions_.size());
    for (std::size_t f = 0; f < faas_functions_.size(); ++f) {
      const FaasFunction& function = *faas_functions_[f];
      const FaasFunctionTotals& totals = function.totals();
      functions.push_back({static_cast<std::uint32_t>(f), function.instances(), function.running_instances(),
                           function.requests_in_service(), totals.invocations, totals.cold_starts,
                           totals.rejections, totals.cost});
    }
    observer_->on_faas_sample(now, functions);
  }
  if (!sources_stopped_) simulation_.schedule_in(sample_interval_, *this, kind_sample);
}

void SystemModel::reset_statistics(SimTime now) {
  // The station integrals restart at 0: shift the sampling baseline by what they held, so the
  // sample spanning the warm-up still sees the busy time before it.
  if (observer_)
    for (std::size_t g = 0; g < groups_.size(); ++g)
      for (const ServiceStation& station : groups_[g]->stations)
        sampled_busy_[g] -= station.busy().integral(now);
  for (auto& group : groups_) {
    for (ServiceStation& station : group->stations) station.reset_statistics(now);
    group->served = group->lost = 0;
    group->offered_work = 0.0;
  }
  network_->reset_statistics(now);
  for (auto& platform : faas_platforms_) platform->reset_statistics(now);
}

void SystemModel::snapshot_at_horizon() {
  sources_stopped_ = true;
  const SimTime now = simulation_.now();
  const double window = now - std::min(now, scenario_.simulation.warmup);
  summary_.measured_time = window;
  for (auto& group_ptr : groups_) {
    Group& group = *group_ptr;
    const DeviceTypeSpec& type = *group.type;
    DeviceReport report;
    report.name = group.name;
    report.type = type.name;
    report.layer = type.layer;
    report.count = static_cast<int>(group.stations.size());
    double busy_integral = 0, in_system = 0, downtime = 0;
    for (std::size_t i = 0; i < group.stations.size(); ++i) {
      busy_integral += group.stations[i].busy().integral(now);
      in_system += group.stations[i].number_in_system().mean(now);
      if (type.failures) {
        downtime += group.downtime[i];
        if (!group.up[i]) downtime += now - std::max(group.down_since[i], scenario_.simulation.warmup);
      }
    }
    const double instances = static_cast<double>(group.stations.size());
    report.utilization = window > 0 ? busy_integral / (type.cores * window * instances) : 0.0;
    report.mean_in_system = in_system / instances;
    report.served = group.served;
    report.lost = group.lost;
    report.availability = window > 0 ? 1.0 - downtime / (window * instances) : 1.0;
    const double capacity = type.cores * (window * instances - downtime);  // core-seconds up
    report.offered_utilization = capacity > 0 ? group.offered_work / capacity : 0.0;
    // Without a buffer limit, offered work beyond capacity piles up: no steady state exists.
    if (!type.buffer && group.offered_work > 0 && !(report.offered_utilization < 1.0))
      summary_.stability.flag("device " + group.name + ": offered utilisation " +
                              ratio_text(report.offered_utilization) + " >= 1 with an unbounded buffer");
    // E = P_idle·T + (P_busy − P_idle)/cores · ∫ busy cores dt, per instance (SimGrid's host energy model).
    report.energy_j = type.power.idle_w * window * instances +
                      (type.power.busy_w - type.power.idle_w) / type.cores * busy_integral;
    report.cost = type.cost.per_second * window * instances;
    if (type.cost.lifetime > 0)
      report.cost += type.cost.purchase_price * window / type.cost.lifetime * instances;
    summary_.device_energy_j += report.energy_j;
    summary_.device_cost += report.cost;
    summary_.devices.push_back(std::move(report));
  }
  for (const auto& platform : faas_platforms_) {
    for (auto& report : platform->reports(now)) summary_.faas.push_back(std::move(report));
    summary_.faas_cost += platform->cost(now);
  }
  summary_.network_energy_j = network_->energy_j();
  summary_.network_cost = network_->money();
  summary_.network_bytes = network_->bytes_moved();
  summary_.network_transfers = network_->transfers();
  summary_.links = network_->link_reports(now);
  for (const LinkReport& link : summary_.links)
    if (!(link.offered_load < 1.0))  // flows share the link: beyond its bandwidth they never finish
      summary_.stability.flag("link " + link.name + ": offered load " + ratio_text(link.offered_load) +
                              " >= 1");
}

}  // namespace continuum
