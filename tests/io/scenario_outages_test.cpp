// The `outages` fields of links and network domains (docs/scenario-format.md, "outages").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/io/load_error.hpp"
#include "sim/io/scenario_loader.hpp"

namespace continuum::io {
namespace {

using ::testing::HasSubstr;

const std::string file = std::string(CONTINUUM_SOURCE_DIR) + "/scenarios/link_outages.yaml";

std::string error_of(const std::string& outages) {
  try {
    load_scenario(file, {{"network.topology.links.1.outages", outages}});
  } catch (const LoadError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ScenarioOutages, ReadsWindowsRandomOutagesAndTheFailureAction) {
  const auto spec = load_scenario(file).spec;
  ASSERT_EQ(spec.topology.links.size(), 2u);
  EXPECT_FALSE(spec.topology.links[0].outages.has_value());
  const auto& outages = spec.topology.links[1].outages;
  ASSERT_TRUE(outages.has_value());
  EXPECT_EQ(outages->windows, (std::vector<std::pair<SimTime, SimTime>>{{1000.0, 1300.0}}));
  EXPECT_EQ(outages->mttf, 1200.0);
  EXPECT_EQ(outages->mttr, 30.0);
  EXPECT_TRUE(outages->retry);
  EXPECT_EQ(outages->max_retries, 5);
  EXPECT_EQ(outages->retry_delay, 10.0);
}

TEST(ScenarioOutages, BadOutagesAreErrorsThatNameTheField) {
  EXPECT_THAT(error_of("{windows: [[50s, 40s]]}"), HasSubstr("must end after it starts"));
  EXPECT_THAT(error_of("{windows: [[50s, 40s]]}"), HasSubstr("outages.windows"));
  EXPECT_THAT(error_of("{windows: [[50s]]}"), HasSubstr("[start, end]"));
  EXPECT_THAT(error_of("{windows: [[10s, 5MB]]}"), HasSubstr("outages.windows"));
  EXPECT_THAT(error_of("{mttf: 1h}"), HasSubstr("both mttf and mttr"));
  EXPECT_THAT(error_of("{on_failure: retry}"), HasSubstr("need windows, or mttf and mttr"));
  EXPECT_THAT(error_of("{mttf: 1h, mttr: 1s, on_failure: maybe}"), HasSubstr("on_failure"));
  EXPECT_THAT(error_of("{mttf: 1h, mttr: 1s, retries: 2}"), HasSubstr("unknown field \"retries\""));
}

}  // namespace
}  // namespace continuum::io
