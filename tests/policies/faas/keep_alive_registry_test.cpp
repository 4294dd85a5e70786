#include "policies/faas/keep_alive_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "policies/faas/fixed_keep_alive.hpp"
#include "policies/faas/hybrid_histogram.hpp"

namespace continuum::faas {
namespace {

using testing::HasSubstr;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(KeepAlivePolicyRegistry, HoldsTheBuiltInPoliciesInOrder) {
  EXPECT_EQ(builtin_keep_alive_policies().names(), (std::vector<std::string>{"fixed", "hybrid_histogram"}));
  EXPECT_NE(builtin_keep_alive_policies().find("fixed"), nullptr);
  EXPECT_EQ(builtin_keep_alive_policies().find("lru"), nullptr);
}

TEST(KeepAlivePolicyRegistry, NamesTheKnownPoliciesWhenOneIsUnknown) {
  EXPECT_EQ(error_of([] { builtin_keep_alive_policies().make("hybrid", {}, 600.0); }),
            "unknown keep-alive policy \"hybrid\"; known: fixed, hybrid_histogram");
}

TEST(KeepAlivePolicyRegistry, NamesTheKnownParametersWhenOneIsUnknown) {
  EXPECT_EQ(error_of([] {
              builtin_keep_alive_policies().make("hybrid_histogram", {{"rnge", 7200.0}}, 600.0);
            }),
            "keep-alive policy \"hybrid_histogram\": unknown parameter \"rnge\"; known: keep_alive, range, "
            "bin_width, head_percentile, tail_percentile, margin, cv_threshold, min_samples, oob_threshold");
  EXPECT_THAT(error_of([] {
                builtin_keep_alive_policies().make("fixed", {{"ttl", 1.0}}, 600.0);
              }),
              HasSubstr("unknown parameter \"ttl\"; known: keep_alive"));
}

TEST(KeepAlivePolicyRegistry, RefusesValuesBelowTheirMinimumOrNotFinite) {
  EXPECT_EQ(error_of([] {
              builtin_keep_alive_policies().make("fixed", {{"keep_alive", -5.0}}, 600.0);
            }),
            "keep-alive policy \"fixed\": parameter \"keep_alive\" = -5 s is below its minimum 0");
  EXPECT_THAT(error_of([] {
                builtin_keep_alive_policies().make("fixed", {{"keep_alive", NAN}}, 600.0);
              }),
              HasSubstr("must be a finite number"));
  // Checks the policy's own constructor makes are reported too.
  EXPECT_THAT(error_of([] {
                builtin_keep_alive_policies().make("hybrid_histogram", {{"head_percentile", 99.5}}, 600.0);
              }),
              HasSubstr("head_percentile must not exceed tail_percentile"));
}

TEST(KeepAlivePolicyRegistry, FillsDefaultsAndTakesTheFunctionsOwnKeepAlive) {
  const auto& registry = builtin_keep_alive_policies();
  auto fixed = registry.make("fixed", {}, 900.0);
  EXPECT_EQ(fixed->name(), "fixed");
  EXPECT_EQ(fixed->on_instance_idle(0.0).keep_alive, 900.0);
  EXPECT_EQ(registry.make("fixed", {{"keep_alive", 60.0}}, 900.0)->on_instance_idle(0.0).keep_alive, 60.0);
  const KeepAliveParameters resolved = registry.resolve("hybrid_histogram", {{"range", 7200.0}}, 300.0);
  EXPECT_EQ(resolved.at("keep_alive"), 300.0);
  EXPECT_EQ(resolved.at("range"), 7200.0);
  EXPECT_EQ(resolved.at("bin_width"), 60.0);
  EXPECT_EQ(resolved.at("tail_percentile"), 99.0);
  auto hybrid = registry.make("hybrid_histogram", {{"range", 7200.0}, {"bin_width", 120.0}}, 300.0);
  const auto& typed = dynamic_cast<const HybridHistogramKeepAlive&>(*hybrid);
  EXPECT_EQ(typed.bins(), 60u);
  EXPECT_EQ(typed.decision().keep_alive, 300.0);  // thin: the function's keep-alive
}

TEST(KeepAlivePolicyRegistry, BuildsThePolicyAFunctionSpecAsksFor) {
  FaasFunctionSpec function{.name = "thumbnail",
                            .keep_alive = 120.0,
                            .keep_alive_policy = "hybrid_histogram",
                            .policy_parameters = {{"min_samples", 3.0}}};
  auto policy = make_keep_alive_policy(function);
  EXPECT_EQ(policy->name(), "hybrid_histogram");
  EXPECT_EQ(dynamic_cast<const HybridHistogramKeepAlive&>(*policy).parameters().min_samples, 3.0);
  function.keep_alive_policy = "fixd";
  EXPECT_THAT(error_of([&] { make_keep_alive_policy(function); }),
              HasSubstr("FaaS function \"thumbnail\": unknown keep-alive policy \"fixd\""));
}

TEST(KeepAlivePolicyRegistry, RefusesASecondEntryWithTheSameName) {
  KeepAlivePolicyRegistry registry;
  register_builtin_keep_alive_policies(registry);
  EXPECT_THROW(
      registry.add(
          {.name = "fixed",
           .make = [](const KeepAliveParameters&) { return std::make_unique<FixedKeepAlive>(1.0); }}),
      std::invalid_argument);
  EXPECT_THROW(registry.add({.name = "none"}), std::invalid_argument);  // no factory
}

TEST(FixedKeepAlive, KeepsEveryIdleInstanceForItsTimeAndNeverPreWarms) {
  FixedKeepAlive policy(42.0);
  policy.on_idle_time(1e6);
  EXPECT_EQ(policy.on_instance_idle(10.0).keep_alive, 42.0);
  EXPECT_EQ(policy.on_instance_idle(10.0).prewarm, 0.0);
  EXPECT_THROW(FixedKeepAlive(-1.0), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::faas
