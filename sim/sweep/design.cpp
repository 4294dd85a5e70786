#include "sim/sweep/design.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <stdexcept>

#include <boost/random/uniform_int_distribution.hpp>

#include "sim/engine/random.hpp"

namespace continuum::sweep {

namespace {

void check_unique(const std::vector<std::string>& parameters) {
  std::set<std::string> seen;
  for (const auto& p : parameters)
    if (!seen.insert(p).second) throw std::invalid_argument("the parameter \"" + p + "\" is varied twice");
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Design grid_design(const std::vector<Axis>& axes) {
  Design design;
  for (const auto& [path, values] : axes) {
    if (values.empty()) throw std::invalid_argument("the grid axis \"" + path + "\" has no values");
    design.parameters.push_back(path);
  }
  check_unique(design.parameters);
  design.points.emplace_back();
  // Grow the product one axis at a time; the axis added last varies fastest.
  for (const auto& [path, values] : axes) {
    std::vector<std::vector<std::string>> next;
    next.reserve(design.points.size() * values.size());
    for (const auto& point : design.points)
      for (const auto& value : values) {
        next.push_back(point);
        next.back().push_back(value);
      }
    design.points = std::move(next);
  }
  return design;
}

Design zip_design(const std::vector<Axis>& axes) {
  Design design;
  if (axes.empty()) {
    design.points.emplace_back();
    return design;
  }
  const std::size_t length = axes.front().second.size();
  for (const auto& [path, values] : axes) {
    if (values.size() != length)
      throw std::invalid_argument("zipped lists must have equal lengths: \"" + axes.front().first +
                                  "\" has " + std::to_string(length) + " values, \"" + path + "\" has " +
                                  std::to_string(values.size()));
    design.parameters.push_back(path);
  }
  if (length == 0) throw std::invalid_argument("zipped lists are empty");
  check_unique(design.parameters);
  design.points.assign(length, {});
  for (const auto& axis : axes)
    for (std::size_t i = 0; i < length; ++i) design.points[i].push_back(axis.second[i]);
  return design;
}

Design list_design(std::vector<std::string> parameters, std::vector<std::vector<std::string>> rows) {
  check_unique(parameters);
  if (rows.empty()) throw std::invalid_argument("the list of points is empty");
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].size() != parameters.size())
      throw std::invalid_argument("point " + std::to_string(i) + " of the list gives " +
                                  std::to_string(rows[i].size()) + " values for " +
                                  std::to_string(parameters.size()) + " parameters");
  return {std::move(parameters), std::move(rows)};
}

Design latin_hypercube_design(const std::vector<LhsRange>& ranges, std::size_t samples, std::uint64_t seed,
                              int significant_digits) {
  if (samples == 0) throw std::invalid_argument("a Latin hypercube needs at least one sample");
  Design design;
  for (const auto& range : ranges) {
    if (!(range.low < range.high) || !std::isfinite(range.low) || !std::isfinite(range.high))
      throw std::invalid_argument("the range of \"" + range.parameter + "\" must have min < max");
    if (range.log_scale && !(range.low > 0.0))
      throw std::invalid_argument("the log-scale range of \"" + range.parameter + "\" must be positive");
    design.parameters.push_back(range.parameter);
  }
  check_unique(design.parameters);
  design.points.assign(samples, {});
  RandomEngine engine(seed);
  const double n = static_cast<double>(samples);
  for (const auto& range : ranges) {
    std::vector<std::size_t> stratum(samples);
    std::iota(stratum.begin(), stratum.end(), std::size_t{0});
    // Fisher–Yates with Boost distributions: the same permutation on every standard library.
    for (std::size_t i = samples - 1; i > 0; --i) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, i);
      std::swap(stratum[i], stratum[pick(engine)]);
    }
    const double low = range.log_scale ? std::log(range.low) : range.low;
    const double high = range.log_scale ? std::log(range.high) : range.high;
    for (std::size_t i = 0; i < samples; ++i) {
      const double x = (static_cast<double>(stratum[i]) + uniform_open01(engine)) / n;
      const double scaled = low + x * (high - low);
      design.points[i].push_back(
          format_number(range.log_scale ? std::exp(scaled) : scaled, significant_digits, range.unit));
    }
  }
  return design;
}

Design product(const Design& slow, const Design& fast) {
  Design design;
  design.parameters = slow.parameters;
  design.parameters.insert(design.parameters.end(), fast.parameters.begin(), fast.parameters.end());
  check_unique(design.parameters);
  design.points.reserve(slow.points.size() * fast.points.size());
  for (const auto& a : slow.points)
    for (const auto& b : fast.points) {
      design.points.push_back(a);
      design.points.back().insert(design.points.back().end(), b.begin(), b.end());
    }
  return design;
}

std::optional<NumberWithUnit> split_number(std::string_view text) {
  std::string_view rest = trim(text);
  if (!rest.empty() && rest.front() == '+' && rest.size() > 1 && rest[1] != '-') rest.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (error != std::errc() || !std::isfinite(value)) return std::nullopt;
  return NumberWithUnit{value, std::string(trim(std::string_view(end, rest.data() + rest.size() - end)))};
}

std::string format_number(double value, int significant_digits, std::string_view unit) {
  char rounded_text[64];
  std::snprintf(rounded_text, sizeof rounded_text, "%.*g", std::clamp(significant_digits, 1, 17), value);
  double rounded = 0.0;
  std::from_chars(rounded_text, rounded_text + std::char_traits<char>::length(rounded_text), rounded);
  if (rounded == 0.0) rounded = 0.0;  // no "-0"
  // Plain decimals in the everyday range, scientific outside it; both the shortest exact form.
  const double magnitude = std::fabs(rounded);
  const auto format = magnitude != 0.0 && (magnitude < 1e-4 || magnitude >= 1e15)
                          ? std::chars_format::scientific
                          : std::chars_format::fixed;
  char out[64];
  const auto result = std::to_chars(out, out + sizeof out, rounded, format);
  return std::string(out, result.ptr) + std::string(unit);
}

std::vector<double> spaced_values(double from, double to, std::size_t count, bool log_scale) {
  if (count == 0) throw std::invalid_argument("a range needs a count of at least 1");
  if (log_scale && !(from > 0.0 && to > 0.0))
    throw std::invalid_argument("a log-scale range needs positive ends");
  std::vector<double> values;
  if (count == 1) return {from};
  const double a = log_scale ? std::log(from) : from;
  const double b = log_scale ? std::log(to) : to;
  for (std::size_t i = 0; i < count; ++i) {
    // Ends exactly as written; in between, interpolated.
    const double x = i == 0           ? a
                     : i + 1 == count ? b
                                      : a + (b - a) * static_cast<double>(i) / static_cast<double>(count - 1);
    values.push_back(i == 0 ? from : i + 1 == count ? to : (log_scale ? std::exp(x) : x));
  }
  return values;
}

std::vector<double> stepped_values(double from, double to, double step) {
  if (!(step != 0.0) || !std::isfinite(step)) throw std::invalid_argument("a range's step must be non-zero");
  if ((to - from) / step < 0.0) throw std::invalid_argument("a range's step goes away from its end");
  const double steps = std::floor((to - from) / step + 1e-9);
  if (steps > 1e7) throw std::invalid_argument("a range of more than ten million values");
  std::vector<double> values;
  for (double i = 0; i <= steps; i += 1.0) values.push_back(from + i * step);
  return values;
}

}  // namespace continuum::sweep
