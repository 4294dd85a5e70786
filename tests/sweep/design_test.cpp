#include "sim/sweep/design.hpp"

#include <cmath>
#include <set>
#include <stdexcept>

#include <gtest/gtest.h>

namespace continuum::sweep {
namespace {

using Points = std::vector<std::vector<std::string>>;

TEST(GridDesign, TakesEveryCombinationWithTheFirstAxisVaryingSlowest) {
  const Design d = grid_design({{"rate", {"2/s", "4/s"}}, {"discipline", {"fcfs", "ps", "lifo"}}});
  EXPECT_EQ(d.parameters, (std::vector<std::string>{"rate", "discipline"}));
  EXPECT_EQ(
      d.points,
      (Points{
          {"2/s", "fcfs"}, {"2/s", "ps"}, {"2/s", "lifo"}, {"4/s", "fcfs"}, {"4/s", "ps"}, {"4/s", "lifo"}}));
}

TEST(GridDesign, RefusesAnEmptyAxisAndARepeatedPath) {
  EXPECT_THROW(grid_design({{"rate", {}}}), std::invalid_argument);
  EXPECT_THROW(grid_design({{"rate", {"1"}}, {"rate", {"2"}}}), std::invalid_argument);
}

TEST(ZipDesign, WalksTheListsInStep) {
  const Design d = zip_design({{"rate", {"2/s", "4/s", "6/s"}}, {"count", {"1", "2", "3"}}});
  EXPECT_EQ(d.points, (Points{{"2/s", "1"}, {"4/s", "2"}, {"6/s", "3"}}));
}

TEST(ZipDesign, RefusesListsOfDifferentLengths) {
  EXPECT_THROW(zip_design({{"rate", {"2/s", "4/s"}}, {"count", {"1"}}}), std::invalid_argument);
}

TEST(ListDesign, KeepsExplicitPointsAndChecksTheirWidth) {
  const Design d = list_design({"a", "b"}, {{"1", "x"}, {"2", "y"}});
  EXPECT_EQ(d.points.size(), 2u);
  EXPECT_THROW(list_design({"a", "b"}, {{"1"}}), std::invalid_argument);
}

TEST(Product, CombinesBlocksAndAnEmptyDesignIsItsIdentity) {
  Design identity;
  identity.points.emplace_back();
  const Design grid = grid_design({{"a", {"1", "2"}}});
  const Design zip = zip_design({{"b", {"x", "y", "z"}}, {"c", {"p", "q", "r"}}});
  EXPECT_EQ(product(identity, grid).points, grid.points);
  const Design both = product(grid, zip);
  EXPECT_EQ(both.parameters, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(both.points.size(), 6u);
  EXPECT_EQ(both.points[4], (std::vector<std::string>{"2", "y", "q"}));
  EXPECT_THROW(product(grid, grid), std::invalid_argument);
}

/// The stratum (0..n−1) of a generated value.
std::size_t stratum_of(const std::string& text, const LhsRange& range, std::size_t n) {
  const auto parsed = split_number(text);
  EXPECT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->unit, range.unit);
  const double x = range.log_scale ? (std::log(parsed->value) - std::log(range.low)) /
                                         (std::log(range.high) - std::log(range.low))
                                   : (parsed->value - range.low) / (range.high - range.low);
  return static_cast<std::size_t>(std::floor(x * static_cast<double>(n)));
}

TEST(LatinHypercube, PutsExactlyOnePointInEveryStratumOfEveryRange) {
  const std::vector<LhsRange> ranges{{"rate", 1.0, 9.0, "/s", false}, {"size", 1e3, 1e9, "B", true}};
  const std::size_t n = 50;
  // 12 digits: rounding cannot move a value across a stratum boundary here.
  const Design d = latin_hypercube_design(ranges, n, 42, 12);
  ASSERT_EQ(d.points.size(), n);
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    std::set<std::size_t> strata;
    for (const auto& point : d.points) strata.insert(stratum_of(point[k], ranges[k], n));
    EXPECT_EQ(strata.size(), n) << ranges[k].parameter;
    EXPECT_EQ(*strata.rbegin(), n - 1);
  }
}

TEST(LatinHypercube, IsRepeatableFromItsSeedAndChangesWithIt) {
  const std::vector<LhsRange> ranges{{"rate", 1.0, 9.0, "/s", false}, {"cores", 1.0, 16.0, "", false}};
  EXPECT_EQ(latin_hypercube_design(ranges, 8, 7).points, latin_hypercube_design(ranges, 8, 7).points);
  EXPECT_NE(latin_hypercube_design(ranges, 8, 7).points, latin_hypercube_design(ranges, 8, 8).points);
}

TEST(LatinHypercube, RefusesEmptyAndNonPositiveLogRanges) {
  EXPECT_THROW(latin_hypercube_design({{"a", 2.0, 2.0, "", false}}, 4, 1), std::invalid_argument);
  EXPECT_THROW(latin_hypercube_design({{"a", 0.0, 2.0, "", true}}, 4, 1), std::invalid_argument);
  EXPECT_THROW(latin_hypercube_design({{"a", 0.0, 2.0, "", false}}, 0, 1), std::invalid_argument);
}

TEST(SplitNumber, SeparatesTheNumberFromItsUnit) {
  EXPECT_DOUBLE_EQ(split_number("2.5/s")->value, 2.5);
  EXPECT_EQ(split_number("2.5/s")->unit, "/s");
  EXPECT_EQ(split_number("100 ms")->unit, "ms");
  EXPECT_DOUBLE_EQ(split_number("1e3")->value, 1000.0);
  EXPECT_EQ(split_number("1e3")->unit, "");
  EXPECT_FALSE(split_number("ps").has_value());
  EXPECT_FALSE(split_number("nan").has_value());
}

TEST(FormatNumber, WritesTheShortestPlainDecimal) {
  EXPECT_EQ(format_number(0.1 + 0.2, 12, "/s"), "0.3/s");
  EXPECT_EQ(format_number(1e6, 6), "1000000");
  EXPECT_EQ(format_number(4.123456789, 4, "ms"), "4.123ms");
  EXPECT_EQ(format_number(-0.0, 6), "0");
  EXPECT_EQ(format_number(2.5e-7, 6), "2.5e-07");
}

TEST(RangeValues, StepAndCountIncludeBothEnds) {
  EXPECT_EQ(stepped_values(2.0, 8.0, 2.0), (std::vector<double>{2.0, 4.0, 6.0, 8.0}));
  EXPECT_EQ(stepped_values(0.0, 1.0, 0.1).size(), 11u);  // 10 steps despite 0.1 not being exact
  const auto log = spaced_values(1.0, 1000.0, 4, true);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_NEAR(log[1], 10.0, 1e-9);
  EXPECT_EQ(log[3], 1000.0);
  EXPECT_THROW(stepped_values(8.0, 2.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace continuum::sweep
