#include "models/analytic/erlang.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "models/analytic/errors.hpp"

namespace continuum::analytic {
namespace {

// ln B(a, c) from the textbook definition B = (a^c/c!) / Σ_{k=0..c} a^k/k!, summed in log space —
// a different route from the library's recursion.
double log_erlang_b_by_definition(double a, int c) {
  std::vector<double> log_terms;
  for (int k = 0; k <= c; ++k)
    log_terms.push_back(static_cast<double>(k) * std::log(a) - std::lgamma(static_cast<double>(k) + 1.0));
  const double top = *std::max_element(log_terms.begin(), log_terms.end());
  double sum = 0.0;
  for (const double term : log_terms) sum += std::exp(term - top);
  return log_terms.back() - (top + std::log(sum));
}

TEST(ErlangB, MatchesTheTabulatedValueForTenServersAtFiveErlangs) {
  // Erlang B tables list 0.01838 for 5 erlangs on 10 circuits.
  EXPECT_NEAR(erlang_b(5.0, 10), 0.018385, 5e-6);
}

TEST(ErlangB, MatchesTheClosedFormForTwoServers) {
  // B(a, 2) = (a²/2) / (1 + a + a²/2): 0.4 at a = 2.
  EXPECT_DOUBLE_EQ(erlang_b(2.0, 2), 0.4);
  EXPECT_DOUBLE_EQ(erlang_b(1.0, 1), 0.5);
}

TEST(ErlangB, IsOneWithoutServersAndZeroWithoutLoad) {
  EXPECT_DOUBLE_EQ(erlang_b(3.0, 0), 1.0);
  EXPECT_DOUBLE_EQ(erlang_b(0.0, 4), 0.0);
}

TEST(ErlangB, StaysAccurateForThousandsOfServers) {
  for (const auto& [load, servers] :
       {std::pair{1000.0, 1000}, std::pair{4500.0, 5000}, std::pair{9000.0, 8000}}) {
    const double expected = std::exp(log_erlang_b_by_definition(load, servers));
    EXPECT_NEAR(erlang_b(load, servers) / expected, 1.0, 1e-9)
        << load << " erlangs on " << servers << " servers";
  }
}

TEST(LogErlangB, KeepsPrecisionWhereErlangBUnderflows) {
  const double log_b = log_erlang_b(10.0, 5000);
  EXPECT_EQ(erlang_b(10.0, 5000), 0.0);  // far below the smallest double
  EXPECT_NEAR(log_b, log_erlang_b_by_definition(10.0, 5000), 1e-9 * std::abs(log_b));
  EXPECT_NEAR(std::exp(log_erlang_b(7.5, 12)), erlang_b(7.5, 12), 1e-14);
  EXPECT_EQ(log_erlang_b(0.0, 3), -std::numeric_limits<double>::infinity());
}

TEST(ErlangC, MatchesTheClosedFormForThreeServersAtTwoErlangs) {
  // B(2, 3) = 4/19, C = 3B / (3 − 2(1 − B)) = 4/9.
  EXPECT_NEAR(erlang_c(2.0, 3), 4.0 / 9.0, 1e-15);
}

TEST(ErlangC, EqualsUtilisationForOneServer) {
  // M/M/1: the probability of waiting is ρ.
  EXPECT_NEAR(erlang_c(0.7, 1), 0.7, 1e-15);
}

TEST(ErlangC, ThrowsUnstableWhenTheLoadReachesTheServerCount) {
  EXPECT_THROW(erlang_c(3.0, 3), Unstable);
  EXPECT_THROW(erlang_c(4.0, 3), Unstable);
  EXPECT_NO_THROW(erlang_c(2.999, 3));
}

TEST(ErlangFormulas, RejectNegativeLoadsAndServerCounts) {
  EXPECT_THROW(erlang_b(-1.0, 3), std::invalid_argument);
  EXPECT_THROW(erlang_b(1.0, -1), std::invalid_argument);
  EXPECT_THROW(erlang_b(std::nan(""), 2), std::invalid_argument);
  EXPECT_THROW(erlang_c(1.0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::analytic
