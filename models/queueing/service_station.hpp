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
#include <optional>
#include <vector>

#include "sim/engine/simulation.hpp"
#include "sim/engine/stats/time_weighted.hpp"
#include "sim/engine/stats/welford.hpp"

namespace continuum {

namespace detail {
/// First-in first-out queue in a ring buffer that allocates nothing until the first element
/// (std::deque allocates about 600 bytes up front, for every idle station).
template <class T>
class JobQueue {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  void push_back(const T& value) {
    if (size_ == buffer_.size()) grow();
    buffer_[(head_ + size_) & (buffer_.size() - 1)] = value;
    ++size_;
  }
  /// Precondition: !empty().
  T pop_front() {
    const T front = buffer_[head_];
    head_ = (head_ + 1) & (buffer_.size() - 1);
    --size_;
    return front;
  }
  /// Calls `visit` on each element, front first.
  template <class Visit>
  void for_each(Visit visit) const {
    for (std::size_t i = 0; i < size_; ++i) visit(buffer_[(head_ + i) & (buffer_.size() - 1)]);
  }
  void clear() { head_ = size_ = 0; }

 private:
  void grow() {  // capacities are powers of two, so positions wrap with a mask
    std::vector<T> larger(buffer_.empty() ? 4 : 2 * buffer_.size());
    for (std::size_t i = 0; i < size_; ++i) larger[i] = buffer_[(head_ + i) & (buffer_.size() - 1)];
    buffer_.swap(larger);
    head_ = 0;
  }
  std::vector<T> buffer_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};
}  // namespace detail

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
  /// Movable so that a device group can keep its stations in one array. Only an empty station may
  /// move: a pending departure event points to the station it was scheduled by.
  ServiceStation(ServiceStation&&) noexcept = default;
  ServiceStation& operator=(ServiceStation&&) = delete;

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
  static constexpr std::uint32_t no_server = 0xffffffff;
  /// One FCFS server; idle servers form a stack linked through `next_idle` (last freed, first used).
  struct Server {
    Job job{};
    EventHandle departure;
    std::uint32_t next_idle = no_server;
  };

  Server& server(std::size_t index) { return index == 0 ? first_server_ : other_servers_[index - 1]; }
  void make_all_servers_idle();
  void start_fcfs(std::size_t server, const Job& job);
  void depart_fcfs(std::size_t server);
  void advance_virtual_time();
  void reschedule_ps_departure();
  void depart_ps();
  void record_departure(const Job& job);
  void update_occupancy();

  // Fields in the order an arrival and a departure touch them: a large continuum keeps ~10^5
  // mostly idle stations, each visited at random, so a visit should touch as few cache lines as
  // possible (docs/performance.md, "Scaling with devices").
  Simulation* simulation_;
  StationClient* client_;
  std::uint64_t in_system_ = 0;
  std::uint64_t capacity_;  // max jobs in system
  StationConfig config_;
  StationCounters counters_;
  stats::TimeWeighted number_in_system_;
  stats::TimeWeighted busy_;

  // FCFS state. The first server is stored inline: most stations are one-core devices, which
  // then need no allocation at all while idle.
  std::uint32_t idle_head_ = no_server;
  Server first_server_;
  stats::Welford response_times_;
  detail::JobQueue<Job> waiting_;
  std::vector<Server> other_servers_;  // servers 1 … servers − 1

  // PS state
  std::vector<Job> ps_jobs_;  // heap on virtual finish tag
  double virtual_time_ = 0.0;
  SimTime virtual_updated_ = 0.0;
  EventHandle ps_departure_;
};

}  // namespace continuum
