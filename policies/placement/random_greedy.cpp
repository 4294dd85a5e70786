#include "policies/placement/random_greedy.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <boost/random/uniform_int_distribution.hpp>

#include "sim/engine/random.hpp"

namespace continuum::placement {

namespace detail {

namespace {

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::size_t draw(RandomEngine& engine, std::size_t count) {
  return boost::random::uniform_int_distribution<std::size_t>(0, count - 1)(engine);
}

/// One worker's state: the engine, the scratch placement and evaluation, its elite.
struct Worker {
  explicit Worker(const PlacementEvaluator& evaluator, std::size_t elite_size)
      : placement(Placement::first_of(evaluator.problem())), elite(elite_size) {}
  Placement placement;
  Evaluation evaluation;
  std::vector<std::size_t> selected;    // per layer: picked edge/VM resource
  std::vector<std::size_t> candidates;  // options of the current partition
  EliteSet elite;
  std::uint64_t iterations = 0;
  std::uint64_t feasible = 0;
  std::uint64_t evaluations = 0;
};

/// Builds the random structure of iteration i; false when some partition has no candidate.
bool random_structure(const PlacementProblem& problem, std::uint64_t seed, std::uint64_t i, Worker& worker) {
  RandomEngine engine(iteration_seed(seed, i));
  worker.selected.assign(problem.layers.size(), no_index);
  for (std::size_t l = 0; l < problem.layers.size(); ++l) {
    const auto& layer = problem.layers[l];
    if (layer.kind == ResourceKind::faas || layer.resources.empty()) continue;
    worker.selected[l] = layer.resources[draw(engine, layer.resources.size())];
  }
  auto& placement = worker.placement;
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    const auto& component = problem.components[c];
    const std::size_t s = draw(engine, component.deployments.size());
    placement.deployment[c] = s;
    const auto& partitions = component.deployments[s].partitions;
    placement.option[c].resize(partitions.size());
    for (std::size_t h = 0; h < partitions.size(); ++h) {
      worker.candidates.clear();
      const auto& options = partitions[h].options;
      for (std::size_t o = 0; o < options.size(); ++o) {
        const auto& resource = problem.resources[options[o].resource];
        if (resource.kind == ResourceKind::faas || worker.selected[resource.layer] == options[o].resource)
          worker.candidates.push_back(o);
      }
      if (worker.candidates.empty()) return false;
      placement.option[c][h] = worker.candidates[draw(engine, worker.candidates.size())];
    }
  }
  return true;
}

}  // namespace

std::uint64_t iteration_seed(std::uint64_t seed, std::uint64_t iteration) {
  return splitmix(stream_seed(seed, "placement/random_greedy") ^ splitmix(iteration));
}

GreedyRun random_greedy_search(const PlacementEvaluator& evaluator,
                               const PlacementPolicyParameters& parameters, std::uint64_t iterations,
                               const Deadline& deadline) {
  const auto& problem = evaluator.problem();
  const ClusterSizer sizer(evaluator);
  const unsigned thread_count = std::max(1U, parameters.threads);
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> out_of_time{false};
  std::vector<Worker> workers;
  workers.reserve(thread_count);
  for (unsigned t = 0; t < thread_count; ++t) workers.emplace_back(evaluator, parameters.elite_size);

  auto work = [&](Worker& worker) {
    for (;;) {
      if (deadline.expired()) {
        out_of_time = true;
        return;
      }
      const std::uint64_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= iterations) return;
      ++worker.iterations;
      if (!random_structure(problem, parameters.seed, i, worker)) continue;
      if (!sizer.size(worker.placement, worker.evaluation, worker.evaluations)) continue;
      ++worker.feasible;
      if (worker.elite.admits(worker.evaluation.objective, i))
        worker.elite.offer(worker.evaluation.objective, i, worker.placement);
    }
  };
  if (thread_count == 1) {
    work(workers.front());
  } else {
    std::vector<std::thread> threads;
    threads.reserve(thread_count);
    for (auto& worker : workers) threads.emplace_back(work, std::ref(worker));
    for (auto& thread : threads) thread.join();
  }

  GreedyRun run;
  run.elite = EliteSet(parameters.elite_size);
  for (const auto& worker : workers) {
    run.elite.merge(worker.elite);
    run.iterations += worker.iterations;
    run.feasible += worker.feasible;
    run.evaluations += worker.evaluations;
  }
  run.time_limit_reached = out_of_time;
  return run;
}

PlacementResult improve_from_elite(
    std::string_view policy, const PlacementEvaluator& evaluator, const PlacementPolicyParameters& parameters,
    const SearchBudget& budget,
    const std::function<PlacementResult(const Placement& start, const SearchBudget& remaining)>& improve) {
  const Deadline deadline(budget.time_limit);
  PlacementResult result;
  result.policy = std::string(policy);
  const auto run = random_greedy_search(evaluator, parameters, budget.iterations, deadline.share(0.5));
  result.iterations = run.iterations;
  result.evaluations = run.evaluations;
  result.time_limit_reached = run.time_limit_reached;
  const Placement* best = nullptr;
  double best_objective = std::numeric_limits<double>::infinity();
  std::vector<PlacementResult> improved;
  improved.reserve(run.elite.entries().size());
  for (const auto& entry : run.elite.entries()) {
    if (best == nullptr) {
      best = &entry.placement;
      best_objective = entry.objective;
    }
    if (deadline.expired()) {
      result.time_limit_reached = true;
      break;
    }
    improved.push_back(
        improve(entry.placement, SearchBudget{parameters.search_iterations, deadline.remaining()}));
    const auto& outcome = improved.back();
    result.iterations += outcome.iterations;
    result.evaluations += outcome.evaluations;
    result.time_limit_reached = result.time_limit_reached || outcome.time_limit_reached;
    if (outcome.found && improves(outcome.evaluation.objective, best_objective)) {
      best = &outcome.placement;
      best_objective = outcome.evaluation.objective;
    }
  }
  if (best == nullptr)
    result.note = "no feasible placement in " + std::to_string(run.iterations) +
                  " random-greedy iterations, so no start for the " + std::string(policy);
  finish(result, evaluator, best, deadline);
  return result;
}

}  // namespace detail

PlacementResult RandomGreedyPolicy::solve(const PlacementEvaluator& evaluator,
                                          const SearchBudget& budget) const {
  const detail::Deadline deadline(budget.time_limit);
  PlacementResult result;
  result.policy = std::string(name());
  auto run = detail::random_greedy_search(evaluator, parameters_, budget.iterations, deadline);
  result.iterations = run.iterations;
  result.evaluations = run.evaluations;
  result.time_limit_reached = run.time_limit_reached;
  for (const auto& entry : run.elite.entries()) {
    result.elite.push_back(entry.placement);
    result.elite_objectives.push_back(entry.objective);
  }
  if (run.elite.empty())
    result.note = "no feasible placement in " + std::to_string(run.iterations) + " random-greedy iterations";
  detail::finish(result, evaluator, run.elite.empty() ? nullptr : &run.elite.entries().front().placement,
                 deadline);
  return result;
}

}  // namespace continuum::placement
