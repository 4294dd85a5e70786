// Random-greedy throughput on a generated 15-component instance (SPACE4AI-D scalability
// scenario 4: 8 layers, 31 candidate resources, 4 local and 4 path constraints, λ = 0.11 req/s).
// The Python SPACE4AI-D tool needs about 366 ms per feasible iteration on this scale (D2.1,
// Appendix B). Run: build/bench/placement_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cstdint>

#include "models/placement/placement_evaluator.hpp"
#include "models/placement/random_instance.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/search_support.hpp"

namespace {

using namespace continuum::placement;

const PlacementEvaluator& scenario_four() {
  static const PlacementEvaluator evaluator(random_instance(space4ai_scalability_spec(4), 7));
  return evaluator;
}

// One benchmark iteration = a random-greedy run of 1000 iterations on one thread.
void BM_RandomGreedyIterations(benchmark::State& state) {
  const auto& evaluator = scenario_four();
  PlacementPolicyParameters parameters;
  parameters.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t iterations = 0;
  std::uint64_t evaluations = 0;
  std::uint64_t feasible = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    parameters.seed = seed++;
    const auto run = detail::random_greedy_search(evaluator, parameters, 1000, detail::Deadline(1e9));
    iterations += run.iterations;
    evaluations += run.evaluations;
    feasible += run.feasible;
    benchmark::DoNotOptimize(run.elite.entries().data());
  }
  state.counters["iterations/s"] =
      benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate);
  state.counters["evaluations/iter"] =
      benchmark::Counter(static_cast<double>(evaluations) / static_cast<double>(iterations));
  state.counters["feasible/s"] =
      benchmark::Counter(static_cast<double>(feasible), benchmark::Counter::kIsRate);
  state.counters["feasible_share"] = static_cast<double>(feasible) / static_cast<double>(iterations);
}
BENCHMARK(BM_RandomGreedyIterations)->Arg(1)->Unit(benchmark::kMillisecond);

// The evaluator alone on one random structure sized to the maximum clusters.
void BM_EvaluateOnePlacement(benchmark::State& state) {
  const auto& evaluator = scenario_four();
  PlacementPolicyParameters parameters;
  parameters.elite_size = 1;
  const auto run = detail::random_greedy_search(evaluator, parameters, 20000, detail::Deadline(1e9));
  if (run.elite.empty()) {
    state.SkipWithError("no feasible placement to evaluate");
    return;
  }
  const Placement placement = run.elite.entries().front().placement;
  Evaluation evaluation;
  for (auto _ : state) {
    evaluator.evaluate(placement, evaluation, EvaluationMode::verdict);
    benchmark::DoNotOptimize(evaluation.objective);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EvaluateOnePlacement);

}  // namespace

BENCHMARK_MAIN();
