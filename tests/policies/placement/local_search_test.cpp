#include "policies/placement/local_search.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/placement/placement_evaluator.hpp"
#include "placement_test_support.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/tabu_search.hpp"

namespace continuum::placement {
namespace {

// The worst placement of a large random-greedy elite: feasible, and usually far from optimal.
Placement poor_start(const PlacementEvaluator& evaluator) {
  PlacementPolicyParameters parameters;
  parameters.elite_size = 40;
  const auto run = RandomGreedyPolicy(parameters).solve(evaluator, {400});
  return run.elite.back();
}

TEST(LocalSearch, ImprovesAPoorStartAndNeverWorsensIt) {
  int improved = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const PlacementEvaluator evaluator(random_instance(testing::small_spec(4), seed));
    const Placement start = poor_start(evaluator);
    const double start_cost = evaluator.evaluate(start).cost;
    const auto result = LocalSearchPolicy().improve(evaluator, start, {200});
    ASSERT_TRUE(result.found);
    EXPECT_LE(result.evaluation.cost, start_cost);
    if (result.evaluation.cost < start_cost * 0.99) ++improved;
  }
  EXPECT_GE(improved, 4);
}

TEST(TabuSearch, ImprovesAPoorStartAndNeverWorsensIt) {
  int improved = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const PlacementEvaluator evaluator(random_instance(testing::small_spec(4), seed));
    const Placement start = poor_start(evaluator);
    const double start_cost = evaluator.evaluate(start).cost;
    const auto result = TabuSearchPolicy().improve(evaluator, start, {40});
    ASSERT_TRUE(result.found);
    EXPECT_LE(result.evaluation.cost, start_cost);
    if (result.evaluation.cost < start_cost * 0.99) ++improved;
  }
  EXPECT_GE(improved, 4);
}

TEST(LocalSearch, StopsAfterTheMoveBudget) {
  const PlacementEvaluator evaluator(random_instance(testing::small_spec(4), 2));
  const auto result = LocalSearchPolicy().improve(evaluator, poor_start(evaluator), {1});
  EXPECT_LE(result.iterations, 1U);
}

TEST(TabuSearch, KeepsMovingPastTheLocalOptimumWhereLocalSearchStops) {
  // Tabu takes the best admissible neighbour even when it is worse, so it goes on moving after
  // the descent has stopped, until its budget or until every neighbour is tabu or infeasible.
  const PlacementEvaluator evaluator(random_instance(testing::small_spec(4), 3));
  const Placement start = poor_start(evaluator);
  const auto descent = LocalSearchPolicy().improve(evaluator, start, {1000});
  const auto tabu = TabuSearchPolicy().improve(evaluator, start, {10});
  EXPECT_LT(descent.iterations, 10U);
  EXPECT_EQ(tabu.iterations, 10U);
}

TEST(TabuSearch, IsDeterministic) {
  const PlacementEvaluator evaluator(random_instance(testing::small_spec(3), 5));
  const Placement start = poor_start(evaluator);
  const auto a = TabuSearchPolicy().improve(evaluator, start, {30});
  const auto b = TabuSearchPolicy().improve(evaluator, start, {30});
  EXPECT_EQ(a.placement, b.placement);
}

TEST(LocalSearch, RefusesAnInfeasibleStart) {
  const PlacementEvaluator evaluator(random_instance(testing::small_spec(3), 5));
  Placement start = poor_start(evaluator);
  for (int& n : start.instances) n = 0;
  const auto result = LocalSearchPolicy().improve(evaluator, start, {10});
  EXPECT_FALSE(result.found);
  EXPECT_THAT(result.note, ::testing::StartsWith("the starting placement is not feasible"));
}

}  // namespace
}  // namespace continuum::placement
