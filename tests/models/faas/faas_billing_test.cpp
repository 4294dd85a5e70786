#include "models/faas/faas_billing.hpp"

#include <gtest/gtest.h>

namespace continuum {
namespace {

TEST(FaasBilling, ChargesGigabyteSecondsAndInvocations) {
  // AWS Lambda's example price: 128 MiB for 1 s is 0.125 GB-s.
  const FaasPricing pricing{.price_per_gb_second = 0.0000166667, .price_per_invocation = 0.0000002};
  EXPECT_DOUBLE_EQ(pay_per_use_cost(pricing, 128.0 * 1024 * 1024, 1e6, 1000000),
                   0.125 * 1e6 * 0.0000166667 + 0.2);
}

TEST(FaasBilling, BillsTheMeanWarmTimeForAColdStartWhenColdTimeIsFree) {
  const FaasPricing billed{.bill_cold_time = true};
  const FaasPricing free{.bill_cold_time = false};
  EXPECT_DOUBLE_EQ(billed_duration(billed, true, 7.0, 2.0), 7.0);
  EXPECT_DOUBLE_EQ(billed_duration(free, true, 7.0, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(billed_duration(free, false, 3.0, 2.0), 3.0);
}

TEST(FaasBilling, Space4aiCostIsPricePerHourTimesWarmTimeRateAndHorizon) {
  // 0.75 per hour of warm execution, w = 2 s, λ = 10/s, T = 1 h: 10·3600 calls × 2 s = 20 h → 15.
  EXPECT_DOUBLE_EQ(space4ai_faas_cost(0.75 / 3600.0, 2.0, 10.0, 3600.0), 15.0);
  // A transition cost per call adds 36000 calls × 0.001.
  EXPECT_DOUBLE_EQ(space4ai_faas_cost(0.75 / 3600.0, 2.0, 10.0, 3600.0, 0.001), 15.0 + 36.0);
}

TEST(FaasBilling, DerivesTheWarmSecondPriceFromMemoryUnlessGiven) {
  FaasFunctionSpec function{.name = "f", .memory = 2.0 * bytes_per_gib};
  const FaasPricing pricing{.price_per_gb_second = 0.5};
  EXPECT_DOUBLE_EQ(warm_second_price(function, pricing), 1.0);
  function.price_per_warm_second = 0.25;
  EXPECT_DOUBLE_EQ(warm_second_price(function, pricing), 0.25);
}

}  // namespace
}  // namespace continuum
