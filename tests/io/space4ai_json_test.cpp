#include "sim/io/space4ai_json.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "models/placement/placement_evaluator.hpp"
#include "policies/placement/placement_policy.hpp"

namespace continuum::io {
namespace {

using placement::ResourceKind;
using ::testing::HasSubstr;

std::string scenario(const std::string& name) {
  return std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/space4ai/" + name + ".json";
}

nlohmann::ordered_json scenario_json(const std::string& name) {
  std::ifstream file(scenario(name));
  return nlohmann::ordered_json::parse(file);
}

std::string import_error(const nlohmann::ordered_json& document, const Space4aiImportOptions& options = {}) {
  try {
    parse_space4ai_json(document.dump(), "test.json", options);
  } catch (const Space4aiError& error) {
    return error.what();
  }
  return "no error";
}

// ---- AI-SPRINT D2.1 Appendix C: the mask-detection application ------------------------------

constexpr double lambda = 0.000046;
constexpr double mebibyte = 1024.0 * 1024.0;

TEST(Space4aiAppendixC, ImportsWithTheDocumentedUnits) {
  const auto problem = read_space4ai_json(scenario("mask_detection_appendix_c"));
  ASSERT_EQ(problem.components.size(), 2U);
  ASSERT_EQ(problem.resources.size(), 2U);
  const auto& pi = problem.resources[problem.find_resource("RasPi")];
  EXPECT_EQ(pi.kind, ResourceKind::edge);
  EXPECT_EQ(problem.layers[pi.layer].name, "computationallayer1");
  EXPECT_DOUBLE_EQ(pi.price * 3600, 0.0375);
  EXPECT_DOUBLE_EQ(pi.memory, 4096 * mebibyte);
  EXPECT_EQ(problem.resources[problem.find_resource("VM1")].kind, ResourceKind::vm);
  EXPECT_DOUBLE_EQ(problem.arrival_rate, lambda);
  EXPECT_DOUBLE_EQ(problem.horizon, 3600.0);
  ASSERT_EQ(problem.domains.size(), 1U);
  EXPECT_DOUBLE_EQ(problem.domains[0].bandwidth, 10000e6);  // Mbit/s
  EXPECT_DOUBLE_EQ(problem.domains[0].access_delay, 0.00000277);
  const auto& c1 = problem.components[0].deployments[0].partitions[0];
  EXPECT_DOUBLE_EQ(c1.options[0].memory, 1024 * mebibyte);
  EXPECT_DOUBLE_EQ(c1.options[0].demand, 17474.5);
  ASSERT_EQ(c1.to_components.size(), 1U);
  EXPECT_DOUBLE_EQ(c1.to_components[0].bytes, 4500e6 / 8);  // 4500 Mbit
  ASSERT_EQ(problem.edges.size(), 1U);
  ASSERT_EQ(problem.local_constraints.size(), 1U);
  ASSERT_EQ(problem.path_constraints.size(), 1U);
}

TEST(Space4aiAppendixC, OnlyC1OnThePiAndC2OnTheVmKeepsThePiStableAndMeetsC1sBound) {
  const placement::PlacementEvaluator evaluator(read_space4ai_json(scenario("mask_detection_appendix_c")));
  const auto& problem = evaluator.problem();
  // The only choice is c2's: RasPi (option 0) or VM1 (option 1); clusters have one instance.
  placement::Placement on_pi{{0, 0}, {{0}, {0}}, {1, 0}};
  placement::Placement on_vm{{0, 0}, {{0}, {1}}, {1, 1}};
  const auto pi = evaluator.evaluate(on_pi);
  EXPECT_FALSE(pi.feasible);
  EXPECT_EQ(pi.violation.kind, placement::ViolationKind::unstable);
  EXPECT_NEAR(pi.violation.value, (17474.5 + 13900) * lambda, 1e-12);  // 1.44 > 1

  const auto vm = evaluator.evaluate(on_vm, placement::EvaluationMode::detailed);
  ASSERT_TRUE(vm.feasible) << placement::describe(problem, vm.violation);
  const double r1 = 17474.5 / (1 - 17474.5 * lambda);
  const double r2 = 4242.3 / (1 - 4242.3 * lambda);
  EXPECT_NEAR(vm.component_response_time[0], r1, 1e-6);
  EXPECT_LE(vm.component_response_time[0], 89100.0);
  EXPECT_NEAR(vm.component_response_time[0], 89076.988, 1e-3);  // 23 s of slack
  EXPECT_NEAR(vm.cost, 0.0375 + 0.75, 1e-12);

  // The documented path verdict: with data_size in Mbit over Mbit/s, the 4500 transfer costs
  // 0.45 s, within the 2.12 s the path has left, so p1 holds (94348.33 s ≤ 94350 s).
  const double transfer = 0.00000277 + 4500.0 / 10000.0;
  EXPECT_NEAR(vm.path_response_time[0], r1 + r2 + transfer, 1e-6);
  EXPECT_NEAR(vm.path_response_time[0], 94348.33, 1e-2);
  EXPECT_LE(vm.path_response_time[0], 94350.0);
}

TEST(Space4aiAppendixC, ThePathBoundFailsIfTheTransferWereMegabytes) {
  auto document = scenario_json("mask_detection_appendix_c");
  document["Components"]["c1"]["s1"]["h1"]["data_size"] = 4500 * 8;  // 4500 MB = 36000 Mbit: 3.6 s
  const placement::PlacementEvaluator evaluator(parse_space4ai_json(document.dump(), "megabytes.json"));
  const auto evaluation = evaluator.evaluate(placement::Placement{{0, 0}, {{0}, {1}}, {1, 1}});
  EXPECT_EQ(evaluation.violation.kind, placement::ViolationKind::path_response_time);
  EXPECT_NEAR(evaluation.violation.value, 94351.48, 1e-2);
}

TEST(Space4aiAppendixC, EveryPolicyFindsTheSamePlacement) {
  const placement::PlacementEvaluator evaluator(read_space4ai_json(scenario("mask_detection_appendix_c")));
  for (auto name : {"random_greedy", "local_search", "tabu", "exact", "all_cloud"}) {
    const auto result = placement::make_placement_policy(name)->solve(evaluator, {5});
    if (std::string(name) == "all_cloud") {  // c1 runs on the Pi only
      EXPECT_FALSE(result.found);
      EXPECT_THAT(result.note,
                  HasSubstr("component c1 has no deployment that runs entirely on vm resources"));
      continue;
    }
    ASSERT_TRUE(result.found) << name << ": " << result.note;
    EXPECT_EQ(result.placement.resource_of(evaluator.problem(), 0, 0), 0U) << name;  // RasPi
    EXPECT_EQ(result.placement.resource_of(evaluator.problem(), 1, 0), 1U) << name;  // VM1
    EXPECT_NEAR(result.evaluation.cost, 0.7875, 1e-12) << name;
  }
  EXPECT_FALSE(placement::make_placement_policy("all_edge")->solve(evaluator, {5}).found);
}

TEST(Space4aiAppendixC, ExportsTheSolutionInSpace4aiShape) {
  const auto problem = read_space4ai_json(scenario("mask_detection_appendix_c"));
  const placement::PlacementEvaluator evaluator(problem);
  const placement::Placement placement{{0, 0}, {{0}, {1}}, {1, 1}};
  const auto json = space4ai_solution_json(
      problem, placement, evaluator.evaluate(placement, placement::EvaluationMode::detailed));
  EXPECT_DOUBLE_EQ(json.at("Lambda").get<double>(), lambda);
  const auto& pi = json.at("components").at("c1").at("s1").at("h1").at("computationallayer1").at("RasPi");
  EXPECT_EQ(pi.at("number").get<int>(), 1);
  EXPECT_DOUBLE_EQ(pi.at("cost").get<double>(), 0.0375);
  EXPECT_DOUBLE_EQ(pi.at("memory").get<double>(), 4096);
  EXPECT_EQ(pi.at("description").get<std::string>(), "Raspberry PIs 4 Model B");
  const auto& c2 = json.at("components").at("c2");
  EXPECT_TRUE(c2.at("s1").at("h1").at("computationallayer2").contains("VM1"));
  EXPECT_NEAR(c2.at("s1").at("h1").at("response_time").get<double>(), 5270.89, 1e-2);
  EXPECT_EQ(c2.at("response_time_threshold").get<std::string>(), "inf");
  EXPECT_DOUBLE_EQ(json.at("components").at("c1").at("response_time_threshold").get<double>(), 89100);
  const auto& p1 = json.at("global_constraints").at("p1");
  EXPECT_EQ(p1.at("components"), nlohmann::ordered_json({"c1", "c2"}));
  EXPECT_DOUBLE_EQ(p1.at("global_res_time").get<double>(), 94350);
  EXPECT_NEAR(p1.at("path_response_time").get<double>(), 94348.33, 1e-2);
  EXPECT_NEAR(json.at("total_cost").get<double>(), 0.7875, 1e-12);
  EXPECT_TRUE(json.at("feasible").get<bool>());
}

TEST(Space4aiImport, TheRateOptionOverridesLambda) {
  Space4aiImportOptions options;
  options.arrival_rate = 0.00002;
  const auto problem = read_space4ai_json(scenario("mask_detection_appendix_c"), options);
  EXPECT_DOUBLE_EQ(problem.arrival_rate, 0.00002);
  options.arrival_rate = -1.0;
  EXPECT_THAT(import_error(scenario_json("mask_detection_appendix_c"), options),
              HasSubstr("the arrival rate override must be positive"));
}

// ---- The later SPACE4AI-D tools' form ---------------------------------------------------------

TEST(Space4aiLaterForm, ImportsPerformanceBlocksFaasAndChainedPartitions) {
  const auto problem = read_space4ai_json(scenario("wind_farm_inspection"));
  ASSERT_EQ(problem.components.size(), 4U);
  EXPECT_EQ(problem.resources.size(), 8U);
  const auto& f4 = problem.resources[problem.find_resource("F4GB")];
  EXPECT_EQ(f4.kind, ResourceKind::faas);
  EXPECT_DOUBLE_EQ(f4.keep_alive, 600);
  EXPECT_DOUBLE_EQ(f4.transition_cost, 0.0);
  EXPECT_DOUBLE_EQ(f4.power.busy_w, 40.0);
  EXPECT_EQ(problem.resources[problem.find_resource("PC1")].max_instances, 2);
  EXPECT_EQ(problem.resources[problem.find_resource("PC1")].cores, 8);

  const auto& c2 = problem.components[1];
  ASSERT_EQ(c2.deployments.size(), 2U);
  const auto& s2 = c2.deployments[1];
  ASSERT_EQ(s2.partitions.size(), 2U);
  EXPECT_EQ(s2.partitions[0].name, "h2");
  EXPECT_EQ(s2.partitions[1].name, "h3");
  EXPECT_DOUBLE_EQ(s2.partitions[0].early_exit_probability, 0.2);
  EXPECT_DOUBLE_EQ(s2.partitions[0].output_bytes, 4e6 / 8);
  ASSERT_EQ(s2.partitions[1].to_components.size(), 2U);
  EXPECT_EQ(s2.partitions[1].to_components[1].component, 3U);
  EXPECT_DOUBLE_EQ(s2.partitions[1].to_components[1].bytes, 6e6 / 8);
  const auto& h3_options = s2.partitions[1].options;
  EXPECT_DOUBLE_EQ(h3_options.back().demand, 0.19);  // F4GB warm
  EXPECT_DOUBLE_EQ(h3_options.back().cold_demand, 0.29);
  EXPECT_EQ(h3_options.back().model, placement::ResponseModel::faas);
  EXPECT_EQ(problem.components[3].deployments[0].partitions[0].options[1].model,
            placement::ResponseModel::faas_static);
  EXPECT_DOUBLE_EQ(problem.components[3].deployments[0].partitions[0].options[1].memory, 6144 * mebibyte);
}

TEST(Space4aiLaterForm, OptimisesToAFeasiblePlacementThatTheSearchesCannotWorsen) {
  const placement::PlacementEvaluator evaluator(read_space4ai_json(scenario("wind_farm_inspection")));
  const auto exact = placement::make_placement_policy("exact")->solve(evaluator, {});
  ASSERT_TRUE(exact.found) << exact.note;
  EXPECT_TRUE(exact.optimal);
  const auto greedy = placement::make_placement_policy("random_greedy")->solve(evaluator, {1000});
  ASSERT_TRUE(greedy.found);
  const auto tabu = placement::make_placement_policy("tabu")->solve(evaluator, {1000});
  ASSERT_TRUE(tabu.found);
  EXPECT_LE(tabu.evaluation.cost, greedy.evaluation.cost);
  EXPECT_GE(greedy.evaluation.cost, exact.evaluation.cost);
  EXPECT_LE(tabu.evaluation.cost, exact.evaluation.cost * 1.05);
}

// ---- Errors ------------------------------------------------------------------------------------

TEST(Space4aiImportErrors, ASyntaxErrorGivesLineAndColumn) {
  const std::string text = "{\n  \"Lambda\": 0.1,\n  \"Components\": {,}\n}\n";
  try {
    parse_space4ai_json(text, "broken.json");
    FAIL() << "no error";
  } catch (const Space4aiError& error) {
    EXPECT_THAT(error.what(), ::testing::StartsWith("broken.json:3:18: JSON syntax error: "));
  }
}

TEST(Space4aiImportErrors, AWrongValueNamesItsJsonPathAndWhatWasExpected) {
  auto document = scenario_json("mask_detection_appendix_c");
  document["Components"]["c1"]["s1"]["h1"]["early_exit_probability"] = "x";
  EXPECT_EQ(import_error(document),
            "test.json: at /Components/c1/s1/h1/early_exit_probability: expected a probability in [0, 1), "
            "got \"x\"");
}

TEST(Space4aiImportErrors, AnUnknownResourceListsTheKnownOnes) {
  auto document = scenario_json("mask_detection_appendix_c");
  document["CompatibilityMatrix"]["c2"]["h1"][0] = "RasPy";
  EXPECT_EQ(import_error(document),
            "test.json: at /CompatibilityMatrix/c2/h1/0: unknown resource \"RasPy\"; known: RasPi, VM1");
}

TEST(Space4aiImportErrors, MissingMembersAreNamed) {
  auto document = scenario_json("mask_detection_appendix_c");
  document.erase("Lambda");
  EXPECT_EQ(import_error(document),
            "test.json: at /: missing \"Lambda\" (the arrival rate in requests per second)");
  document = scenario_json("mask_detection_appendix_c");
  document["EdgeResources"]["computationallayer1"]["RasPi"].erase("number");
  EXPECT_EQ(import_error(document),
            "test.json: at /EdgeResources/computationallayer1/RasPi: missing \"number\" "
            "(largest number of instances)");
  document = scenario_json("mask_detection_appendix_c");
  document["DemandMatrix"]["c2"]["h1"].erase("VM1");
  EXPECT_THAT(import_error(document), HasSubstr("missing the demand of partition h1 on VM1"));
}

TEST(Space4aiImportErrors, UnsupportedModelsAndMisplacedDemandsAreRejected) {
  auto document = scenario_json("wind_farm_inspection");
  document["Performance"]["c1"]["h1"]["Drone1"]["model"] = "MLlib";
  EXPECT_EQ(import_error(document),
            "test.json: at /Performance/c1/h1/Drone1/model: unsupported performance model "
            "\"MLlib\"; supported: QTedge, QTcloud, PACSLTK, PACSLTKSTATIC");
  document = scenario_json("wind_farm_inspection");
  document["Performance"]["c1"]["h1"]["VM1"] = {{"model", "QTcloud"}, {"demand", 0.1}};
  EXPECT_THAT(import_error(document),
              HasSubstr("a demand for VM1, which the CompatibilityMatrix does not list for h1 of c1"));
  document = scenario_json("wind_farm_inspection");
  document["Performance"]["c4"]["h1"]["F4GB"] = {{"model", "QTedge"}, {"demand", 1.0}};
  EXPECT_THAT(import_error(document), HasSubstr("model QTedge needs an edge or VM resource; F4GB is FaaS"));
  document = scenario_json("mask_detection_appendix_c");
  document["Performance"] = document["DemandMatrix"];
  EXPECT_THAT(import_error(document), HasSubstr("both \"Performance\" and \"DemandMatrix\" are given"));
}

TEST(Space4aiImportErrors, PartitionsMustChainThroughNext) {
  auto document = scenario_json("wind_farm_inspection");
  document["Components"]["c2"]["s2"]["h2"]["next"] = {"c3"};  // h3 no longer follows h2
  EXPECT_THAT(import_error(document),
              HasSubstr("at /Components/c2/s2: the partitions do not form one chain through \"next\""));
}

TEST(Space4aiImportErrors, NextMustNameAPartitionOfTheDeploymentOrAComponent) {
  auto document = scenario_json("wind_farm_inspection");
  document["Components"]["c2"]["s1"]["h1"]["next"] = {"c3", "h3"};
  EXPECT_EQ(import_error(document),
            "test.json: at /Components/c2/s1/h1/next: \"h3\" is neither a partition of this "
            "deployment nor a component");
}

TEST(Space4aiImportErrors, DagCyclesAreRejected) {
  auto document = scenario_json("wind_farm_inspection");
  document["DirectedAcyclicGraph"]["c4"] = {{"next", {"c1"}}, {"transition_probability", {1}}};
  EXPECT_EQ(import_error(document), "test.json: the application DAG has a cycle");
}

TEST(Space4aiImportErrors, AMissingFileIsReported) {
  EXPECT_THROW(read_space4ai_json("/nonexistent/system.json"), Space4aiError);
}

}  // namespace
}  // namespace continuum::io
