// Runs an M/M/1 station through the installed libraries and checks it produced departures.
#include <cstdio>

#include "models/queueing/service_station.hpp"

namespace {
struct Sink : continuum::StationClient {
  int served = 0;
  void on_served(continuum::JobId, continuum::SimTime, continuum::SimTime) override { ++served; }
};
}  // namespace

int main() {
  continuum::Simulation simulation(1);
  Sink sink;
  continuum::ServiceStation station(simulation, {}, sink);
  for (continuum::JobId job = 0; job < 10; ++job) station.arrive(job, 0.5);
  simulation.run({});
  std::printf("served %d\n", sink.served);
  return sink.served == 10 ? 0 : 1;
}
