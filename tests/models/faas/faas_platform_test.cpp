#include "models/faas/faas_platform.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "models/faas/faas_billing.hpp"

namespace continuum {
namespace {

struct Collector final : FaasClient {
  void on_faas_done(JobId job, const FaasCompletion& completion) override {
    jobs.push_back(job);
    finishes.push_back(completion.finish);
  }
  std::vector<JobId> jobs;
  std::vector<SimTime> finishes;
};

class CountingPolicy final : public KeepAlivePolicy {
 public:
  explicit CountingPolicy(double keep_alive) : keep_alive_(keep_alive) {}
  std::string_view name() const override { return "counting"; }
  KeepAliveDecision on_instance_idle(SimTime) override { return {0.0, keep_alive_}; }

 private:
  double keep_alive_;
};

FaasPlatformSpec two_functions() {
  return {.name = "lambda",
          .layer = "cloud",
          .price_per_gb_second = 1.0,
          .price_per_invocation = 0.5,
          .functions = {{.name = "resize",
                         .memory = bytes_per_gib,
                         .warm = Distribution::deterministic(1.0),
                         .cold = Distribution::exponential(2.0)},
                        {.name = "detect",
                         .memory = 2 * bytes_per_gib,
                         .warm = Distribution::deterministic(3.0),
                         .cold = Distribution::deterministic(4.0)}}};
}

TEST(FaasPlatform, FindsItsFunctionsByNameAndListsThemWhenOneIsUnknown) {
  Simulation simulation(1);
  Collector client;
  FaasPlatform platform(simulation, two_functions(), client);
  ASSERT_EQ(platform.size(), 2u);
  EXPECT_EQ(platform.function("detect").spec().memory, 2 * bytes_per_gib);
  EXPECT_EQ(platform.find("nothing"), nullptr);
  try {
    platform.function("detct");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), testing::HasSubstr("unknown function \"detct\"; known: resize, detect"));
  }
}

TEST(FaasPlatform, RefusesTwoFunctionsWithOneName) {
  Simulation simulation(1);
  Collector client;
  FaasPlatformSpec spec = two_functions();
  spec.functions[1].name = "resize";
  EXPECT_THROW(FaasPlatform(simulation, spec, client), std::invalid_argument);
}

TEST(FaasPlatform, RunsEachFunctionWithItsPolicyStreamsAndThePlatformPrices) {
  Simulation simulation(9);
  Collector client;
  int made = 0;
  FaasPlatform platform(simulation, two_functions(), client, [&](const FaasFunctionSpec& function) {
    ++made;
    return std::make_unique<CountingPolicy>(function.name == "resize" ? 5.0 : 500.0);
  });
  EXPECT_EQ(made, 2);
  ASSERT_TRUE(platform.function("resize").invoke(1));
  ASSERT_TRUE(platform.function("detect").invoke(2));
  simulation.run({.until = 100.0});
  // The resize cold time comes from the platform-qualified stream.
  Simulation reference(9);
  const double cold =
      Distribution::exponential(2.0).sample(reference.random_stream("faas/lambda/resize/cold"));
  ASSERT_EQ(client.jobs, (std::vector<JobId>{cold < 4.0 ? 1u : 2u, cold < 4.0 ? 2u : 1u}));
  EXPECT_DOUBLE_EQ(client.finishes[cold < 4.0 ? 0 : 1], cold);
  // Policies: resize's instance expired 5 s after its cold start, detect's is still there.
  EXPECT_EQ(platform.function("resize").instances(), 0u);
  EXPECT_EQ(platform.function("detect").instances(), 1u);
  // Cost: resize 1 GiB × cold s + 0.5; detect 2 GiB × 4 s + 0.5.
  const auto reports = platform.reports(100.0);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].name, "resize");
  EXPECT_DOUBLE_EQ(platform.cost(100.0), cold + 0.5 + 8.0 + 0.5);
  platform.reset_statistics(100.0);
  EXPECT_EQ(platform.reports(100.0)[1].arrivals, 0u);
}

}  // namespace
}  // namespace continuum
