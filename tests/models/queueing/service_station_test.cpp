// Validation of the service station against queueing theory: each test runs independent
// replications (fixed seeds), forms a 99 % Student-t interval over the replication means and
// requires the closed-form value to lie inside it.
#include "models/queueing/service_station.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "models/analytic/finite_queues.hpp"
#include "models/analytic/infinite_queues.hpp"
#include "models/workload/arrival_process.hpp"
#include "sim/engine/stats/confidence.hpp"

namespace continuum {
namespace {

/// Poisson arrivals into one station; records what the tests compare with theory.
class OpenQueue final : public EventHandler, public StationClient {
 public:
  OpenQueue(Simulation& simulation, double rate, StationConfig config, Distribution service)
      : arrivals_(Distribution::exponential(1.0 / rate)),
        service_(std::move(service)),
        station_(simulation, config, *this),
        arrival_stream_(simulation.random_stream("arrivals")),
        service_stream_(simulation.random_stream("service")) {
    simulation.on_warmup_end([this](SimTime now) { station_.reset_statistics(now); });
    simulation.schedule_at(arrivals_.next_arrival(0.0, arrival_stream_), *this, 0);
  }
  void on_event(Simulation& simulation, std::uint32_t, std::uint64_t) override {
    station_.arrive(next_job_++, service_.sample(service_stream_));
    simulation.schedule_at(arrivals_.next_arrival(simulation.now(), arrival_stream_), *this, 0);
  }
  void on_served(JobId, SimTime, SimTime) override {}
  const ServiceStation& station() const { return station_; }

 private:
  RenewalArrivals arrivals_;
  Distribution service_;
  ServiceStation station_;
  RandomEngine& arrival_stream_;
  RandomEngine& service_stream_;
  JobId next_job_ = 0;
};

struct Measured {
  stats::ConfidenceInterval response;
  stats::ConfidenceInterval in_system;
  stats::ConfidenceInterval loss;
  stats::ConfidenceInterval utilization;
};

Measured replicate(double rate, StationConfig config, const Distribution& service, int replications = 30,
                   SimTime horizon = 2e4, SimTime warmup = 2e3) {
  std::vector<double> response, in_system, loss, utilization;
  for (int r = 0; r < replications; ++r) {
    Simulation simulation(1000 + static_cast<std::uint64_t>(r));
    simulation.set_warmup(warmup);
    OpenQueue queue(simulation, rate, config, service);
    simulation.run(StopCondition{.until = horizon});
    const auto& station = queue.station();
    response.push_back(station.response_times().mean());
    in_system.push_back(station.number_in_system().mean(horizon));
    loss.push_back(static_cast<double>(station.counters().losses) /
                   static_cast<double>(station.counters().arrivals));
    utilization.push_back(station.utilization(horizon));
  }
  return {stats::replication_interval(response, 0.99), stats::replication_interval(in_system, 0.99),
          stats::replication_interval(loss, 0.99), stats::replication_interval(utilization, 0.99)};
}

#define EXPECT_IN_INTERVAL(interval, value) \
  EXPECT_TRUE((interval).contains(value))   \
      << "theory " << (value) << " outside [" << (interval).lower() << ", " << (interval).upper() << "]"

TEST(ServiceStation, MM1MeanResponseAndQueueLengthMatchTheory) {
  const double rate = 0.7, mean_service = 1.0;
  const auto theory = analytic::mm1(rate, mean_service);
  const auto measured = replicate(rate, {}, Distribution::exponential(mean_service));
  EXPECT_IN_INTERVAL(measured.response, theory.mean_response);
  EXPECT_IN_INTERVAL(measured.in_system, theory.mean_in_system);
  EXPECT_IN_INTERVAL(measured.utilization, theory.utilization);
}

TEST(ServiceStation, MMcWaitingProbabilityFollowsErlangC) {
  const double rate = 3.2, mean_service = 1.0;
  const int servers = 4;
  const auto theory = analytic::mmc(rate, mean_service, servers);
  const auto measured = replicate(rate, {.servers = servers}, Distribution::exponential(mean_service));
  EXPECT_IN_INTERVAL(measured.response, theory.mean_response);
  EXPECT_IN_INTERVAL(measured.in_system, theory.mean_in_system);
}

TEST(ServiceStation, MD1MeanResponseFollowsPollaczekKhinchine) {
  const double rate = 0.8, mean_service = 1.0;
  const auto theory = analytic::mg1(rate, mean_service, 0.0);
  const auto measured = replicate(rate, {}, Distribution::deterministic(mean_service));
  EXPECT_IN_INTERVAL(measured.response, theory.mean_response);
}

TEST(ServiceStation, MG1WithLognormalServiceFollowsPollaczekKhinchine) {
  const double rate = 0.6, mean_service = 1.0, scv = 2.0;
  const auto theory = analytic::mg1(rate, mean_service, scv);
  const auto measured = replicate(rate, {}, Distribution::lognormal(mean_service, scv), 40, 5e4);
  EXPECT_IN_INTERVAL(measured.response, theory.mean_response);
}

TEST(ServiceStation, MM1KLossProbabilityIsExact) {
  const double rate = 0.9, mean_service = 1.0;
  const int capacity = 5;  // one in service + four waiting
  const auto theory = analytic::mm1k(rate, mean_service, capacity);
  const auto measured = replicate(rate, {.buffer = static_cast<std::uint64_t>(capacity - 1)},
                                  Distribution::exponential(mean_service));
  EXPECT_IN_INTERVAL(measured.loss, theory.loss_probability);
  EXPECT_IN_INTERVAL(measured.in_system, theory.mean_in_system);
}

TEST(ServiceStation, ProcessorSharingIsInsensitiveToDeterministicService) {
  // M/G/1-PS: the mean response D/(1 − ρ) depends on the service law only through its mean.
  const double rate = 0.75, mean_service = 1.0;
  const auto theory = analytic::mg1_ps(rate, mean_service);
  const auto measured =
      replicate(rate, {.discipline = Discipline::ps}, Distribution::deterministic(mean_service));
  EXPECT_NEAR(theory.mean_response, mean_service / (1 - rate * mean_service), 1e-12);
  EXPECT_IN_INTERVAL(measured.response, theory.mean_response);
}

TEST(ServiceStation, ProcessorSharingWithSeveralServersMatchesMMc) {
  // With c servers a PS station is an M/M/c-PS queue; its mean number in system is M/M/c's.
  const double rate = 1.5, mean_service = 1.0;
  const auto theory = analytic::mmc(rate, mean_service, 2);
  const auto measured =
      replicate(rate, {.servers = 2, .discipline = Discipline::ps}, Distribution::exponential(mean_service));
  EXPECT_IN_INTERVAL(measured.in_system, theory.mean_in_system);
}

struct LossCase {
  const char* name;
  analytic::ServiceLaw law;
  Distribution service;
  double rho;
};

class FiniteBufferLoss : public ::testing::TestWithParam<LossCase> {};

TEST_P(FiniteBufferLoss, MatchesTheExactMG1KLoss) {
  // K = 10 in the system (one in service + nine waiting); mean service 1, so λ = ρ.
  const LossCase& c = GetParam();
  const int capacity = 10;
  const double exact = analytic::mg1k_loss_exact(c.rho, c.law, capacity);
  const auto measured = replicate(c.rho, {.buffer = capacity - 1}, c.service, 30, 1e5, 1e3);
  EXPECT_IN_INTERVAL(measured.loss, exact);
  // The interval must be informative, not just wide: half-width below 30 % of the value, or for the
  // rarest losses (deterministic/Erlang at ρ = 0.5, ~1e-5) below 5e-5 — still ten times tighter than
  // the M/M/1/K loss at that load, so a wrong service law would be caught.
  EXPECT_LT(measured.loss.half_width, std::max(0.3 * exact, 5e-5));
}

analytic::ServiceLaw law(analytic::ServiceLaw::Kind kind, int k = 1, double scv = 1.0) {
  analytic::ServiceLaw result;
  result.kind = kind;
  result.erlang_k = k;
  result.scv = scv;
  return result;
}

std::vector<LossCase> loss_cases() {
  using Kind = analytic::ServiceLaw::Kind;
  std::vector<LossCase> cases;
  for (double rho : {0.5, 0.8, 0.95}) {
    cases.push_back({"deterministic", law(Kind::deterministic), Distribution::deterministic(1.0), rho});
    cases.push_back({"erlang2", law(Kind::erlang, 2), Distribution::erlang(2, 1.0), rho});
    cases.push_back({"exponential", law(Kind::exponential), Distribution::exponential(1.0), rho});
    cases.push_back(
        {"hyperexp4", law(Kind::hyperexponential, 1, 4.0), Distribution::hyperexponential(1.0, 4.0), rho});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(ServiceLawsAndLoads, FiniteBufferLoss, ::testing::ValuesIn(loss_cases()),
                         [](const auto& test) {
                           return std::string(test.param.name) + "_rho" +
                                  std::to_string(static_cast<int>(test.param.rho * 100));
                         });

TEST(ServiceStation, LostJobsAreCountedAndNeverServed) {
  Simulation simulation(7);
  struct Counter : StationClient {
    int served = 0;
    void on_served(JobId, SimTime, SimTime) override { ++served; }
  } client;
  ServiceStation station(simulation, {.buffer = 1}, client);
  EXPECT_TRUE(station.arrive(1, 1.0));
  EXPECT_TRUE(station.arrive(2, 1.0));
  EXPECT_FALSE(station.arrive(3, 1.0));
  simulation.run({});
  EXPECT_EQ(client.served, 2);
  EXPECT_EQ(station.counters().arrivals, 3u);
  EXPECT_EQ(station.counters().losses, 1u);
  EXPECT_EQ(station.counters().departures, 2u);
  EXPECT_DOUBLE_EQ(simulation.now(), 2.0);
}

TEST(ServiceStation, ProcessorSharingSplitsCapacityEqually) {
  // Two jobs of 1 s and 3 s arrive together: both run at rate 1/2 until t = 2, then the second alone.
  Simulation simulation(1);
  struct Recorder : StationClient {
    std::vector<std::pair<JobId, SimTime>> departures;
    void on_served(JobId job, SimTime, SimTime at) override { departures.emplace_back(job, at); }
  } client;
  ServiceStation station(simulation, {.discipline = Discipline::ps}, client);
  station.arrive(1, 1.0);
  station.arrive(2, 3.0);
  simulation.run({});
  ASSERT_EQ(client.departures.size(), 2u);
  EXPECT_EQ(client.departures[0].first, 1u);
  EXPECT_NEAR(client.departures[0].second, 2.0, 1e-12);
  EXPECT_NEAR(client.departures[1].second, 4.0, 1e-12);
}

/// Records (job, departure time) in departure order.
struct DepartureLog final : StationClient {
  std::vector<std::pair<JobId, SimTime>> departures;
  void on_served(JobId job, SimTime, SimTime at) override { departures.emplace_back(job, at); }
};

TEST(ServiceStation, FcfsServersTakeTheQueueInArrivalOrderWhileItsBufferWrapsAndGrows) {
  // Two servers, 1 s jobs, bursts of growing size every 8 s: the waiting queue (1, 5, 9, 13, 14
  // jobs) wraps around its ring buffer and grows while wrapped. Job k of burst b leaves at
  // 8 b + 1 + floor(k / 2), in arrival order.
  const std::vector<int> sizes{3, 7, 11, 15, 16};
  Simulation simulation(1);
  DepartureLog client;
  ServiceStation station(simulation, {.servers = 2}, client);
  struct Bursts final : EventHandler {
    ServiceStation* station;
    const std::vector<int>* sizes;
    std::size_t burst = 0;
    JobId next = 0;
    void on_event(Simulation& sim, std::uint32_t, std::uint64_t) override {
      for (int k = 0; k < (*sizes)[burst]; ++k) station->arrive(next++, 1.0);
      if (++burst < sizes->size()) sim.schedule_in(8.0, *this, 0);
    }
  } bursts;
  bursts.station = &station;
  bursts.sizes = &sizes;
  simulation.schedule_at(0.0, bursts, 0);
  simulation.run({});
  std::vector<std::pair<JobId, SimTime>> expected;
  JobId job = 0;
  for (std::size_t b = 0; b < sizes.size(); ++b)
    for (int k = 0; k < sizes[b]; ++k)
      expected.emplace_back(job++, 8.0 * static_cast<double>(b) + 1.0 + k / 2);
  EXPECT_EQ(client.departures, expected);
  EXPECT_EQ(station.in_system(), 0u);
}

TEST(ServiceStation, EvictAllReturnsServedAndWaitingJobsAndLeavesAnEmptyWorkingStation) {
  Simulation simulation(1);
  DepartureLog client;
  ServiceStation station(simulation, {.servers = 3}, client);
  for (JobId job = 0; job < 7; ++job) station.arrive(job, 5.0);  // 3 in service, 4 waiting
  std::vector<JobId> evicted = station.evict_all();
  std::sort(evicted.begin(), evicted.end());
  EXPECT_EQ(evicted, (std::vector<JobId>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(station.in_system(), 0u);
  EXPECT_EQ(station.busy_servers(), 0);
  // Every server is idle again: three new jobs start at once, the fourth waits for one of them.
  for (JobId job = 10; job < 14; ++job) station.arrive(job, 1.0);
  simulation.run({});
  ASSERT_EQ(client.departures.size(), 4u);  // nothing of the evicted jobs comes back
  EXPECT_EQ(client.departures[3], (std::pair<JobId, SimTime>{13, 2.0}));
  for (int i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(client.departures[static_cast<std::size_t>(i)].second, 1.0);
}

TEST(ServiceStation, AnEmptyStationMovedIntoAnArrayServesFromThere) {
  // SystemModel keeps a device group's stations in one std::vector: they are built by moving.
  Simulation simulation(1);
  DepartureLog client;
  std::vector<ServiceStation> stations;
  for (int i = 0; i < 3; ++i) stations.push_back(ServiceStation(simulation, {}, client));
  stations[1].arrive(7, 2.0);
  stations[1].arrive(8, 1.0);
  simulation.run({});
  ASSERT_EQ(client.departures.size(), 2u);
  EXPECT_EQ(client.departures[0], (std::pair<JobId, SimTime>{7, 2.0}));
  EXPECT_EQ(client.departures[1], (std::pair<JobId, SimTime>{8, 3.0}));
  EXPECT_DOUBLE_EQ(stations[1].busy().integral(3.0), 3.0);
  EXPECT_EQ(stations[0].counters().arrivals, 0u);
}

}  // namespace
}  // namespace continuum
