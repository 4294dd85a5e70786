#include "models/placement/placement_problem.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "models/placement/random_instance.hpp"
#include "placement_test_problem.hpp"

namespace continuum::placement {
namespace {

PlacementProblem diamond() {
  auto problem = testing::hand_problem();
  const auto c2 = problem.components[1];
  problem.components = {problem.components[0], c2, c2, c2};
  problem.components[2].name = "c3";
  problem.components[3].name = "c4";
  problem.edges = {{0, 1, 0.6}, {0, 2, 0.4}, {1, 3, 1.0}, {2, 3, 0.5}};
  problem.path_constraints = {};
  return problem;
}

TEST(PlacementProblem, ComponentRatesFollowTheBranchProbabilities) {
  const auto rates = diamond().component_rates();
  ASSERT_EQ(rates.size(), 4U);
  EXPECT_DOUBLE_EQ(rates[0], 0.2);
  EXPECT_DOUBLE_EQ(rates[1], 0.2 * 0.6);
  EXPECT_DOUBLE_EQ(rates[2], 0.2 * 0.4);
  EXPECT_DOUBLE_EQ(rates[3], 0.2 * 0.6 + 0.5 * 0.2 * 0.4);
}

TEST(PlacementProblem, PartitionRatesShrinkByTheEarlyExitProbability) {
  const auto problem = testing::hand_problem();
  const auto rates = partition_rates(problem.components[1].deployments[0], 0.16);
  ASSERT_EQ(rates.size(), 2U);
  EXPECT_DOUBLE_EQ(rates[0], 0.16);
  EXPECT_DOUBLE_EQ(rates[1], 0.16 * 0.75);
}

TEST(PlacementProblem, ACycleInTheDagIsRejected) {
  auto problem = diamond();
  problem.edges.push_back({3, 0, 1.0});
  EXPECT_THROW(problem.topological_order(), std::invalid_argument);
  EXPECT_THAT([&] { problem.validate(); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("cycle")));
}

TEST(PlacementProblem, APartitionWithoutCompatibleResourceIsRejected) {
  auto problem = testing::hand_problem();
  problem.components[1].deployments[0].partitions[1].options.clear();
  EXPECT_THAT([&] { problem.validate(); }, ::testing::ThrowsMessage<std::invalid_argument>(
                                               ::testing::HasSubstr("partition h2: no compatible resource")));
}

TEST(PlacementProblem, AFaasModelOnAnEdgeDeviceIsRejected) {
  auto problem = testing::hand_problem();
  problem.components[0].deployments[0].partitions[0].options[0].model = ResponseModel::faas;
  problem.components[0].deployments[0].partitions[0].options[0].cold_demand = 3.0;
  EXPECT_THAT([&] { problem.validate(); },
              ::testing::ThrowsMessage<std::invalid_argument>(::testing::HasSubstr("does not fit its kind")));
}

TEST(PlacementProblem, BytesToASuccessorFallBackToTheOutputSize) {
  Partition last{"h", 0.0, 7.0, {{3, 11.0}}, {}};
  EXPECT_DOUBLE_EQ(bytes_to_component(last, 3), 11.0);
  EXPECT_DOUBLE_EQ(bytes_to_component(last, 4), 7.0);
}

TEST(PlacementProblem, FindsComponentsResourcesAndLayersByName) {
  const auto problem = testing::hand_problem();
  EXPECT_EQ(problem.find_component("c2"), 1U);
  EXPECT_EQ(problem.find_resource("F"), 2U);
  EXPECT_EQ(problem.find_layer("cloud"), 1U);
  EXPECT_EQ(problem.find_resource("nope"), no_index);
}

TEST(RandomInstance, TheSameSeedGivesTheSameInstance) {
  const auto spec = space4ai_scalability_spec(2);
  const auto a = random_instance(spec, 42);
  const auto b = random_instance(spec, 42);
  const auto c = random_instance(spec, 43);
  ASSERT_EQ(a.components.size(), 7U);
  ASSERT_EQ(a.resources.size(), b.resources.size());
  for (std::size_t r = 0; r < a.resources.size(); ++r) EXPECT_EQ(a.resources[r].price, b.resources[r].price);
  EXPECT_EQ(a.components[3].deployments[0].partitions[0].options[0].demand,
            b.components[3].deployments[0].partitions[0].options[0].demand);
  EXPECT_NE(a.resources[0].price, c.resources[0].price);
}

TEST(RandomInstance, ScenarioFourHasTheScaleOfTableB3) {
  const auto problem = random_instance(space4ai_scalability_spec(4), 1);
  EXPECT_EQ(problem.components.size(), 15U);
  EXPECT_EQ(problem.layers.size(), 8U);
  EXPECT_EQ(problem.resources.size(), 31U);  // 2 drones + 4 + 4 edge + 4 x 4 VMs + 5 FaaS
  EXPECT_EQ(problem.path_constraints.size(), 4U);
  EXPECT_NO_THROW(problem.validate());
}

}  // namespace
}  // namespace continuum::placement
