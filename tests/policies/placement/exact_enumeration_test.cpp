#include "policies/placement/exact_enumeration.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "models/placement/placement_evaluator.hpp"
#include "models/placement/random_instance.hpp"
#include "placement_test_support.hpp"

namespace continuum::placement {
namespace {

RandomInstanceSpec tiny_spec() {
  auto spec = testing::small_spec(2);
  spec.max_deployments = 2;
  spec.max_partitions = 2;
  spec.max_instances = 2;
  spec.layers = {{ResourceKind::edge, 2, 1.0, 5.0, 4.0, 8.0, 5.0, 20.0},
                 {ResourceKind::vm, 2, 0.5, 2.0, 0.2, 2.6, 80.0, 200.0},
                 {ResourceKind::faas, 2, 2.0, 5.0, 0.2, 0.6, 0.0, 40.0}};
  return spec;
}

// Every deployment, option and cluster size, evaluated one by one.
double brute_force(const PlacementEvaluator& evaluator) {
  const auto& problem = evaluator.problem();
  double best = std::numeric_limits<double>::infinity();
  Placement placement = Placement::first_of(problem);
  std::vector<std::size_t> edge_vm;
  for (std::size_t r = 0; r < problem.resources.size(); ++r)
    if (problem.resources[r].kind != ResourceKind::faas) edge_vm.push_back(r);
  auto sizes = [&](auto&& self, std::size_t i) -> void {
    if (i == edge_vm.size()) {
      const auto evaluation = evaluator.evaluate(placement, EvaluationMode::verdict);
      if (evaluation.feasible) best = std::min(best, evaluation.objective);
      return;
    }
    const std::size_t r = edge_vm[i];
    bool used = false;
    for (std::size_t c = 0; c < problem.components.size(); ++c)
      for (std::size_t h = 0; h < placement.option[c].size(); ++h)
        used = used || placement.resource_of(problem, c, h) == r;
    if (!used) {
      placement.instances[r] = 0;
      self(self, i + 1);
      return;
    }
    for (int n = 1; n <= problem.resources[r].max_instances; ++n) {
      placement.instances[r] = n;
      self(self, i + 1);
    }
  };
  auto choose = [&](auto&& self, std::size_t c, std::size_t h) -> void {
    if (c == problem.components.size()) return sizes(sizes, 0);
    const auto& partitions = problem.components[c].deployments[placement.deployment[c]].partitions;
    if (h == partitions.size()) return self(self, c + 1, 0);
    for (std::size_t o = 0; o < partitions[h].options.size(); ++o) {
      placement.option[c][h] = o;
      self(self, c, h + 1);
    }
  };
  auto deployments = [&](auto&& self, std::size_t c) -> void {
    if (c == problem.components.size()) return choose(choose, 0, 0);
    for (std::size_t s = 0; s < problem.components[c].deployments.size(); ++s) {
      placement.deployment[c] = s;
      placement.option[c].assign(problem.components[c].deployments[s].partitions.size(), 0);
      self(self, c + 1);
    }
  };
  deployments(deployments, 0);
  return best;
}

TEST(ExactPolicy, MatchesBruteForceEnumerationOnTinyInstances) {
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    for (auto kind : {ObjectiveKind::cost, ObjectiveKind::cost_energy}) {
      const PlacementEvaluator evaluator(random_instance(tiny_spec(), seed), Objective{kind, 2e-6, 0.0});
      const double expected = brute_force(evaluator);
      const auto result = ExactPolicy().solve(evaluator, {});
      EXPECT_TRUE(result.optimal);
      ASSERT_EQ(result.found, std::isfinite(expected)) << "instance " << seed;
      if (!result.found) continue;
      EXPECT_DOUBLE_EQ(result.evaluation.objective, expected) << "instance " << seed;
      ++compared;
    }
  }
  EXPECT_GE(compared, 12);
}

TEST(ExactPolicy, MeasuresTheSearchSpace) {
  PlacementProblem hand;
  hand.layers = {{"edge", ResourceKind::edge, {0}},
                 {"cloud", ResourceKind::vm, {1, 2}},
                 {"faas", ResourceKind::faas, {3}}};
  hand.resources = {{"E", "", ResourceKind::edge, 0, 2},
                    {"V1", "", ResourceKind::vm, 1, 3},
                    {"V2", "", ResourceKind::vm, 1, 5},
                    {"F", "", ResourceKind::faas, 2, 1}};
  PlacementOption on_e{0, 0.0, 1.0, 0.0, ResponseModel::processor_sharing};
  PlacementOption on_v{1, 0.0, 1.0, 0.0, ResponseModel::processor_sharing};
  PlacementOption on_f{3, 0.0, 1.0, 2.0, ResponseModel::faas};
  Partition one{"h1", 0.0, 0.0, {}, {on_e, on_v, on_f}};
  Partition two{"h2", 0.0, 0.0, {}, {on_e, on_v}};
  hand.components = {{"c1", {{"s1", {one, two}}, {"s2", {one}}}}};
  // (3·2 + 3) combinations × 2 (edge layer) × 5 (largest VM cluster).
  EXPECT_DOUBLE_EQ(exact_search_space(hand), 9.0 * 2 * 5);
}

TEST(ExactPolicy, RefusesInstancesBeyondItsLimitWithAClearMessage) {
  PlacementPolicyParameters parameters;
  parameters.exact_limit = 1000;
  const PlacementEvaluator evaluator(random_instance(space4ai_scalability_spec(1), 1));
  EXPECT_THAT([&] { ExactPolicy(parameters).solve(evaluator, {}); },
              ::testing::ThrowsMessage<SearchSpaceTooLarge>(
                  ::testing::AllOf(::testing::HasSubstr("too large for the exact policy"),
                                   ::testing::HasSubstr("above the limit of 1e+03"))));
}

TEST(ExactPolicy, ProvesThatAnInstanceHasNoFeasiblePlacement) {
  auto problem = random_instance(tiny_spec(), 2);
  for (auto& path : problem.path_constraints) path.max_response_time = 1e-3;
  const auto result = ExactPolicy().solve(PlacementEvaluator(problem), {});
  EXPECT_FALSE(result.found);
  EXPECT_TRUE(result.optimal);
  EXPECT_EQ(result.note, "the instance has no feasible placement");
}

}  // namespace
}  // namespace continuum::placement
