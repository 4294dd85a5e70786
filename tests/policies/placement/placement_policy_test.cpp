#include "policies/placement/placement_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/placement/placement_evaluator.hpp"
#include "placement_test_support.hpp"
#include "policies/placement/baseline_policies.hpp"

namespace continuum::placement {
namespace {

TEST(PlacementPolicyRegistry, KnowsEveryPolicyByName) {
  for (auto name : placement_policy_names()) {
    const auto policy = make_placement_policy(name);
    ASSERT_NE(policy, nullptr);
    EXPECT_EQ(policy->name(), name);
  }
  EXPECT_EQ(placement_policy_names().size(), 7U);
}

TEST(PlacementPolicyRegistry, AnUnknownNameListsTheKnownOnes) {
  EXPECT_EQ(find_placement_policy("tabo"), nullptr);
  EXPECT_THAT(
      [] { make_placement_policy("tabo"); },
      ::testing::ThrowsMessage<std::invalid_argument>(::testing::StrEq(
          "unknown placement policy \"tabo\"; known: random_greedy, local_search, tabu, exact, all_edge, "
          "all_cloud, all_faas")));
}

TEST(SingleKindPolicy, PlacesEveryPartitionOnItsKindOrExplainsWhyItCannot) {
  int found = 0;
  int impossible = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto problem = random_instance(testing::small_spec(3), seed);
    const PlacementEvaluator evaluator(problem);
    for (auto kind : {ResourceKind::edge, ResourceKind::vm, ResourceKind::faas}) {
      const auto result = SingleKindPolicy(kind).solve(evaluator, {500});
      if (!result.found) {
        if (result.note.find("has no deployment that runs entirely on") != std::string::npos) ++impossible;
        continue;
      }
      ++found;
      EXPECT_TRUE(testing::independent_check(problem, result.placement).feasible);
      for (std::size_t c = 0; c < problem.components.size(); ++c)
        for (std::size_t h = 0; h < result.placement.option[c].size(); ++h)
          EXPECT_EQ(problem.resources[result.placement.resource_of(problem, c, h)].kind, kind);
      EXPECT_THAT(result.note, ::testing::HasSubstr("solved by exact enumeration"));
      // A restriction cannot beat the unrestricted optimum.
      const auto optimum = make_placement_policy("exact")->solve(evaluator, {});
      EXPECT_GE(result.evaluation.cost, optimum.evaluation.cost * (1 - 1e-12));
    }
  }
  EXPECT_GT(found, 0);
  EXPECT_GT(impossible, 0);
}

TEST(EnergyObjectives, TheEnergyCappedOptimumSavesEnergyWithinTheCostCap) {
  int compared = 0;
  int saved = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const auto problem = random_instance(testing::small_spec(3), seed);
    const auto cheapest = make_placement_policy("exact")->solve(PlacementEvaluator(problem), {});
    if (!cheapest.found) continue;
    // Allow 50 % more money: the cheapest placement stays admissible, so the energy can only drop.
    const Objective capped{ObjectiveKind::energy_capped, 0.0, 1.5 * cheapest.evaluation.cost};
    const PlacementEvaluator evaluator(problem, capped);
    for (auto name : {"exact", "random_greedy", "tabu"}) {
      const auto result = make_placement_policy(name)->solve(evaluator, {1000});
      ASSERT_TRUE(result.found) << name;
      EXPECT_LE(result.evaluation.cost, capped.cost_cap) << name;
      EXPECT_DOUBLE_EQ(result.evaluation.objective, result.evaluation.energy) << name;
      if (std::string(name) == "exact") {
        EXPECT_LE(result.evaluation.energy, cheapest.evaluation.energy) << seed;
        if (result.evaluation.energy < 0.99 * cheapest.evaluation.energy) ++saved;
      }
    }
    ++compared;
  }
  EXPECT_GE(compared, 4);
  EXPECT_GE(saved, 1);  // the objective changes the answer somewhere
}

}  // namespace
}  // namespace continuum::placement
