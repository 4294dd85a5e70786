// FaaS function model throughput: Poisson arrivals at λ = 1000/s into one function (w = 2.016 s,
// c = 2.163 s exponential, θ = 600 s: SimFaaS's high-load case, ≈ 2000 instances), with lazy or
// cancelled expiry timers. Counters: requests/s and events/s of wall time, and the process's peak
// resident memory (getrusage ru_maxrss).
//
// The default run simulates 10^3 s (10^6 requests) per case. The 10^5 s run (10^8 requests, 30–40 s
// of CPU per case) is registered as `faas_long/...` and skipped unless asked for:
//   faas_bench --benchmark_filter=faas_long
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstring>
#include <string>
#include <vector>

#include "models/faas/faas_function.hpp"
#include "sim/engine/simulation.hpp"

namespace {

using namespace continuum;

class PoissonLoad final : public EventHandler, public FaasClient {
 public:
  PoissonLoad(Simulation& simulation, double rate, FaasFunctionSpec spec, ExpiryTimers expiry)
      : gap_(Distribution::exponential(1.0 / rate)),
        stream_(simulation.random_stream("arrivals")),
        function_(simulation, std::move(spec), {}, *this, nullptr, {.expiry = expiry}) {
    simulation.schedule_in(gap_.sample(stream_), *this, 0);
  }
  void on_event(Simulation& simulation, std::uint32_t, std::uint64_t) override {
    function_.invoke(next_job_++);
    simulation.schedule_in(gap_.sample(stream_), *this, 0);
  }
  void on_faas_done(JobId, const FaasCompletion&) override {}
  const FaasFunction& function() const { return function_; }

 private:
  Distribution gap_;
  RandomEngine& stream_;
  FaasFunction function_;
  JobId next_job_ = 0;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KiB
}

void run_function(benchmark::State& state) {
  const double horizon = static_cast<double>(state.range(0));
  const auto expiry = state.range(1) == 0 ? ExpiryTimers::lazy : ExpiryTimers::cancel;  // 1: the default
  const FaasFunctionSpec spec{.name = "f",
                              .memory = 128.0 * 1024 * 1024,
                              .warm = Distribution::exponential(2.016),
                              .cold = Distribution::exponential(2.163),
                              .keep_alive = 600.0,
                              .max_instances = 100000};
  std::uint64_t requests = 0, events = 0;
  double instances = 0.0, cold = 0.0;
  for (auto _ : state) {
    Simulation simulation(1);
    PoissonLoad load(simulation, 1000.0, spec, expiry);
    simulation.run({.until = horizon});
    const FaasFunctionReport report = load.function().report(simulation.now());
    requests += report.arrivals;
    events += simulation.events_processed();
    instances = report.average_instances;
    cold = report.cold_start_probability;
  }
  state.counters["requests/s"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["instances"] = instances;
  state.counters["p_cold"] = cold;
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  state.SetLabel(expiry == ExpiryTimers::lazy ? "lazy expiry" : "cancelled expiry");
}

void faas_function(benchmark::State& state) {
  run_function(state);
}
void faas_long(benchmark::State& state) {
  run_function(state);
}

BENCHMARK(faas_function)->Args({1000, 0})->Args({1000, 1})->Unit(benchmark::kMillisecond);
BENCHMARK(faas_long)->Args({100000, 0})->Args({100000, 1})->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

// Without a filter of the caller's, skip the long runs (a negative filter).
int main(int argc, char** argv) {
  std::vector<char*> arguments(argv, argv + argc);
  bool filtered = false;
  for (int i = 1; i < argc; ++i) filtered = filtered || std::strncmp(argv[i], "--benchmark_filter", 18) == 0;
  std::string skip_long = "--benchmark_filter=-faas_long";
  if (!filtered) arguments.push_back(skip_long.data());
  int count = static_cast<int>(arguments.size());
  benchmark::Initialize(&count, arguments.data());
  if (benchmark::ReportUnrecognizedArguments(count, arguments.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
