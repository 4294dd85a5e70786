#include "models/analytic/infinite_queues.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "models/analytic/errors.hpp"

namespace continuum::analytic {
namespace {

void expect_same(const QueueMetrics& a, const QueueMetrics& b, double tolerance) {
  EXPECT_NEAR(a.utilization, b.utilization, tolerance);
  EXPECT_NEAR(a.mean_response, b.mean_response, tolerance);
  EXPECT_NEAR(a.mean_waiting, b.mean_waiting, tolerance);
  EXPECT_NEAR(a.mean_in_system, b.mean_in_system, tolerance);
  EXPECT_NEAR(a.mean_in_queue, b.mean_in_queue, tolerance);
}

TEST(MM1, GivesTheTextbookFiguresAtHalfLoad) {
  // λ = 0.5/s, D = 1 s: R = D/(1 − ρ) = 2 s, L = ρ/(1 − ρ) = 1, Lq = ρ²/(1 − ρ) = 0.5.
  const QueueMetrics m = mm1(0.5, 1.0);
  EXPECT_DOUBLE_EQ(m.utilization, 0.5);
  EXPECT_DOUBLE_EQ(m.mean_response, 2.0);
  EXPECT_DOUBLE_EQ(m.mean_waiting, 1.0);
  EXPECT_DOUBLE_EQ(m.mean_in_system, 1.0);
  EXPECT_DOUBLE_EQ(m.mean_in_queue, 0.5);
}

TEST(MM1, ScalesWithTheServiceTime) {
  // ρ = 0.8 with D = 20 ms: R = 100 ms.
  EXPECT_NEAR(mm1(40.0, 0.02).mean_response, 0.1, 1e-15);
}

TEST(MM1, ThrowsUnstableAtFullLoad) {
  EXPECT_THROW(mm1(1.0, 1.0), Unstable);
  EXPECT_THROW(mm1(2.0, 1.0), Unstable);
}

TEST(MM1, RejectsNegativeRatesAndNonPositiveServiceTimes) {
  EXPECT_THROW(mm1(-1.0, 1.0), std::invalid_argument);
  EXPECT_THROW(mm1(0.5, 0.0), std::invalid_argument);
  EXPECT_NO_THROW(mm1(0.0, 1.0));
}

TEST(MMc, WithOneServerIsMM1) {
  expect_same(mmc(0.7, 1.3, 1), mm1(0.7, 1.3), 1e-12);
}

TEST(MMc, MatchesTheClosedFormForTwoServers) {
  // M/M/2 with per-server ρ: R = D / (1 − ρ²). λ = 1.5, D = 1 → ρ = 0.75, R = 1/0.4375.
  const QueueMetrics m = mmc(1.5, 1.0, 2);
  EXPECT_DOUBLE_EQ(m.utilization, 0.75);
  EXPECT_NEAR(m.mean_response, 1.0 / (1.0 - 0.75 * 0.75), 1e-13);
  EXPECT_NEAR(m.mean_in_system, 1.5 * m.mean_response, 1e-13);
}

TEST(MMc, ThrowsUnstableWhenTheLoadReachesTheServerCount) {
  EXPECT_THROW(mmc(3.0, 1.0, 3), Unstable);
  EXPECT_THROW(mmc(1.0, 1.0, 0), std::invalid_argument);
}

TEST(MG1, WithExponentialServiceIsMM1) {
  expect_same(mg1(0.6, 1.5, 1.0), mm1(0.6, 1.5), 1e-12);
}

TEST(MG1, HalvesTheWaitingTimeForDeterministicService) {
  // Pollaczek–Khinchine: W(M/D/1) = ρD / (2(1 − ρ)), half of M/M/1's.
  const QueueMetrics d = mg1(0.8, 1.0, 0.0);
  EXPECT_NEAR(d.mean_waiting, 0.8 / (2.0 * 0.2), 1e-13);
  EXPECT_NEAR(d.mean_waiting, 0.5 * mm1(0.8, 1.0).mean_waiting, 1e-13);
  EXPECT_NEAR(d.mean_in_queue, 0.8 * d.mean_waiting, 1e-13);
}

TEST(MG1, GrowsLinearlyWithTheServiceVariability) {
  const double w1 = mg1(0.5, 1.0, 1.0).mean_waiting;
  const double w9 = mg1(0.5, 1.0, 9.0).mean_waiting;
  EXPECT_NEAR(w9 / w1, 5.0, 1e-12);  // (1 + 9) / (1 + 1)
  EXPECT_THROW(mg1(0.5, 1.0, -0.1), std::invalid_argument);
  EXPECT_THROW(mg1(1.0, 1.0, 0.5), Unstable);
}

TEST(MG1ProcessorSharing, WithOneServerGivesDOverOneMinusRho) {
  const QueueMetrics ps = mg1_ps(30.0, 0.025);  // ρ = 0.75
  EXPECT_NEAR(ps.mean_response, 0.025 / 0.25, 1e-14);
  EXPECT_NEAR(ps.mean_waiting, ps.mean_response - 0.025, 1e-15);
  EXPECT_THROW(mg1_ps(40.0, 0.025), Unstable);
}

TEST(MG1ProcessorSharing, WithSeveralServersHasTheMMcMeans) {
  expect_same(mg1_ps(3.2, 1.0, 4), mmc(3.2, 1.0, 4), 1e-12);
  // Sharing among more servers helps: R falls towards D as c grows at fixed per-server load.
  EXPECT_LT(mg1_ps(8.0, 1.0, 10).mean_response, mg1_ps(0.8, 1.0, 1).mean_response);
}

}  // namespace
}  // namespace continuum::analytic
