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
    : simulation_(simulation),
      config_(config),
      client_(client),
      number_in_system_(simulation.now()),
      busy_(simulation.now()) {
  if (config_.servers < 1) throw std::invalid_argument("service station: servers must be >= 1");
  const auto servers = static_cast<std::uint64_t>(config_.servers);
  capacity_ = config_.buffer ? servers + *config_.buffer : std::numeric_limits<std::uint64_t>::max();
  virtual_updated_ = simulation.now();
  if (config_.discipline == Discipline::fcfs) {
    servers_.resize(servers);
    server_departures_.resize(servers);
    for (std::size_t s = servers; s-- > 0;) idle_servers_.push_back(s);
  }
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
  const SimTime now = simulation_.now();
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
  const SimTime now = simulation_.now();
  if (config_.discipline == Discipline::fcfs) {
    const Job entry{job, now, service_time};
    if (!idle_servers_.empty()) {
      const std::size_t server = idle_servers_.back();
      idle_servers_.pop_back();
      start_fcfs(server, entry);
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

void ServiceStation::start_fcfs(std::size_t server, const Job& job) {
  servers_[server] = job;
  server_departures_[server] = simulation_.schedule_in(job.work, *this, kind_fcfs_departure, server);
}

void ServiceStation::on_event(Simulation&, std::uint32_t kind, std::uint64_t payload) {
  if (kind == kind_fcfs_departure) {
    depart_fcfs(static_cast<std::size_t>(payload));
  } else {
    depart_ps();
  }
}

void ServiceStation::depart_fcfs(std::size_t server) {
  const Job done = servers_[server];
  --in_system_;
  if (!waiting_.empty()) {
    const Job next = waiting_.front();
    waiting_.pop_front();
    start_fcfs(server, next);
  } else {
    idle_servers_.push_back(server);
  }
  update_occupancy();
  record_departure(done);  // last: the client may send the job straight back here
}

std::vector<JobId> ServiceStation::evict_all() {
  std::vector<JobId> evicted;
  if (config_.discipline == Discipline::fcfs) {
    for (std::size_t server = 0; server < servers_.size(); ++server)
      if (simulation_.cancel(server_departures_[server])) evicted.push_back(servers_[server].id);
    for (const Job& job : waiting_) evicted.push_back(job.id);
    waiting_.clear();
    idle_servers_.clear();
    for (std::size_t s = servers_.size(); s-- > 0;) idle_servers_.push_back(s);
  } else {
    advance_virtual_time();
    for (const Job& job : ps_jobs_) evicted.push_back(job.id);
    ps_jobs_.clear();
    simulation_.cancel(ps_departure_);
  }
  in_system_ = 0;
  update_occupancy();
  return evicted;
}

void ServiceStation::advance_virtual_time() {
  const SimTime now = simulation_.now();
  if (!ps_jobs_.empty()) {
    const double n = static_cast<double>(ps_jobs_.size());
    const double rate = std::min(1.0, config_.servers / n);
    virtual_time_ += (now - virtual_updated_) * rate;
  }
  virtual_updated_ = now;
}

void ServiceStation::reschedule_ps_departure() {
  simulation_.cancel(ps_departure_);
  if (ps_jobs_.empty()) return;
  const double n = static_cast<double>(ps_jobs_.size());
  const double rate = std::min(1.0, config_.servers / n);
  const double remaining = std::max(0.0, ps_jobs_.front().work - virtual_time_);
  ps_departure_ = simulation_.schedule_in(remaining / rate, *this, kind_ps_departure);
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
  const SimTime now = simulation_.now();
  ++counters_.departures;
  response_times_.add(now - job.arrival);
  client_.on_served(job.id, job.arrival, now);
}

}  // namespace continuum
