#pragma once
// Random greedy (SPACE4AI-D, AI-SPRINT D2.1 Appendix B, Algorithm 1). Each iteration picks one
// random resource per edge/VM layer, a random deployment per component and, for each of its
// partitions, a random compatible option on a picked resource or on any FaaS configuration
// (FaaS is always a candidate); it sets every used cluster to its maximum size and, if that is
// feasible, shrinks each cluster (most expensive first) to the smallest feasible size. The k
// cheapest distinct feasible placements (the elite) are kept.
//
// Iterations are independent: they run on `threads` std::threads, and iteration i draws from its
// own Boost.Random engine seeded from (seed, i), so the result depends on the seed and the
// iteration count only, not on the thread count or the scheduling (when the wall-clock limit
// stops the run early, the set of completed iterations may differ).
#include <cstdint>
#include <functional>
#include <string_view>

#include "policies/placement/placement_policy.hpp"
#include "policies/placement/search_support.hpp"

namespace continuum::placement {

class RandomGreedyPolicy final : public PlacementPolicy {
 public:
  explicit RandomGreedyPolicy(PlacementPolicyParameters parameters = {}) : parameters_(parameters) {}
  std::string_view name() const override { return "random_greedy"; }
  PlacementResult solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const override;

 private:
  PlacementPolicyParameters parameters_;
};

namespace detail {

struct GreedyRun {
  EliteSet elite{1};
  std::uint64_t iterations = 0;
  std::uint64_t feasible = 0;  // iterations that ended with a feasible placement
  std::uint64_t evaluations = 0;
  bool time_limit_reached = false;
};

/// The random-greedy search itself: `iterations` iterations (or until the deadline), elite of
/// parameters.elite_size, on parameters.threads threads.
GreedyRun random_greedy_search(const PlacementEvaluator& evaluator,
                               const PlacementPolicyParameters& parameters, std::uint64_t iterations,
                               const Deadline& deadline);

/// Runs random greedy within half of the time limit, then `improve` from every elite placement
/// (best first) with the remaining time, and returns the best placement seen under `policy`'s name.
PlacementResult improve_from_elite(
    std::string_view policy, const PlacementEvaluator& evaluator, const PlacementPolicyParameters& parameters,
    const SearchBudget& budget,
    const std::function<PlacementResult(const Placement& start, const SearchBudget& remaining)>& improve);

/// Seed of the engine of iteration i: SplitMix64 of the stream seed of (seed, "placement/random_greedy")
/// and i, so neighbouring iterations get unrelated engines.
std::uint64_t iteration_seed(std::uint64_t seed, std::uint64_t iteration);

}  // namespace detail

}  // namespace continuum::placement
