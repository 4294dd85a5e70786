#include "sim/sweep/regression.hpp"

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace continuum::sweep {
namespace {

MetricStats stats_of(const std::vector<double>& values) {
  return summarize(values);
}

// The three worked examples of the Wikipedia article "Welch's t-test" (t, ν, p two-sided), which
// also match R's t.test(var.equal = FALSE).
TEST(WelchTTest, MatchesThePublishedExamples) {
  struct Case {
    std::vector<double> a, b;
    double t, dof, p;
  };
  const Case cases[] = {
      {{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4},
       {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4},
       2.46,
       24.99,
       0.021},
      {{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8},
       {21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
        20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8},
       1.57,
       9.90,
       0.149},
      {{19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0},
       {28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
        23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3},
       2.22,
       24.52,
       0.036},
  };
  for (const auto& c : cases) {
    const WelchTest test = welch_t_test(stats_of(c.a), stats_of(c.b));
    EXPECT_NEAR(test.t, c.t, 0.01);  // b − a: positive here
    EXPECT_NEAR(test.degrees_of_freedom, c.dof, 0.01);
    EXPECT_NEAR(test.p_value, c.p, 0.001);
  }
}

TEST(WelchTTest, WithoutVarianceIsCertainOfAnyDifference) {
  EXPECT_EQ(welch_t_test({5.0, 0.0, 4}, {5.0, 0.0, 4}).p_value, 1.0);
  EXPECT_EQ(welch_t_test({5.0, 0.0, 4}, {5.5, 0.0, 4}).p_value, 0.0);
  // One side without spread: the test uses the other side's alone (ν = n − 1).
  EXPECT_NEAR(welch_t_test({5.0, 0.0, 4}, {6.0, 1.0, 4}).degrees_of_freedom, 3.0, 1e-12);
}

TEST(CompareMetric, FlagsASignificantMaterialChangeInTheBadDirectionOnly) {
  const MetricStats base{1.0, 0.02, 10};
  const Tolerance five_percent{0.05, 0.0};
  EXPECT_EQ(
      compare_metric(Metric::latency_mean, base, MetricStats{1.0, 0.02, 10}, 0.01, five_percent).verdict,
      Verdict::same);
  EXPECT_EQ(
      compare_metric(Metric::latency_mean, base, MetricStats{1.2, 0.02, 10}, 0.01, five_percent).verdict,
      Verdict::regression);
  EXPECT_EQ(
      compare_metric(Metric::latency_mean, base, MetricStats{0.8, 0.02, 10}, 0.01, five_percent).verdict,
      Verdict::improved);
  // Lower accuracy is the bad direction.
  EXPECT_EQ(compare_metric(Metric::accuracy, base, MetricStats{0.8, 0.02, 10}, 0.01, five_percent).verdict,
            Verdict::regression);
  // Significant but within tolerance: a 2 % shift is not a regression.
  EXPECT_EQ(
      compare_metric(Metric::latency_mean, base, MetricStats{1.02, 0.001, 10}, 0.01, five_percent).verdict,
      Verdict::ok);
  // Beyond tolerance but within the noise: not significant.
  EXPECT_EQ(compare_metric(Metric::latency_mean, MetricStats{1.0, 0.5, 3}, MetricStats{1.2, 0.5, 3}, 0.01,
                           five_percent)
                .verdict,
            Verdict::ok);
  // The absolute tolerance guards metrics near zero.
  EXPECT_EQ(compare_metric(Metric::loss_ratio, MetricStats{0.0, 0.0, 5}, MetricStats{0.001, 0.0, 5}, 0.01,
                           {0.05, 0.002})
                .verdict,
            Verdict::ok);
}

TEST(CompareMetric, ReportsNewAndMissingMetrics) {
  EXPECT_EQ(compare_metric(Metric::accuracy, std::nullopt, MetricStats{0.9, 0.01, 5}, 0.01, {}).verdict,
            Verdict::new_metric);
  EXPECT_EQ(compare_metric(Metric::accuracy, MetricStats{0.9, 0.01, 5}, std::nullopt, 0.01, {}).verdict,
            Verdict::missing);
  EXPECT_TRUE(is_failure(Verdict::missing));
  EXPECT_FALSE(is_failure(Verdict::new_metric));
}

class BaselineFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("continuum_baseline_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / "baseline.yaml";
    std::ofstream(path_)
        << "description: test\n"
           "settings: {alpha: 0.05, relative_tolerance: 0.1, absolute_tolerance: {loss_ratio: 0.001},\n"
           "           metrics: [latency_mean, cost, loss_ratio], replications: 3}\n"
           "scenarios:\n"
           "  minimal:\n"
           "    file: " +
               std::string(CONTINUUM_SOURCE_DIR) +
               "/scenarios/minimal.yaml\n"
               "    set: {simulation.horizon: 300s, simulation.warmup: 30s, layers: [cloud]}\n"
               "    policies:\n"
               "      fcfs: {set: {device_types.server.discipline: fcfs}}\n"
               "      ps:\n"
               "        set: {device_types.server.discipline: ps}\n"
               "        baseline: {latency_mean: {mean: 0.5, stddev: 0.01, n: 3}}\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_, path_;
};

TEST_F(BaselineFileTest, ReadsSettingsScenariosAndPolicies) {
  const BaselineFile file = load_baseline(path_);
  EXPECT_DOUBLE_EQ(file.settings.alpha, 0.05);
  EXPECT_DOUBLE_EQ(file.settings.tolerance(Metric::loss_ratio).absolute, 0.001);
  EXPECT_DOUBLE_EQ(file.settings.tolerance(Metric::cost).absolute, 0.0);
  ASSERT_EQ(file.scenarios.size(), 1u);
  ASSERT_EQ(file.scenarios[0].policies.size(), 2u);
  EXPECT_TRUE(file.scenarios[0].policies[0].baseline.empty());
  EXPECT_EQ(file.scenarios[0].policies[1].baseline.at(Metric::latency_mean).n, 3u);
}

TEST_F(BaselineFileTest, WritesAFileThatReadsBackTheSame) {
  BaselineFile file = load_baseline(path_);
  file.scenarios[0].policies[0].baseline[Metric::cost] = {0.1 / 3.0, 0.0, 3};
  const auto copy = dir_ / "copy.yaml";
  std::ofstream(copy) << baseline_yaml(file);
  const BaselineFile back = load_baseline(copy);
  EXPECT_EQ(back.description, "test");
  EXPECT_EQ(back.settings.metrics, file.settings.metrics);
  EXPECT_EQ(back.scenarios[0].overrides.size(), 3u);
  EXPECT_EQ(back.scenarios[0].overrides[2].value, "[cloud]");
  EXPECT_EQ(back.scenarios[0].policies[0].baseline.at(Metric::cost).mean, 0.1 / 3.0);  // exact
  EXPECT_EQ(back.scenarios[0].policies[1].overrides[0].value, "ps");
}

TEST_F(BaselineFileTest, ReproducesItsOwnBaselineExactly) {
  BaselineFile file = load_baseline(path_);
  const auto first = run_regression(file, {.jobs = 2, .cases = {"minimal/fcfs"}, .extra = {}});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(first[0].failed());  // no baseline yet
  update_baseline(file, first);
  const auto again = run_regression(file, {.jobs = 1, .cases = {"minimal/fcfs"}, .extra = {}});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_FALSE(again[0].failed());
  for (const auto& c : again[0].comparisons) EXPECT_EQ(c.verdict, Verdict::same) << to_string(c.metric);
  const auto slower = run_regression(
      file, {.jobs = 2,
             .cases = {"minimal/fcfs"},
             .extra = {{"application.components.service.deployments.single.partitions.all.demand.server",
                        "150ms"}}});
  EXPECT_TRUE(slower[0].failed());
  EXPECT_THROW(run_regression(file, {.jobs = 1, .cases = {"minimal/lifo"}, .extra = {}}),
               std::invalid_argument);
}

TEST_F(BaselineFileTest, NamesTheLineOfABadField) {
  std::ofstream(path_) << "scenarios:\n  minimal:\n    file: x.yaml\n    polices: {}\n";
  try {
    load_baseline(path_);
    FAIL();
  } catch (const io::LoadError& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr(":4:5: scenarios.minimal.polices: unknown field"));
  }
}

}  // namespace
}  // namespace continuum::sweep

namespace continuum::sweep {
namespace {

TEST(ShippedBaselines, CoverEveryShippedScenario) {
  namespace fs = std::filesystem;
  const fs::path root(CONTINUUM_SOURCE_DIR);
  const BaselineFile file = load_baseline(root / "tests/regression/baselines.yaml");
  std::set<fs::path> covered;
  for (const auto& scenario : file.scenarios) {
    EXPECT_TRUE(fs::exists(scenario.path)) << scenario.path;
    covered.insert(fs::weakly_canonical(scenario.path));
  }
  for (const auto& entry : fs::directory_iterator(root / "scenarios")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    EXPECT_TRUE(covered.count(fs::weakly_canonical(entry.path())))
        << entry.path().filename() << " has no case in tests/regression/baselines.yaml: add one (its policy "
        << "variants under `policies:`) and run `continuum regress tests/regression/baselines.yaml --update`";
  }
}

}  // namespace
}  // namespace continuum::sweep
