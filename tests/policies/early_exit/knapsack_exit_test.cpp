#include "policies/early_exit/knapsack_exit.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace continuum::early_exit {
namespace {

struct BruteForce {
  double best_accuracy = -1.0;
};

// Every way of sending k jobs to the E gates (compositions of k), kept if it fits the discretised budget.
void enumerate(const std::vector<Gate>& gates, std::vector<int>& counts, std::size_t gate, int left,
               double quantum, double spare, BruteForce& out) {
  if (gate + 1 == gates.size()) {
    counts[gate] = left;
    long used = 0;
    double accuracy = 0.0;
    for (std::size_t e = 0; e < gates.size(); ++e) {
      used += counts[e] * static_cast<long>(std::ceil((gates[e].mean_time - gates[0].mean_time) / quantum));
      accuracy += counts[e] * gates[e].accuracy;
    }
    if (used <= static_cast<long>(std::floor(spare / quantum)))
      out.best_accuracy = std::max(out.best_accuracy, accuracy);
    return;
  }
  for (int n = 0; n <= left; ++n) {
    counts[gate] = n;
    enumerate(gates, counts, gate + 1, left - n, quantum, spare, out);
  }
}

TEST(KnapsackCounts, EqualsBruteForceEnumerationOnTwoHundredRandomInstances) {
  boost::random::mt19937 rng(20240510u);
  boost::random::uniform_int_distribution<int> gate_count(1, 5);
  boost::random::uniform_int_distribution<int> job_count(1, 6);
  boost::random::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int instance = 0; instance < 200; ++instance) {
    std::vector<Gate> gates;
    const int e_count = gate_count(rng);
    double t = 0.01 + 0.04 * unit(rng);
    for (int e = 0; e < e_count; ++e) {
      gates.push_back({t, 0.0, unit(rng)});  // accuracies deliberately not monotone
      t += 0.03 * unit(rng);
    }
    const int k = job_count(rng);
    const double quantum = 0.002 + 0.008 * unit(rng);
    const double spare = -0.01 + 1.2 * k * (gates.back().mean_time - gates[0].mean_time) * unit(rng);

    const KnapsackDecision d = knapsack_counts(gates, k, spare, quantum);
    ASSERT_EQ(d.counts.size(), gates.size());
    EXPECT_EQ(std::accumulate(d.counts.begin(), d.counts.end(), 0), k);
    double accuracy = 0.0;
    double time = 0.0;
    for (std::size_t e = 0; e < gates.size(); ++e) {
      EXPECT_GE(d.counts[e], 0);
      accuracy += d.counts[e] * gates[e].accuracy;
      time += d.counts[e] * gates[e].mean_time;
    }
    EXPECT_NEAR(d.total_accuracy, accuracy, 1e-12);
    EXPECT_NEAR(d.total_time, time, 1e-12);
    if (spare >= 0.0) {
      EXPECT_LE(time, spare + k * gates[0].mean_time + 1e-12) << "instance " << instance;
    }

    BruteForce brute;
    std::vector<int> counts(gates.size(), 0);
    enumerate(gates, counts, 0, k, quantum, spare, brute);
    if (spare < 0.0) brute.best_accuracy = k * gates[0].accuracy;  // W < 0: everything at gate 0
    EXPECT_NEAR(d.total_accuracy, brute.best_accuracy, 1e-9) << "instance " << instance;
  }
}

TEST(KnapsackCounts, NegativeSpareTimeSendsEveryJobToGateZero) {
  const std::vector<Gate> gates{{0.01, 0.0, 0.6}, {0.02, 0.0, 0.8}, {0.03, 0.0, 0.9}};
  const KnapsackDecision d = knapsack_counts(gates, 4, -1e-9, 0.001);
  EXPECT_EQ(d.counts, (std::vector<int>{4, 0, 0}));
}

TEST(KnapsackCounts, ChargesUpgradesTheirExtraTimeAndGain) {
  // B = 4 s for k = 2 jobs, W = 4 − 2·1 = 2 s. Two jobs at gate 1 would score 1.2; one at gate 2 and one at
  // gate 0 scores 1.5 and takes exactly 3 + 1 = 4 s.
  const std::vector<Gate> gates{{1.0, 0.0, 0.5}, {2.0, 0.0, 0.6}, {3.0, 0.0, 1.0}};
  const KnapsackDecision d = knapsack_counts(gates, 2, 2.0, 0.5);
  EXPECT_EQ(d.counts, (std::vector<int>{1, 0, 1}));
  EXPECT_DOUBLE_EQ(d.total_accuracy, 1.5);
  EXPECT_DOUBLE_EQ(d.total_time, 4.0);
}

TEST(KnapsackCounts, RoundsTimesUpSoTheBudgetIsNeverExceeded) {
  // Gate 1 needs 0.25 s more than gate 0: 3 quanta of 0.1 s. A 0.29 s spare holds only 2 whole quanta, so
  // the discretised problem affords no upgrade (conservative), while a 0.3 s spare does.
  const std::vector<Gate> gates{{0.1, 0.0, 0.5}, {0.35, 0.0, 0.9}};
  EXPECT_EQ(knapsack_counts(gates, 1, 0.29, 0.1).counts, (std::vector<int>{1, 0}));
  EXPECT_EQ(knapsack_counts(gates, 1, 0.3 + 1e-12, 0.1).counts, (std::vector<int>{0, 1}));
}

TEST(KnapsackCounts, UnlimitedSpareTimeSendsEveryJobToTheMostAccurateGate) {
  const std::vector<Gate> gates{{0.01, 0.0, 0.6}, {0.02, 0.0, 0.95}, {0.03, 0.0, 0.9}};
  const KnapsackDecision d = knapsack_counts(gates, 5, std::numeric_limits<double>::infinity(), 1e-4);
  EXPECT_EQ(d.counts, (std::vector<int>{0, 5, 0}));
}

TEST(KnapsackCounts, RejectsGatesFasterThanGateZeroAndBadArguments) {
  const std::vector<Gate> unordered{{0.02, 0.0, 0.6}, {0.01, 0.0, 0.8}};
  EXPECT_THROW(knapsack_counts(unordered, 1, 1.0, 0.001), std::invalid_argument);
  const std::vector<Gate> gates{{0.01, 0.0, 0.6}, {0.02, 0.0, 0.8}};
  EXPECT_THROW(knapsack_counts(gates, 0, 1.0, 0.001), std::invalid_argument);
  EXPECT_THROW(knapsack_counts(gates, 1, 1.0, 0.0), std::invalid_argument);
  EXPECT_THROW(knapsack_counts(gates, 1, std::nan(""), 0.001), std::invalid_argument);
  EXPECT_THROW(knapsack_counts(std::vector<Gate>{}, 1, 1.0, 0.001), std::invalid_argument);
  EXPECT_THROW(knapsack_counts(gates, 100000, 1e6, 1e-9), std::length_error);
}

TEST(SuggestedTimeQuantum, IsATenthOfTheSmallestExtraTime) {
  EXPECT_DOUBLE_EQ(suggested_time_quantum(std::vector<Gate>{
                       {0.5, 0.0, 0.5}, {0.5, 0.0, 0.6}, {1.5, 0.0, 0.9}, {0.75, 0.0, 0.7}}),
                   0.025);
  EXPECT_DOUBLE_EQ(suggested_time_quantum(std::vector<Gate>{{0.5, 0.0, 0.5}}), 0.05);
  KnapsackExitPolicy policy({{0.5, 0.0, 0.5}, {1.5, 0.0, 0.9}}, 3);
  EXPECT_DOUBLE_EQ(policy.time_quantum(), 0.1);
}

TEST(KnapsackExitPolicy, UsesGateZeroWhenTheBufferIsFull) {
  KnapsackExitPolicy policy({{0.01, 0.0, 0.6}, {0.02, 0.0, 0.8}}, 5, 0.001);
  // q = buffer: B = 0, W = −k·t_0 < 0.
  EXPECT_EQ(policy.choose_gate(5, 10.0, 0.99), 0);
  EXPECT_EQ(policy.last_decision().counts, (std::vector<int>{6, 0}));
}

TEST(KnapsackExitPolicy, UsesTheMostAccurateGateWhenNoArrivalsAreExpected) {
  KnapsackExitPolicy policy({{0.01, 0.0, 0.6}, {0.02, 0.0, 0.8}, {0.04, 0.0, 0.9}}, 5, 0.001);
  EXPECT_EQ(policy.choose_gate(0, 0.0, 0.0), 2);
  EXPECT_EQ(policy.choose_gate(3, 0.0, 0.7), 2);
}

TEST(KnapsackExitPolicy, DrawsTheGateWithProbabilityCountOverJobs) {
  // buffer 3, q = 1, λ̂ = 1/s: k = 2, B = 2 s, W = 2 − 2·0.5 = 1 s: one job fits gate 1 (Δt = 1 s).
  KnapsackExitPolicy policy({{0.5, 0.0, 0.5}, {1.5, 0.0, 0.9}}, 3, 0.125);
  EXPECT_EQ(policy.choose_gate(1, 1.0, 0.0), 0);
  EXPECT_EQ(policy.last_decision().counts, (std::vector<int>{1, 1}));
  EXPECT_EQ(policy.choose_gate(1, 1.0, 0.49), 0);
  EXPECT_EQ(policy.choose_gate(1, 1.0, 0.5), 1);
  EXPECT_EQ(policy.choose_gate(1, 1.0, 0.999), 1);
}

TEST(KnapsackExitPolicy, RejectsInvalidConstructionAndInputs) {
  EXPECT_THROW(KnapsackExitPolicy({{0.02, 0.0, 0.6}, {0.01, 0.0, 0.8}}, 3, 0.001), std::invalid_argument);
  EXPECT_THROW(KnapsackExitPolicy({{0.01, 0.0, 0.6}}, -1, 0.001), std::invalid_argument);
  KnapsackExitPolicy policy({{0.01, 0.0, 0.6}}, 3, 0.001);
  EXPECT_THROW(policy.choose_gate(-1, 1.0, 0.5), std::invalid_argument);
  EXPECT_THROW(policy.choose_gate(0, -1.0, 0.5), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::early_exit
