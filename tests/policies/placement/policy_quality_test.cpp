// Quality of the placement heuristics against the exact optimum on generated instances with at
// most 4 components, every reported placement confirmed by an independent checker.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/placement/placement_evaluator.hpp"
#include "placement_test_support.hpp"
#include "policies/placement/exact_enumeration.hpp"
#include "policies/placement/local_search.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/tabu_search.hpp"

namespace continuum::placement {
namespace {

struct Outcome {
  double exact;
  double greedy;
};

void expect_confirmed(const PlacementProblem& problem, const PlacementResult& result, std::uint64_t seed) {
  ASSERT_TRUE(result.found) << result.policy << " on instance " << seed << ": " << result.note;
  const auto check = testing::independent_check(problem, result.placement);
  EXPECT_TRUE(check.feasible) << result.policy << " on instance " << seed << ": " << check.why;
  EXPECT_NEAR(check.cost, result.evaluation.cost, 1e-9 * check.cost)
      << result.policy << " on instance " << seed;
}

TEST(PlacementPolicyQuality, RandomGreedyIsWithinFivePercentOfExactAndSearchesNeverWorsenTheirStart) {
  PlacementPolicyParameters parameters;
  parameters.seed = 11;
  const ExactPolicy exact(parameters);
  const RandomGreedyPolicy greedy(parameters);
  const LocalSearchPolicy local(parameters);
  const TabuSearchPolicy tabu(parameters);
  std::vector<Outcome> outcomes;
  for (std::uint64_t seed = 1; seed <= 22; ++seed) {
    const auto problem = random_instance(testing::small_spec(2 + static_cast<int>(seed % 3)), seed);
    const PlacementEvaluator evaluator(problem);
    const auto optimum = exact.solve(evaluator, {});
    ASSERT_TRUE(optimum.optimal);
    if (!optimum.found) continue;
    expect_confirmed(problem, optimum, seed);

    const auto random = greedy.solve(evaluator, {2000});
    expect_confirmed(problem, random, seed);
    EXPECT_GE(random.evaluation.cost, optimum.evaluation.cost * (1 - 1e-12)) << "exact beaten on " << seed;
    outcomes.push_back({optimum.evaluation.cost, random.evaluation.cost});

    for (const PlacementResult& improved : {local.improve(evaluator, random.placement, {200}),
                                            tabu.improve(evaluator, random.placement, {50})}) {
      expect_confirmed(problem, improved, seed);
      EXPECT_LE(improved.evaluation.cost, random.evaluation.cost) << improved.policy << " worsened " << seed;
      EXPECT_GE(improved.evaluation.cost, optimum.evaluation.cost * (1 - 1e-12))
          << improved.policy << " " << seed;
    }
  }
  ASSERT_GE(outcomes.size(), 20U);
  double gap = 0.0;
  for (const auto& outcome : outcomes) gap += outcome.greedy / outcome.exact - 1.0;
  gap /= static_cast<double>(outcomes.size());
  EXPECT_LE(gap, 0.05);
  EXPECT_GE(gap, 0.0);
}

TEST(PlacementPolicyQuality, LocalSearchAndTabuPoliciesAreNoWorseThanTheirRandomGreedyElite) {
  PlacementPolicyParameters parameters;
  parameters.seed = 5;
  parameters.search_iterations = 30;
  for (std::uint64_t seed = 30; seed < 34; ++seed) {
    const auto problem = random_instance(testing::small_spec(4), seed);
    const PlacementEvaluator evaluator(problem);
    const auto random = RandomGreedyPolicy(parameters).solve(evaluator, {300});
    if (!random.found) continue;
    for (const auto& result : {LocalSearchPolicy(parameters).solve(evaluator, {300}),
                               TabuSearchPolicy(parameters).solve(evaluator, {300})}) {
      expect_confirmed(problem, result, seed);
      EXPECT_LE(result.evaluation.cost, random.evaluation.cost) << result.policy << " on " << seed;
      EXPECT_GE(result.iterations, random.iterations);  // the random-greedy phase is counted too
    }
  }
}

}  // namespace
}  // namespace continuum::placement
