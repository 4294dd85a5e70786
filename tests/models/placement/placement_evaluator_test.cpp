#include "models/placement/placement_evaluator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "models/analytic/faas_steady_state.hpp"
#include "placement_test_problem.hpp"

namespace continuum::placement {
namespace {

using testing::hand_placement;
using testing::hand_problem;

// λ1 = 0.2, λ2 = 0.8·0.2 = 0.16, λ(c2.h2) = 0.16·(1 − 0.25) = 0.12; horizon 2 h.
constexpr double rate_h2 = 0.12;

analytic::FaasSteadyState faas_h2() {
  return analytic::faas_steady_state({rate_h2, 1.0, 3.0, 600.0});
}

TEST(PlacementEvaluator, CostMatchesTheHandComputedFormula) {
  const PlacementEvaluator evaluator(hand_problem());
  const auto evaluation = evaluator.evaluate(hand_placement());
  ASSERT_TRUE(evaluation.feasible) << describe(evaluator.problem(), evaluation.violation);
  // E: 2 instances · 2/h · 2 h = 8; V: 3 · 1/h · 2 h = 6; F: 0.36/h · 1 s · 0.12/s · 7200 s / 3600 = 0.0864.
  EXPECT_NEAR(evaluation.cost, 8.0 + 6.0 + 0.0864, 1e-12);
  EXPECT_DOUBLE_EQ(evaluation.objective, evaluation.cost);
}

TEST(PlacementEvaluator, ResponseTimesFollowProcessorSharingEarlyExitAndTransfers) {
  const PlacementEvaluator evaluator(hand_problem());
  const auto evaluation = evaluator.evaluate(hand_placement(), EvaluationMode::detailed);
  ASSERT_TRUE(evaluation.feasible);
  const double u_edge = 2.0 * 0.2 / 2;  // Σ D·λ / n
  const double u_vm = 0.5 * 0.16 / 3;
  EXPECT_DOUBLE_EQ(evaluation.utilisation[0], u_edge);
  EXPECT_DOUBLE_EQ(evaluation.utilisation[1], u_vm);
  const double r_c1 = 2.0 / (1.0 - u_edge);
  const double r_h1 = 0.5 / (1.0 - u_vm);
  const double r_h2 = faas_h2().average_response_time;
  const double transfer_h1_h2 = 0.01 + 8.0 * 1e6 / 8e7;  // V → F over D1
  const double r_c2 = r_h1 + 0.75 * (r_h2 + transfer_h1_h2);
  EXPECT_DOUBLE_EQ(evaluation.component_response_time[0], r_c1);
  EXPECT_NEAR(evaluation.component_response_time[1], r_c2, 1e-12);
  EXPECT_DOUBLE_EQ(evaluation.partition_response_time[1][1], r_h2);
  const double transfer_c1_c2 = 0.01 + 8.0 * 2e6 / 8e7;  // E → V, the 2 MB c1 sends to c2
  EXPECT_NEAR(evaluation.path_response_time[0], r_c1 + transfer_c1_c2 + r_c2, 1e-12);
}

TEST(PlacementEvaluator, EnergyIntegratesTheLinearPowerModel) {
  const PlacementEvaluator evaluator(hand_problem());
  const auto evaluation = evaluator.evaluate(hand_placement());
  const auto faas = faas_h2();
  const double edge = 2 * (5.0 + 10.0 * 0.2) * 7200;
  const double vm = 3 * (50.0 + 100.0 * (0.5 * 0.16 / 3)) * 7200;
  const double function =
      (1.0 * (faas.average_instances - faas.average_running) + 20.0 * faas.average_running) * 7200;
  EXPECT_NEAR(evaluation.energy, edge + vm + function, 1e-6);
}

TEST(PlacementEvaluator, TheEnergyObjectivesWeighOrCapTheCost) {
  Objective weighted{ObjectiveKind::cost_energy, 1e-6, 0.0};
  const auto a = PlacementEvaluator(hand_problem(), weighted).evaluate(hand_placement());
  EXPECT_NEAR(a.objective, a.cost + 1e-6 * a.energy, 1e-12);

  Objective capped{ObjectiveKind::energy_capped, 0.0, 14.0};
  const auto b = PlacementEvaluator(hand_problem(), capped).evaluate(hand_placement());
  EXPECT_FALSE(b.feasible);
  EXPECT_EQ(b.violation.kind, ViolationKind::cost_cap);
  capped.cost_cap = 15.0;
  const auto c = PlacementEvaluator(hand_problem(), capped).evaluate(hand_placement());
  EXPECT_TRUE(c.feasible);
  EXPECT_DOUBLE_EQ(c.objective, c.energy);
}

TEST(PlacementEvaluator, UtilisationOfOneIsUnstable) {
  auto problem = hand_problem();
  problem.arrival_rate = 1.0;  // U_E = 2·1/2 = 1
  const PlacementEvaluator evaluator(problem);
  const auto evaluation = evaluator.evaluate(hand_placement());
  EXPECT_FALSE(evaluation.feasible);
  EXPECT_EQ(evaluation.violation.kind, ViolationKind::unstable);
  EXPECT_EQ(evaluation.violation.first, 0U);
  EXPECT_THAT(describe(problem, evaluation.violation), ::testing::HasSubstr("resource E: utilisation 1"));
}

TEST(PlacementEvaluator, MoreInstancesLowerTheUtilisation) {
  const PlacementEvaluator evaluator(hand_problem());
  auto placement = hand_placement();
  placement.instances[0] = 1;
  const auto evaluation = evaluator.evaluate(placement);
  EXPECT_DOUBLE_EQ(evaluation.utilisation[0], 0.4);
  EXPECT_DOUBLE_EQ(evaluation.component_response_time[0], 2.0 / 0.6);
}

TEST(PlacementEvaluator, ClusterSizesOutsideTheirRangeAreInfeasible) {
  const PlacementEvaluator evaluator(hand_problem());
  auto placement = hand_placement();
  placement.instances[1] = 4;  // V allows 3
  const auto evaluation = evaluator.evaluate(placement);
  EXPECT_EQ(evaluation.violation.kind, ViolationKind::cluster_size);
  EXPECT_EQ(describe(evaluator.problem(), evaluation.violation),
            "resource V: cluster of 4 instances, allowed 1..3");
}

TEST(PlacementEvaluator, TwoResourcesOfOneLayerConflict) {
  auto problem = hand_problem();
  Resource second = problem.resources[0];
  second.name = "E2";
  problem.resources.push_back(second);
  problem.layers[0].resources.push_back(3);
  problem.components[1].deployments[0].partitions[0].options.push_back(
      {3, 1 * testing::gib, 3.0, 0.0, ResponseModel::processor_sharing});
  const PlacementEvaluator evaluator(problem);
  auto placement = hand_placement();
  placement.option[1][0] = 2;  // c2.h1 on E2 while c1 is on E
  placement.instances = {2, 0, 0, 1};
  const auto evaluation = evaluator.evaluate(placement);
  EXPECT_EQ(evaluation.violation.kind, ViolationKind::layer_conflict);
  EXPECT_THAT(describe(problem, evaluation.violation),
              ::testing::HasSubstr("layer edge uses two resources, E and E2"));
}

TEST(PlacementEvaluator, PartitionsMustFitTheMemoryOfEachInstance) {
  auto problem = hand_problem();
  problem.resources[0].memory = 1.5 * testing::gib;  // c1 and c2.h1 need 2 GiB on E
  const PlacementEvaluator evaluator(problem);
  auto placement = hand_placement();
  placement.option[1][0] = 1;  // c2.h1 on E
  placement.instances[1] = 0;
  const auto evaluation = evaluator.evaluate(placement);
  EXPECT_EQ(evaluation.violation.kind, ViolationKind::memory);
  EXPECT_DOUBLE_EQ(evaluation.violation.value, 2 * testing::gib);

  auto faas_problem = hand_problem();
  faas_problem.resources[2].memory = 0.5 * testing::gib;  // F holds 0.5 GiB, c2.h2 needs 1 GiB
  const auto faas = PlacementEvaluator(faas_problem).evaluate(hand_placement());
  EXPECT_EQ(faas.violation.kind, ViolationKind::memory);
  EXPECT_EQ(faas.violation.first, 2U);
}

TEST(PlacementEvaluator, NoPartitionReturnsToTheEdgeAfterTheCloud) {
  auto problem = hand_problem();
  problem.components[1].deployments[0].partitions[1].options.push_back(
      {0, 1 * testing::gib, 1.0, 0.0, ResponseModel::processor_sharing});
  const PlacementEvaluator evaluator(problem);
  auto placement = hand_placement();
  placement.option[1][1] = 2;  // c2.h1 on V, then c2.h2 on E
  const auto evaluation = evaluator.evaluate(placement);
  EXPECT_EQ(evaluation.violation.kind, ViolationKind::return_to_edge);
  EXPECT_EQ(evaluation.violation.first, 1U);

  placement.option[1][0] = 1;  // c2.h1 on E, c2.h2 on E: edge then edge is fine
  placement.instances = {2, 0, 0};
  EXPECT_NE(evaluator.evaluate(placement).violation.kind, ViolationKind::return_to_edge);
}

TEST(PlacementEvaluator, LocalAndPathBoundsAreChecked) {
  auto problem = hand_problem();
  problem.local_constraints[0].max_response_time = 1.0;
  auto local = PlacementEvaluator(problem).evaluate(hand_placement());
  EXPECT_EQ(local.violation.kind, ViolationKind::local_response_time);
  EXPECT_THAT(describe(problem, local.violation), ::testing::StartsWith("component c2: response time"));

  problem = hand_problem();
  problem.path_constraints[0].max_response_time = 3.0;
  auto path = PlacementEvaluator(problem).evaluate(hand_placement());
  EXPECT_EQ(path.violation.kind, ViolationKind::path_response_time);
  EXPECT_THAT(describe(problem, path.violation), ::testing::StartsWith("path p1: response time"));
}

TEST(PlacementEvaluator, LayersNoDomainJoinsCannotExchangeData) {
  auto problem = hand_problem();
  problem.domains = {{"edge-only", {0}, 0.01, 8e7}, {"cloud", {1, 2}, 0.001, 1e9}};
  const auto evaluation = PlacementEvaluator(problem).evaluate(hand_placement());
  EXPECT_EQ(evaluation.violation.kind, ViolationKind::no_network_domain);
  EXPECT_EQ(describe(problem, evaluation.violation), "no network domain joins layers edge and cloud");
}

TEST(PlacementEvaluator, TheFastestSharedDomainCarriesATransfer) {
  auto problem = hand_problem();
  problem.domains.push_back({"fast", {1, 2}, 0.001, 1e9});
  const PlacementEvaluator evaluator(problem);
  EXPECT_DOUBLE_EQ(evaluator.transfer_time(1, 2, 1e6), 0.001 + 8e6 / 1e9);
  EXPECT_DOUBLE_EQ(evaluator.transfer_time(0, 1, 1e6), 0.01 + 8e6 / 8e7);
}

TEST(PlacementEvaluator, VerdictModeStopsAtTheFirstViolationWithoutPricing) {
  auto problem = hand_problem();
  problem.arrival_rate = 1.0;
  const PlacementEvaluator evaluator(problem);
  Evaluation verdict;
  evaluator.evaluate(hand_placement(), verdict, EvaluationMode::verdict);
  EXPECT_FALSE(verdict.feasible);
  EXPECT_TRUE(std::isnan(verdict.cost));
  EXPECT_TRUE(std::isinf(verdict.objective));
  const auto full = evaluator.evaluate(hand_placement(), EvaluationMode::full);
  EXPECT_EQ(full.violation.kind, ViolationKind::unstable);
  EXPECT_FALSE(std::isnan(full.cost));
}

TEST(PlacementEvaluator, AMisshapenPlacementIsAnInvalidChoice) {
  const PlacementEvaluator evaluator(hand_problem());
  auto placement = hand_placement();
  placement.option[1][1] = 9;
  EXPECT_EQ(evaluator.evaluate(placement).violation.kind, ViolationKind::invalid_choice);
  placement.option.pop_back();
  EXPECT_EQ(evaluator.evaluate(placement).violation.kind, ViolationKind::invalid_choice);
}

}  // namespace
}  // namespace continuum::placement
