// The classic hold model (Vaucher & Duval 1975): with n events pending, pop the earliest and push
// one at now + Exp(1). The same loop runs over continuum's EventQueue and, as the baseline, over a
// std::priority_queue of events of the same size (time, sequence, target, kind, payload).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

#include "sim/engine/event_queue.hpp"
#include "sim/engine/random.hpp"

namespace {

using continuum::EventQueue;
using continuum::RandomEngine;

/// Exponential(1) draws prepared in advance, so both loops pay the same, tiny, RNG cost.
std::vector<double> exponential_draws(std::size_t n) {
  RandomEngine engine(continuum::stream_seed(1, "hold"));
  std::vector<double> draws(n);
  for (double& d : draws) d = -std::log(continuum::uniform_open01(engine));
  return draws;
}

constexpr std::size_t draw_count = 1 << 20;

void hold_event_queue(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  const auto draws = exponential_draws(draw_count);
  EventQueue queue;
  queue.reserve(pending + 1);
  std::size_t next = 0;
  for (std::size_t i = 0; i < pending; ++i) queue.push(draws[next++ % draw_count], nullptr, 0, i);
  for (auto _ : state) {
    const auto event = queue.pop();
    queue.push(event.time + draws[next++ & (draw_count - 1)], nullptr, event.kind, event.payload);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

struct BaselineEvent {
  double time;
  std::uint64_t sequence;
  void* target;
  std::uint32_t kind;
  std::uint64_t payload;
  bool operator>(const BaselineEvent& other) const {
    return time > other.time || (time == other.time && sequence > other.sequence);
  }
};

void hold_std_priority_queue(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  const auto draws = exponential_draws(draw_count);
  std::vector<BaselineEvent> storage;
  storage.reserve(pending + 1);
  std::priority_queue<BaselineEvent, std::vector<BaselineEvent>, std::greater<>> queue(std::greater<>{},
                                                                                       std::move(storage));
  std::size_t next = 0;
  std::uint64_t sequence = 0;
  for (std::size_t i = 0; i < pending; ++i)
    queue.push({draws[next++ % draw_count], sequence++, nullptr, 0, i});
  for (auto _ : state) {
    const BaselineEvent event = queue.top();
    queue.pop();
    queue.push(
        {event.time + draws[next++ & (draw_count - 1)], sequence++, nullptr, event.kind, event.payload});
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

}  // namespace

BENCHMARK(hold_event_queue)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(hold_std_priority_queue)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK_MAIN();
