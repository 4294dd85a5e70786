// Runs the built `continuum` program: `continuum analytic faas|mg1k ...`.
#include <sys/wait.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include <string>
#include "tests/io/program_runner.hpp"

namespace {

using ::testing::HasSubstr;

using continuum::testing::Outcome;
using continuum::testing::run_continuum;

TEST(AnalyticCli, FaasPrintsThePublishedCheckValues) {
  const Outcome outcome = run_continuum("analytic faas --rate 100 --warm 2 --cold 25 --keep-alive 600");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const nlohmann::json json = nlohmann::json::parse(outcome.output);
  EXPECT_NEAR(json.at("average_instances").get<double>(), 251.0439, 5e-4);
  EXPECT_NEAR(json.at("cold_start_probability").get<double>(), 0.000065, 5e-7);
  EXPECT_NEAR(json.at("average_response_time").get<double>(), 2.001488, 5e-6);
  EXPECT_NEAR(json.at("utilization").get<double>(), 0.796622, 5e-6);
  EXPECT_NEAR(json.at("average_running_warm").get<double>(), 0.796622 * 251.0439, 1e-2);
  EXPECT_EQ(json.at("rejection_probability").get<double>(), 0.0);
  EXPECT_EQ(json.at("parameters").at("max_instances").get<int>(), 1000);
}

TEST(AnalyticCli, FaasHonoursTheInstanceLimit) {
  const Outcome outcome = run_continuum(
      "analytic faas --rate 1000 --warm 2 --cold 25 --keep-alive 600 "
      "--max-instances 1000");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const nlohmann::json json = nlohmann::json::parse(outcome.output);
  EXPECT_NEAR(json.at("average_instances").get<double>(), 1000.0, 1e-6);
  EXPECT_GT(json.at("rejection_probability").get<double>(), 0.4);  // 2000 erlangs on 1000 instances
}

TEST(AnalyticCli, Mg1kWithExponentialServiceGivesTheMM1KLossTwice) {
  const Outcome outcome = run_continuum("analytic mg1k --rho 0.8 --capacity 10 --service exponential");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const nlohmann::json json = nlohmann::json::parse(outcome.output);
  const double expected = (1.0 - 0.8) * std::pow(0.8, 10) / (1.0 - std::pow(0.8, 11));
  EXPECT_NEAR(json.at("loss_exact").get<double>(), expected, 1e-12);
  EXPECT_NEAR(json.at("loss_approximation").get<double>(), expected, 1e-12);
  EXPECT_EQ(json.at("approximation_domain"), "inside");
}

TEST(AnalyticCli, Mg1kReportsARefusedApproximationAsNull) {
  // Deterministic service (SCV 0) at ρ = 9: 2 + 3·(0 − 1) < 0.
  const Outcome outcome = run_continuum("analytic mg1k --rho 9 --capacity 5 --service deterministic");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.output;
  const nlohmann::json json = nlohmann::json::parse(outcome.output);
  EXPECT_TRUE(json.at("loss_approximation").is_null());
  EXPECT_EQ(json.at("approximation_domain"), "outside");
  EXPECT_NEAR(json.at("loss_exact").get<double>(), 1.0 - 1.0 / 9.0, 1e-3);  // overload: ≈ 1 − 1/ρ
}

TEST(AnalyticCli, Mg1kAcceptsErlangAndHyperexponentialLaws) {
  const Outcome erlang = run_continuum("analytic mg1k --rho 0.9 --capacity 6 --service erlang:3");
  const Outcome hyper = run_continuum("analytic mg1k --rho 0.9 --capacity 6 --service hyperexp:4");
  ASSERT_EQ(erlang.exit_code, 0);
  ASSERT_EQ(hyper.exit_code, 0);
  EXPECT_LT(nlohmann::json::parse(erlang.output).at("loss_exact").get<double>(),
            nlohmann::json::parse(hyper.output).at("loss_exact").get<double>());
  EXPECT_EQ(nlohmann::json::parse(hyper.output).at("service"), "hyperexp:4");
}

TEST(AnalyticCli, HelpListsEveryOption) {
  const Outcome faas = run_continuum("analytic faas --help");
  EXPECT_EQ(faas.exit_code, 0);
  for (const char* option : {"--rate", "--warm", "--cold", "--keep-alive", "--max-instances", "--help"})
    EXPECT_THAT(faas.output, HasSubstr(option));
  const Outcome mg1k = run_continuum("analytic mg1k --help");
  EXPECT_EQ(mg1k.exit_code, 0);
  for (const char* option : {"--rho", "--capacity", "--service", "--help"})
    EXPECT_THAT(mg1k.output, HasSubstr(option));
  const Outcome top = run_continuum("analytic --help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.output, HasSubstr("faas"));
  EXPECT_THAT(top.output, HasSubstr("mg1k"));
}

TEST(AnalyticCli, BadInputIsOneLineOnStandardErrorAndExitCodeTwo) {
  const struct {
    const char* arguments;
    const char* mentions;
  } cases[] = {
      {"analytic faas --rate 100 --warm 2 --cold 25 --keep-alive 600 --colour red",
       "--colour"},                                                                  // unknown option
      {"analytic faas --rate 100 --warm 2 --cold 25", "--keep-alive"},               // missing option
      {"analytic faas --rate 100 --warm 2 --cold 25 --keep-alive", "--keep-alive"},  // missing value
      {"analytic faas --rate fast --warm 2 --cold 25 --keep-alive 600", "fast"},     // not a number
      {"analytic faas --rate=-5 --warm 2 --cold 25 --keep-alive 600", "--rate"},     // negative rate
      {"analytic mg1k --rho 0 --capacity 10", "--rho"},                              // ρ ≤ 0
      {"analytic mg1k --rho=-0.5 --capacity 10", "--rho"},                           // ρ ≤ 0
      {"analytic mg1k --rho 0.5 --capacity 0", "--capacity"},                        // K < 1
      {"analytic mg1k --rho 0.5 --capacity 2.5", "--capacity"},                      // K not an integer
      {"analytic mg1k --rho nan --capacity 5", "--rho"},                             // not a number
      {"analytic mg1k --rho 0.5 --capacity 5 --service weibull:2", "weibull"},       // unknown law
      {"analytic mg1k --rho 0.5 --capacity 5 stray", "positional"},                  // stray word
      {"analytic markov", "unknown model"},                                          // unknown model
  };
  for (const auto& c : cases) {
    const Outcome outcome = run_continuum(c.arguments, /*capture_stderr=*/true);
    EXPECT_EQ(outcome.exit_code, 2) << c.arguments;
    EXPECT_THAT(outcome.output, HasSubstr(c.mentions)) << c.arguments;
    ASSERT_FALSE(outcome.output.empty()) << c.arguments;
    EXPECT_EQ(outcome.output.find('\n'), outcome.output.size() - 1) << c.arguments << ": " << outcome.output;
  }
  EXPECT_EQ(run_continuum("analytic").exit_code, 2);
}

}  // namespace
