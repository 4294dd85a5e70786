#include "policies/early_exit/bandit.hpp"

#include <array>
#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>

namespace continuum::early_exit {
namespace {

TEST(AdaeeReward, IsZeroWhenTheInputExitsAtTheEdge) {
  EXPECT_EQ(adaee_reward(0.9, 0.99, 0.8, 0.1), 0.0);
  EXPECT_EQ(adaee_reward(0.8, 0.99, 0.8, 0.1), 0.0);  // reaching the threshold exactly exits
}

TEST(AdaeeReward, IsTheConfidenceGainMinusTheOverheadWhenOffloaded) {
  EXPECT_DOUBLE_EQ(adaee_reward(0.5, 0.9, 0.8, 0.1), 0.3);
  // No gain (the final classifier is less confident) still pays the overhead.
  EXPECT_DOUBLE_EQ(adaee_reward(0.6, 0.4, 0.8, 0.1), -0.1);
}

TEST(RegretTracker, MeasuresRegretAgainstTheBestFixedArmInHindsight) {
  RegretTracker tracker(2);
  tracker.record(0, std::array{1.0, 0.0});
  tracker.record(0, std::array{0.0, 1.0});
  tracker.record(1, std::array{0.0, 1.0});
  // totals: arm 0 = 1, arm 1 = 2; received 1 + 0 + 1 = 2 → regret 0 although round 2 was a miss.
  EXPECT_DOUBLE_EQ(tracker.cumulative_reward(), 2.0);
  EXPECT_DOUBLE_EQ(tracker.regret(), 0.0);
  tracker.record(0, std::array{0.0, 1.0});
  EXPECT_DOUBLE_EQ(tracker.regret(), 1.0);
  EXPECT_EQ(tracker.best_fixed_arm(), 1);
  EXPECT_EQ(tracker.rounds(), 4);
  EXPECT_THROW(tracker.record(0, std::array{1.0}), std::invalid_argument);
}

TEST(Ucb1, PullsEveryArmOnceBeforeUsingTheIndex) {
  Ucb1 bandit(3);
  for (int expected = 0; expected < 3; ++expected) {
    EXPECT_EQ(bandit.select(), expected);
    bandit.update(expected, expected == 0 ? 1.0 : 0.0);
  }
  EXPECT_EQ(bandit.select(), 0);
}

TEST(Ucb1, ChoosesTheArmWithTheLargestIndexAndTheExplorationWeightMatters) {
  // After rewards (arm 0: 1, 0; arm 1: 0), t = 3:
  //   c = 1: 0.5 + √(ln 3 / 2) = 1.241 > 0 + √(ln 3) = 1.048 → arm 0
  //   c = 2: 0.5 + 2√(ln 3 / 2) = 1.982 < 2√(ln 3) = 2.096 → arm 1
  for (double c : {1.0, 2.0}) {
    Ucb1 bandit(2, c);
    bandit.update(0, 1.0);
    bandit.update(1, 0.0);
    bandit.update(0, 0.0);
    EXPECT_DOUBLE_EQ(bandit.mean_reward(0), 0.5);
    EXPECT_EQ(bandit.total_pulls(), 3);
    EXPECT_EQ(bandit.select(), c == 1.0 ? 0 : 1) << "c = " << c;
  }
}

TEST(Ucb1, RegretPerRoundVanishesOnABernoulliBanditAndTheBestArmIsPulledMost) {
  const std::array<double, 4> means{0.3, 0.5, 0.7, 0.45};
  boost::random::mt19937 rng(4242u);
  Ucb1 bandit(4);
  std::array<double, 4> rewards{};
  std::vector<double> regret_rate;
  std::vector<double> pseudo_regret_rate;
  for (long t = 1; t <= 20000; ++t) {
    for (std::size_t a = 0; a < means.size(); ++a)
      rewards[a] = boost::random::bernoulli_distribution<double>(means[a])(rng) ? 1.0 : 0.0;
    bandit.update(bandit.select(), rewards);
    if (t == 500 || t == 2000 || t == 8000 || t == 20000) {
      regret_rate.push_back(bandit.regret() / static_cast<double>(t));
      double pseudo = 0.0;  // Σ_a N_a Δ_a, from the pull counts alone
      for (std::size_t a = 0; a < means.size(); ++a)
        pseudo += static_cast<double>(bandit.pulls(static_cast<int>(a))) * (means[2] - means[a]);
      pseudo_regret_rate.push_back(pseudo / static_cast<double>(t));
    }
  }
  for (std::size_t i = 1; i < regret_rate.size(); ++i) {
    EXPECT_LT(regret_rate[i], regret_rate[i - 1]) << "checkpoint " << i;
    EXPECT_LT(pseudo_regret_rate[i], pseudo_regret_rate[i - 1]) << "checkpoint " << i;
  }
  EXPECT_LT(regret_rate.back(), 0.02);
  EXPECT_LT(pseudo_regret_rate.back(), 0.02);
  for (int a : {0, 1, 3}) EXPECT_GT(bandit.pulls(2), 10 * bandit.pulls(a));
  EXPECT_EQ(bandit.regret_tracker().rounds(), 20000);
}

TEST(Ucb1, RejectsBadArguments) {
  EXPECT_THROW(Ucb1(0), std::invalid_argument);
  EXPECT_THROW(Ucb1(2, -1.0), std::invalid_argument);
  Ucb1 bandit(2);
  EXPECT_THROW(bandit.update(2, 1.0), std::out_of_range);
  EXPECT_THROW(bandit.update(0, std::nan("")), std::invalid_argument);
  EXPECT_THROW(bandit.update(0, std::array{1.0, 2.0, 3.0}), std::invalid_argument);
  EXPECT_EQ(bandit.total_pulls(), 0);
}

TEST(ContextualUcb, LearnsADifferentBestArmForEachContext) {
  // Context "clean": arm 0 is best; context "blurred": arm 2 is best (rewards are deterministic).
  ContextualUcb bandits(3);
  const std::array<double, 3> clean{0.9, 0.2, 0.1};
  const std::array<double, 3> blurred{0.0, 0.3, 0.8};
  for (int round = 0; round < 2000; ++round) {
    const bool is_clean = round % 2 == 0;
    const char* context = is_clean ? "clean" : "blurred";
    bandits.update(context, bandits.select(context),
                   is_clean ? std::span<const double>(clean) : std::span<const double>(blurred));
  }
  ASSERT_EQ(bandits.context_count(), 2u);
  const Ucb1* c = bandits.find("clean");
  const Ucb1* b = bandits.find("blurred");
  ASSERT_NE(c, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(bandits.find("rainy"), nullptr);
  EXPECT_GT(c->pulls(0), c->pulls(1) + c->pulls(2));
  EXPECT_GT(b->pulls(2), b->pulls(0) + b->pulls(1));
  EXPECT_DOUBLE_EQ(bandits.regret(), c->regret() + b->regret());
  EXPECT_DOUBLE_EQ(bandits.cumulative_reward(), c->cumulative_reward() + b->cumulative_reward());
  // Regret per context is what a best-arm-per-context oracle earns minus what we earned.
  EXPECT_NEAR(bandits.regret(), 1000 * 0.9 + 1000 * 0.8 - bandits.cumulative_reward(), 1e-9);
  EXPECT_LT(bandits.regret(), 0.1 * 2000);
}

}  // namespace
}  // namespace continuum::early_exit
