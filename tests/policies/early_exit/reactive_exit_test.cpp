#include "policies/early_exit/reactive_exit.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace continuum::early_exit {
namespace {

TEST(ReactiveExitPolicy, MovesOneGateShallowerOnEachLossAndStopsAtGateZero) {
  ReactiveExitPolicy policy(4, 3);
  policy.on_loss();
  EXPECT_EQ(policy.current_gate(), 2);
  policy.on_loss();
  policy.on_loss();
  EXPECT_EQ(policy.current_gate(), 0);
  policy.on_loss();
  EXPECT_EQ(policy.current_gate(), 0);
}

TEST(ReactiveExitPolicy, MovesOneGateDeeperWhenTheQueueEmptiesAndStopsAtTheDeepestGate) {
  ReactiveExitPolicy policy(3, 0);
  policy.on_queue_empty();
  EXPECT_EQ(policy.current_gate(), 1);
  policy.on_queue_empty();
  policy.on_queue_empty();
  EXPECT_EQ(policy.current_gate(), 2);
}

TEST(ReactiveExitPolicy, StartsAtTheDeepestGateByDefault) {
  const ReactiveExitPolicy policy(6);
  EXPECT_EQ(policy.current_gate(), 5);
  EXPECT_EQ(policy.gate_count(), 6);
}

TEST(ReactiveExitPolicy, AlternatingSignalsCancelOut) {
  ReactiveExitPolicy policy(5, 2);
  policy.on_loss();
  policy.on_queue_empty();
  EXPECT_EQ(policy.current_gate(), 2);
}

TEST(ReactiveExitPolicy, RejectsAnInitialGateOutsideTheNetwork) {
  EXPECT_THROW(ReactiveExitPolicy(0, 0), std::invalid_argument);
  EXPECT_THROW(ReactiveExitPolicy(3, 3), std::invalid_argument);
  EXPECT_THROW(ReactiveExitPolicy(3, -1), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::early_exit
