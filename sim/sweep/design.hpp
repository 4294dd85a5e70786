#pragma once
// The points of a sweep: which values each varied `--set` path takes, point by point.
//
// Four ways to vary parameters (docs/sweeps.md), combined by a cartesian product of blocks:
//   grid  every combination of per-parameter value lists (the first parameter varies slowest);
//   zip   lists of equal length walked in step (point i takes the i-th value of each);
//   list  explicit points, each a full assignment;
//   lhs   a Latin hypercube over numeric ranges (McKay, Beckman & Conover 1979): each range is cut
//         into n equal strata and every stratum of every parameter holds exactly one of the n points.
// Values are kept as the text given to `--set` (`8/s`, `ps`, `[edge, cloud]`), so a sweep can vary
// any field the scenario format has, not only numbers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace continuum::sweep {

/// The parameter paths and, for each point, one value text per parameter.
/// A design with no parameters has exactly one point (the scenario as it is).
struct Design {
  std::vector<std::string> parameters;
  std::vector<std::vector<std::string>> points;  // points[p][k] is the value of parameters[k]
};

/// One axis: a path and the values it takes.
using Axis = std::pair<std::string, std::vector<std::string>>;

/// Every combination of the axes' values; the first axis varies slowest. Throws
/// std::invalid_argument on an axis without values or a path given twice.
Design grid_design(const std::vector<Axis>& axes);
/// Point i takes value i of every axis. Throws std::invalid_argument unless all lengths agree.
Design zip_design(const std::vector<Axis>& axes);
/// Explicit points over `parameters`; each row must hold one value per parameter.
Design list_design(std::vector<std::string> parameters, std::vector<std::vector<std::string>> rows);

/// A numeric range of a Latin hypercube, in the unit `unit` (a textual suffix such as "/s" or "ms",
/// appended to each generated number).
struct LhsRange {
  std::string parameter;
  double low = 0.0;
  double high = 0.0;
  std::string unit;
  bool log_scale = false;  // uniform in log(value): for ranges over orders of magnitude
};

/// `samples` points of a Latin hypercube over `ranges`, drawn from a generator seeded with `seed`:
/// for each range, a random permutation π of 0..n−1 and n uniform draws u_i; point i takes
/// low + (π(i) + u_i)/n · (high − low) (or the same in log space). Values are rounded to
/// `significant_digits` digits, so the texts stay readable; rounding can only move a value within
/// its stratum by one unit of that last digit.
Design latin_hypercube_design(const std::vector<LhsRange>& ranges, std::size_t samples, std::uint64_t seed,
                              int significant_digits = 6);

/// All pairs (a point of `slow`, a point of `fast`), `slow` varying slowest. Throws
/// std::invalid_argument when a parameter is in both.
Design product(const Design& slow, const Design& fast);

/// A number followed by a unit suffix, as scenario files write quantities: "2.5/s" → {2.5, "/s"},
/// "100ms" → {100, "ms"}, "7" → {7, ""}. nullopt when the text does not start with a number.
struct NumberWithUnit {
  double value = 0.0;
  std::string unit;
};
std::optional<NumberWithUnit> split_number(std::string_view text);

/// `value` with at most `significant_digits` significant digits (shortest form), then `unit`.
std::string format_number(double value, int significant_digits, std::string_view unit = {});

/// `count` values from `from` to `to` inclusive, evenly spaced (or geometrically when log_scale).
std::vector<double> spaced_values(double from, double to, std::size_t count, bool log_scale);
/// from, from + step, … up to `to` inclusive (with a tolerance of 1e-9 steps for rounding).
std::vector<double> stepped_values(double from, double to, double step);

}  // namespace continuum::sweep
