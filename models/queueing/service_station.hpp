#pragma once
// A service station: c identical servers, FCFS or processor sharing, an optional finite buffer.
// It is the primitive every continuum resource is built on (device queues, FaaS instances reuse
// its statistics). The caller draws each job's service requirement from its own named stream
// and passes it in, so the station knows no distributions and common random numbers hold.
//
// Processor sharing uses virtual time: with n jobs each receives rate r(n) = min(1, c/n), the
// virtual clock V advances at r(n), and a job entering at V0 with requirement s leaves when V
// reaches V0 + s. Jobs sit in a min-heap of those tags, so every arrival and departure costs
// O(log n) — there is no per-event scan over the jobs in service.
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "sim/engine/simulation.hpp"
#include "sim/engine/stats/time_weighted.hpp"
#include "sim/engine/stats/welford.hpp"

namespace continuum {

enum class Discipline { fcfs, ps };

struct StationConfig {
  int servers = 1;
  Discipline discipline = Discipline::fcfs;
  /// Jobs that may wait beyond those in service; an arrival finding it full is lost. For PS the
  /// station holds at most servers + buffer jobs. No value: unbounded.
  std::optional<std::uint64_t> buffer;
};

using JobId = std::uint64_t;

/// Told when a job leaves the station after service.
class StationClient {
 public:
  virtual void on_served(JobId job, SimTime arrival_time, SimTime departure_time) = 0;

 protected:
  ~StationClient() = default;
};

struct StationCounters {
  std::uint64_t arrivals = 0;
  std::uint64_t losses = 0;
  std::uint64_t departures = 0;
};

class ServiceStation final : public EventHandler {
 public:
  ServiceStation(Simulation& simulation, StationConfig config, StationClient& client);
  ServiceStation(const ServiceStation&) = delete;
  ServiceStation& operator=(const ServiceStation&) = delete;

  /// A job arrives now needing `service_time` seconds of one server. Returns false if it is lost
  /// because the buffer is full (the client is not called back for lost jobs).
  bool arrive(JobId job, double service_time);

  /// Removes every job (a failure of the machine): returns their ids; no departure will follow.
  std::vector<JobId> evict_all();

  std::uint64_t in_system() const { return in_system_; }
  int busy_servers() const;
  const StationConfig& config() const { return config_; }

  /// Statistics since the last reset (warm-up end): counts, response times, and time averages of
  /// the number in system and of busy servers (utilisation = busy mean / servers).
  const StationCounters& counters() const { return counters_; }
  const stats::Welford& response_times() const { return response_times_; }
  const stats::TimeWeighted& number_in_system() const { return number_in_system_; }
  const stats::TimeWeighted& busy() const { return busy_; }
  double utilization(SimTime now) const { return busy_.mean(now) / config_.servers; }
  void reset_statistics(SimTime now);

  void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) override;

 private:
  struct Job {
    JobId id;
    SimTime arrival;
    double work;  // FCFS: service time; PS: virtual finish tag
  };
  struct LaterTag {
    bool operator()(const Job& a, const Job& b) const { return a.work > b.work; }
  };

  void start_fcfs(std::size_t server, const Job& job);
  void depart_fcfs(std::size_t server);
  void advance_virtual_time();
  void reschedule_ps_departure();
  void depart_ps();
  void record_departure(const Job& job);
  void update_occupancy();

  Simulation& simulation_;
  StationConfig config_;
  StationClient& client_;
  std::uint64_t capacity_;  // max jobs in system
  std::uint64_t in_system_ = 0;

  // FCFS state
  std::vector<Job> servers_;
  std::vector<EventHandle> server_departures_;
  std::vector<std::size_t> idle_servers_;
  std::deque<Job> waiting_;

  // PS state
  std::vector<Job> ps_jobs_;  // heap on virtual finish tag
  double virtual_time_ = 0.0;
  SimTime virtual_updated_ = 0.0;
  EventHandle ps_departure_;

  StationCounters counters_;
  stats::Welford response_times_;
  stats::TimeWeighted number_in_system_;
  stats::TimeWeighted busy_;
};

}  // namespace continuum
