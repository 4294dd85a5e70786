#include "models/queueing/service_station.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace continuum {

namespace {
constexpr std::uint32_t kind_fcfs_departure = 0;
constexpr std::uint32_t kind_ps_departure = 1;
}  // namespace

ServiceStation::ServiceStation(Simulation& simulation, StationConfig config, StationClient& client)
    : simulation_(&simulation),
      client_(&client),
      config_(config),
      number_in_system_(simulation.now()),
      busy_(simulation.now()) {
  if (config_.servers < 1) throw std::invalid_argument("service station: servers must be >= 1");
  const auto servers = static_cast<std::uint64_t>(config_.servers);
  capacity_ = config_.buffer ? servers + *config_.buffer : std::numeric_limits<std::uint64_t>::max();
  virtual_updated_ = simulation.now();
  if (config_.discipline == Discipline::fcfs) {
    other_servers_.resize(servers - 1);
    make_all_servers_idle();
  }
}

void ServiceStation::make_all_servers_idle() {
  // Server 0 on top, then 1, 2, …: the order in which a fresh station hands them out.
  const auto servers = static_cast<std::uint32_t>(config_.servers);
  for (std::uint32_t s = 0; s < servers; ++s) server(s).next_idle = s + 1 < servers ? s + 1 : no_server;
  idle_head_ = 0;
}

int ServiceStation::busy_servers() const {
  return static_cast<int>(std::min<std::uint64_t>(in_system_, static_cast<std::uint64_t>(config_.servers)));
}

void ServiceStation::reset_statistics(SimTime now) {
  counters_ = {};
  response_times_.reset();
  number_in_system_.reset(now);
  busy_.reset(now);
}

void ServiceStation::update_occupancy() {
  const SimTime now = simulation_->now();
  number_in_system_.set(now, static_cast<double>(in_system_));
  busy_.set(now, static_cast<double>(busy_servers()));
}

bool ServiceStation::arrive(JobId job, double service_time) {
  if (!(service_time >= 0.0)) throw std::invalid_argument("service station: negative or NaN service time");
  ++counters_.arrivals;
  if (in_system_ >= capacity_) {
    ++counters_.losses;
    return false;
  }
  ++in_system_;
  const SimTime now = simulation_->now();
  if (config_.discipline == Discipline::fcfs) {
    const Job entry{job, now, service_time};
    if (idle_head_ != no_server) {
      const std::uint32_t idle = idle_head_;
      idle_head_ = server(idle).next_idle;
      start_fcfs(idle, entry);
    } else {
      waiting_.push_back(entry);
    }
  } else {
    advance_virtual_time();
    ps_jobs_.push_back(Job{job, now, virtual_time_ + service_time});
    std::push_heap(ps_jobs_.begin(), ps_jobs_.end(), LaterTag{});
    reschedule_ps_departure();
  }
  update_occupancy();
  return true;
}

void ServiceStation::start_fcfs(std::size_t index, const Job& job) {
  Server& busy = server(index);
  busy.job = job;
  busy.departure = simulation_->schedule_in(job.work, *this, kind_fcfs_departure, index);
}

void ServiceStation::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  if (kind == kind_fcfs_departure) {
    depart_fcfs(static_cast<std::size_t>(payload));
  } else {
    depart_ps();
  }
}

void ServiceStation::depart_fcfs(std::size_t index) {
  Server& freed = server(index);
  const Job done = freed.job;
  --in_system_;
  if (!waiting_.empty()) {
    start_fcfs(index, waiting_.pop_front());
  } else {
    freed.next_idle = idle_head_;
    idle_head_ = static_cast<std::uint32_t>(index);
  }
  update_occupancy();
  record_departure(done);  // last: the client may send the job straight back here
}

std::vector<JobId> ServiceStation::evict_all() {
  std::vector<JobId> evicted;
  if (config_.discipline == Discipline::fcfs) {
    for (std::size_t s = 0; s < static_cast<std::size_t>(config_.servers); ++s)
      if (simulation_->cancel(server(s).departure)) evicted.push_back(server(s).job.id);
    waiting_.for_each([&](const Job& job) { evicted.push_back(job.id); });
    waiting_.clear();
    make_all_servers_idle();
  } else {
    advance_virtual_time();
    for (const Job& job : ps_jobs_) evicted.push_back(job.id);
    ps_jobs_.clear();
    simulation_->cancel(ps_departure_);
  }
  in_system_ = 0;
  update_occupancy();
  return evicted;
}

void ServiceStation::advance_virtual_time() {
  const SimTime now = simulation_->now();
  if (!ps_jobs_.empty()) {
    const double n = static_cast<double>(ps_jobs_.size());
    const double rate = std::min(1.0, config_.servers / n);
    virtual_time_ += (now - virtual_updated_) * rate;
  }
  virtual_updated_ = now;
}

void ServiceStation::reschedule_ps_departure() {
  simulation_->cancel(ps_departure_);
  if (ps_jobs_.empty()) return;
  const double n = static_cast<double>(ps_jobs_.size());
  const double rate = std::min(1.0, config_.servers / n);
  const double remaining = std::max(0.0, ps_jobs_.front().work - virtual_time_);
  ps_departure_ = simulation_->schedule_in(remaining / rate, *this, kind_ps_departure);
}

void ServiceStation::depart_ps() {
  advance_virtual_time();
  std::pop_heap(ps_jobs_.begin(), ps_jobs_.end(), LaterTag{});
  const Job done = ps_jobs_.back();
  ps_jobs_.pop_back();
  virtual_time_ = std::max(virtual_time_, done.work);  // absorb rounding: the job is finished exactly
  --in_system_;
  ps_departure_ = {};
  reschedule_ps_departure();
  update_occupancy();
  record_departure(done);
}

void ServiceStation::record_departure(const Job& job) {
  const SimTime now = simulation_->now();
  ++counters_.departures;
  response_times_.add(now - job.arrival);
  client_->on_served(job.id, job.arrival, now);
}

}  // namespace continuum
