#include "policies/placement/random_greedy.hpp"

#include <gtest/gtest.h>

#include "models/placement/placement_evaluator.hpp"
#include "models/placement/random_instance.hpp"
#include "placement_test_support.hpp"

namespace continuum::placement {
namespace {

const PlacementEvaluator& scenario_two() {
  static const PlacementEvaluator evaluator(random_instance(space4ai_scalability_spec(2), 3));
  return evaluator;
}

PlacementResult run(std::uint64_t seed, unsigned threads, std::uint64_t iterations = 400) {
  PlacementPolicyParameters parameters;
  parameters.seed = seed;
  parameters.threads = threads;
  return RandomGreedyPolicy(parameters).solve(scenario_two(), {iterations});
}

TEST(RandomGreedy, TheSameSeedAndThreadCountGiveTheSameResult) {
  const auto a = run(7, 2);
  const auto b = run(7, 2);
  ASSERT_TRUE(a.found);
  EXPECT_EQ(a.placement, b.placement);
  EXPECT_EQ(a.evaluation.cost, b.evaluation.cost);
  EXPECT_EQ(a.elite, b.elite);
}

TEST(RandomGreedy, TheResultDoesNotDependOnTheThreadCount) {
  const auto one = run(7, 1);
  const auto three = run(7, 3);
  EXPECT_EQ(one.placement, three.placement);
  EXPECT_EQ(one.elite, three.elite);
  EXPECT_EQ(one.elite_objectives, three.elite_objectives);
}

TEST(RandomGreedy, DifferentSeedsDrawDifferentPlacements) {
  EXPECT_NE(run(1, 1).elite, run(2, 1).elite);
  EXPECT_NE(detail::iteration_seed(1, 0), detail::iteration_seed(1, 1));
  EXPECT_NE(detail::iteration_seed(1, 0), detail::iteration_seed(2, 0));
}

TEST(RandomGreedy, RunsExactlyTheRequestedIterations) {
  const auto result = run(3, 2, 123);
  EXPECT_EQ(result.iterations, 123U);
  EXPECT_FALSE(result.time_limit_reached);
}

TEST(RandomGreedy, StopsAtTheWallClockLimit) {
  PlacementPolicyParameters parameters;
  const auto result = RandomGreedyPolicy(parameters).solve(scenario_two(), {1'000'000'000'000ULL, 0.05});
  EXPECT_TRUE(result.time_limit_reached);
  EXPECT_LT(result.seconds, 1.0);
  EXPECT_LT(result.iterations, 1'000'000'000'000ULL);
}

TEST(RandomGreedy, TheEliteIsSortedDistinctAndEveryClusterIsAsSmallAsFeasible) {
  PlacementPolicyParameters parameters;
  parameters.elite_size = 8;
  const auto result = RandomGreedyPolicy(parameters).solve(scenario_two(), {600});
  ASSERT_EQ(result.elite.size(), 8U);
  for (std::size_t i = 1; i < result.elite.size(); ++i) {
    EXPECT_LE(result.elite_objectives[i - 1], result.elite_objectives[i]);
    for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(result.elite[i] == result.elite[j]);
  }
  const auto& evaluator = scenario_two();
  for (const auto& placement : result.elite) {
    ASSERT_TRUE(evaluator.evaluate(placement).feasible);
    for (std::size_t r = 0; r < placement.instances.size(); ++r) {
      if (placement.instances[r] <= 1) continue;
      auto smaller = placement;
      --smaller.instances[r];
      EXPECT_FALSE(evaluator.evaluate(smaller).feasible) << "cluster " << r << " could shrink";
    }
  }
}

TEST(RandomGreedy, ReportsWhenNoIterationIsFeasible) {
  auto problem = random_instance(testing::small_spec(3), 4);
  for (auto& constraint : problem.local_constraints) constraint.max_response_time = 1e-3;
  const auto result = RandomGreedyPolicy().solve(PlacementEvaluator(problem), {200});
  EXPECT_FALSE(result.found);
  EXPECT_EQ(result.note, "no feasible placement in 200 random-greedy iterations");
}

}  // namespace
}  // namespace continuum::placement
