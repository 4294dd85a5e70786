#include "sim/engine/distribution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "sim/engine/stats/welford.hpp"

namespace continuum {
namespace {

struct Case {
  const char* name;
  Distribution law;
  double mean;
  double scv;
};

class DistributionMoments : public ::testing::TestWithParam<Case> {};

TEST_P(DistributionMoments, SampleMomentsMatchTheDeclaredMeanAndScv) {
  const Case& c = GetParam();
  EXPECT_NEAR(c.law.mean(), c.mean, 1e-12 * c.mean);
  EXPECT_NEAR(c.law.scv(), c.scv, 1e-9);
  RandomEngine engine(stream_seed(3, c.name));
  stats::Welford sample;
  const int n = 400000;
  for (int i = 0; i < n; ++i) sample.add(c.law.sample(engine));
  // Mean within 5 standard errors; variance within 5 % (heavy tails converge slowly).
  const double standard_error = std::sqrt(c.scv) * c.mean / std::sqrt(n);
  EXPECT_NEAR(sample.mean(), c.mean, 5 * standard_error + 1e-12);
  EXPECT_NEAR(sample.variance() / (c.mean * c.mean), c.scv, 0.05 * c.scv + 1e-12);
}

INSTANTIATE_TEST_SUITE_P(EveryLaw, DistributionMoments,
                         ::testing::Values(Case{"exponential", Distribution::exponential(2.0), 2.0, 1.0},
                                           Case{"deterministic", Distribution::deterministic(0.5), 0.5, 0.0},
                                           Case{"erlang4", Distribution::erlang(4, 1.0), 1.0, 0.25},
                                           Case{"hyperexp4", Distribution::hyperexponential(1.0, 4.0), 1.0,
                                                4.0},
                                           Case{"lognormal", Distribution::lognormal(3.0, 0.5), 3.0, 0.5},
                                           Case{"gamma", Distribution::gamma(2.0, 0.3), 2.0, 0.3},
                                           Case{"uniform", Distribution::uniform(1.0, 3.0), 2.0, 1.0 / 12.0}),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(Distribution, EmpiricalResamplesTheGivenValues) {
  const auto law = Distribution::empirical({1.0, 2.0, 3.0, 6.0});
  EXPECT_DOUBLE_EQ(law.mean(), 3.0);
  RandomEngine engine(1);
  for (int i = 0; i < 1000; ++i) {
    const double x = law.sample(engine);
    EXPECT_TRUE(x == 1.0 || x == 2.0 || x == 3.0 || x == 6.0);
  }
}

TEST(Distribution, WithMeanKeepsTheShape) {
  const auto law = Distribution::lognormal(1.0, 2.0).with_mean(4.0);
  EXPECT_DOUBLE_EQ(law.mean(), 4.0);
  EXPECT_NEAR(law.scv(), 2.0, 1e-12);
}

TEST(Distribution, InvalidParametersAreRefused) {
  EXPECT_THROW(Distribution::exponential(0.0), std::invalid_argument);
  EXPECT_THROW(Distribution::exponential(NAN), std::invalid_argument);
  EXPECT_THROW(Distribution::hyperexponential(1.0, 0.5), std::invalid_argument);
  EXPECT_THROW(Distribution::erlang(0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({}), std::invalid_argument);
}

}  // namespace
}  // namespace continuum
