// Cost of the HDF5 trace: the same M/M/1 run (Poisson 8/s into one exponential 0.1 s server,
// about 3 events per request) with and without the trace writer attached. The argument is the
// number of requests (the horizon is set to give that many). Target (issue 7): tracing adds at most
// 30 % to the run time, and peak memory does not grow with the run length.
// - Time is wall-clock; CPU is the whole process (the simulation thread plus the trace's
//   compression thread); `sim_thread_ms` is the simulation thread alone per run, the critical path
//   when a second core is free for the compression.
// - `traced_uncompressed` (--trace-compression none) isolates the cost of compression,
//   `traced_small` is --trace-compression small;
//   `traced_sample_10_percent` is the `--trace-sample 0.1` case.
// - Benchmarks run in registration order, so `peak_rss_MiB` (the process's high-water mark, which
//   never decreases) stays flat across the growing traced runs exactly when memory is bounded.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "models/system/system_model.hpp"
#include "sim/io/summary_json.hpp"
#include "sim/io/trace_writer.hpp"

namespace {

using namespace continuum;

ScenarioSpec mm1(double requests) {
  ScenarioSpec s;
  s.name = "mm1";
  const double rate = 8.0;
  s.simulation.horizon = requests / rate;
  s.simulation.warmup = 0.0;
  s.layers = {"cloud"};
  DeviceTypeSpec server{.name = "server", .layer = "cloud", .cores = 1, .discipline = Discipline::fcfs};
  server.power = {.idle_w = 20.0, .busy_w = 60.0};
  s.device_types = {server};
  s.devices = {{.name = "server", .type = "server"}};
  PartitionSpec p{.name = "all"};
  p.demand.emplace("server", Distribution::exponential(0.1));
  s.application.components = {{.name = "service", .deployments = {{.name = "single", .partitions = {p}}}}};
  s.placement["service"] = {.deployment = "single",
                            .partitions = {{"all", {PlacementTarget::Kind::device, "server"}}}};
  s.sources = {{.name = "clients",
                .entry = "service",
                .arrivals = {.process = ArrivalSpec::Process::poisson, .rate = rate}}};
  return s;
}

/// CPU time of the calling thread only: the simulation thread, without the compression thread.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void run(benchmark::State& state, bool traced, double fraction = 1.0,
         io::hdf5::Compression compression = io::hdf5::Compression::fast) {
  const auto spec = mm1(static_cast<double>(state.range(0)));
  const auto path =
      std::filesystem::temp_directory_path() / ("trace_bench_" + std::to_string(::getpid()) + ".h5");
  std::uint64_t requests = 0;
  std::uintmax_t bytes = 0;
  const double thread_start = thread_cpu_seconds();
  for (auto _ : state) {
    Simulation simulation(1);
    SystemModel model(simulation, spec);
    if (traced) {
      io::TraceOptions options{.sample_interval = spec.simulation.horizon / 1000.0,
                               .request_fraction = fraction};
      options.request_table.compression = options.series_table.compression = compression;
      io::TraceWriter writer(path, spec, options, {.seed = 1});
      model.attach_observer(writer, options.sample_interval);
      const auto summary = model.run();
      writer.finish(summary, io::summary_json(summary, {}));
      requests += summary.completed + summary.lost;
      bytes = std::filesystem::file_size(path);
    } else {
      const auto summary = model.run();
      requests += summary.completed + summary.lost;
    }
  }
  const double thread_cpu = thread_cpu_seconds() - thread_start;
  std::filesystem::remove(path);
  state.counters["sim_thread_ms"] = 1e3 * thread_cpu / static_cast<double>(state.iterations());
  state.counters["requests/s"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  if (traced) state.counters["file_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
}

void untraced(benchmark::State& state) {
  run(state, false);
}
void traced(benchmark::State& state) {
  run(state, true);
}
void traced_sample_10_percent(benchmark::State& state) {
  run(state, true, 0.1);
}
void traced_uncompressed(benchmark::State& state) {
  run(state, true, 1.0, io::hdf5::Compression::none);
}
void traced_small(benchmark::State& state) {
  run(state, true, 1.0, io::hdf5::Compression::small);
}

}  // namespace

BENCHMARK(untraced)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(traced)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(traced_uncompressed)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(traced_small)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(traced_sample_10_percent)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
// Growing run lengths: the high-water mark must stay flat.
BENCHMARK(traced)
    ->Arg(2'000'000)
    ->Arg(4'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK_MAIN();
