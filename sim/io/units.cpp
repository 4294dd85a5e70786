#include "sim/io/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

namespace continuum::io {

namespace {

struct Unit {
  std::string_view symbol;
  double factor;  // SI value of one unit
};

// Unit symbols are case-sensitive: `MB` is megabytes, `Mb` megabits.
constexpr std::array time_units{
    Unit{"ns", 1e-9},  Unit{"us", 1e-6},  Unit{"µs", 1e-6},   Unit{"ms", 1e-3},           Unit{"s", 1.0},
    Unit{"min", 60.0}, Unit{"h", 3600.0}, Unit{"d", 86400.0}, Unit{"y", 365.0 * 86400.0},
};
// Bytes; bit units are 1/8 byte. Decimal prefixes are powers of 10, binary (KiB ...) powers of 2.
constexpr std::array data_units{
    Unit{"B", 1.0},
    Unit{"kB", 1e3},
    Unit{"MB", 1e6},
    Unit{"GB", 1e9},
    Unit{"TB", 1e12},
    Unit{"PB", 1e15},
    Unit{"KiB", 1024.0},
    Unit{"MiB", 1048576.0},
    Unit{"GiB", 1073741824.0},
    Unit{"TiB", 1099511627776.0},
    Unit{"b", 0.125},
    Unit{"bit", 0.125},
    Unit{"bits", 0.125},
    Unit{"kb", 125.0},
    Unit{"kbit", 125.0},
    Unit{"Mb", 1.25e5},
    Unit{"Mbit", 1.25e5},
    Unit{"Gb", 1.25e8},
    Unit{"Gbit", 1.25e8},
    Unit{"Tb", 1.25e11},
    Unit{"Tbit", 1.25e11},
};
// bit/s. `X/s` with a data unit X is accepted too (see unit_factor).
constexpr std::array bandwidth_units{
    Unit{"bps", 1.0},  Unit{"kbps", 1e3}, Unit{"Kbps", 1e3},
    Unit{"Mbps", 1e6}, Unit{"Gbps", 1e9}, Unit{"Tbps", 1e12},
};
constexpr std::array power_units{Unit{"mW", 1e-3}, Unit{"W", 1.0}, Unit{"kW", 1e3}, Unit{"MW", 1e6}};
constexpr std::array energy_units{
    Unit{"nJ", 1e-9}, Unit{"uJ", 1e-6}, Unit{"µJ", 1e-6},   Unit{"mJ", 1e-3},   Unit{"J", 1.0},
    Unit{"kJ", 1e3},  Unit{"MJ", 1e6},  Unit{"Wh", 3600.0}, Unit{"kWh", 3.6e6}, Unit{"MWh", 3.6e9},
};
constexpr std::array flop_units{
    Unit{"FLOP", 1.0},  Unit{"kFLOP", 1e3},  Unit{"MFLOP", 1e6},
    Unit{"GFLOP", 1e9}, Unit{"TFLOP", 1e12}, Unit{"PFLOP", 1e15},
};
constexpr std::array flop_rate_units{
    Unit{"FLOPS", 1.0},  Unit{"kFLOPS", 1e3},  Unit{"MFLOPS", 1e6},
    Unit{"GFLOPS", 1e9}, Unit{"TFLOPS", 1e12}, Unit{"PFLOPS", 1e15},
};
constexpr std::array dimensionless_units{Unit{"%", 0.01}};

template <std::size_t N>
std::optional<double> find(const std::array<Unit, N>& table, std::string_view symbol) {
  for (const Unit& unit : table)
    if (unit.symbol == symbol) return unit.factor;
  return std::nullopt;
}

// "X/Y" → (X, Y) split at the last '/', or nullopt.
std::optional<std::pair<std::string_view, std::string_view>> split_per(std::string_view unit) {
  const auto slash = unit.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return std::pair{unit.substr(0, slash), unit.substr(slash + 1)};
}

/// SI factor of `unit` in `dimension`, or nullopt when the unit does not measure that dimension.
/// The empty unit (a bare number) is the SI unit itself.
std::optional<double> unit_factor(std::string_view unit, Dimension dimension) {
  if (unit.empty()) return 1.0;
  switch (dimension) {
    case Dimension::time:
      return find(time_units, unit);
    case Dimension::data:
      return find(data_units, unit);
    case Dimension::bandwidth: {
      if (const auto factor = find(bandwidth_units, unit)) return factor;
      const auto per = split_per(unit);
      if (per && per->second == "s")
        if (const auto bytes = find(data_units, per->first)) return 8.0 * *bytes;
      return std::nullopt;
    }
    case Dimension::power:
      return find(power_units, unit);
    case Dimension::energy:
      return find(energy_units, unit);
    case Dimension::rate:
    case Dimension::money_rate: {
      // `30/min`: the number counts events (or money) per one time unit.
      if (unit.front() != '/') return std::nullopt;
      if (const auto seconds = find(time_units, unit.substr(1))) return 1.0 / *seconds;
      return std::nullopt;
    }
    case Dimension::money:
      return std::nullopt;
    case Dimension::flop:
      return find(flop_units, unit);
    case Dimension::flop_rate: {
      if (const auto factor = find(flop_rate_units, unit)) return factor;
      const auto per = split_per(unit);
      if (per && per->second == "s") return find(flop_units, per->first);
      return std::nullopt;
    }
    case Dimension::dimensionless:
      return find(dimensionless_units, unit);
  }
  return std::nullopt;
}

constexpr std::array all_dimensions{Dimension::time,  Dimension::data,      Dimension::bandwidth,
                                    Dimension::power, Dimension::energy,    Dimension::rate,
                                    Dimension::flop,  Dimension::flop_rate, Dimension::dimensionless};

template <std::size_t N>
std::string symbols(const std::array<Unit, N>& table, std::string_view prefix = "",
                    std::string_view suffix = "") {
  std::string out;
  for (const Unit& unit : table)
    out += (out.empty() ? "" : ", ") + std::string(prefix) + std::string(unit.symbol) + std::string(suffix);
  return out;
}

/// The units `dimension` accepts, for the message about an unknown one.
std::string known_units(Dimension dimension) {
  switch (dimension) {
    case Dimension::time:
      return symbols(time_units);
    case Dimension::data:
      return symbols(data_units);
    case Dimension::bandwidth:
      return symbols(bandwidth_units) + ", or a data unit per second (B/s, MB/s, Mb/s ...)";
    case Dimension::power:
      return symbols(power_units);
    case Dimension::energy:
      return symbols(energy_units);
    case Dimension::rate:
    case Dimension::money_rate:
      return "a number per time unit: " + symbols(time_units, "/");
    case Dimension::money:
      return "none (a bare number)";
    case Dimension::flop:
      return symbols(flop_units);
    case Dimension::flop_rate:
      return symbols(flop_rate_units) + ", or a FLOP unit per second (GFLOP/s ...)";
    case Dimension::dimensionless:
      return "none, or %";
  }
  return "";
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string expectation(Dimension dimension) {
  std::string text = "expected ";
  const std::string_view name = dimension_name(dimension);
  text += (name.front() == 'a' || name.front() == 'e') ? "an " : "a ";
  text += name;
  text += " such as ";
  text += dimension_examples(dimension);
  return text;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string_view dimension_name(Dimension dimension) {
  switch (dimension) {
    case Dimension::time:
      return "time";
    case Dimension::data:
      return "data size";
    case Dimension::bandwidth:
      return "bandwidth";
    case Dimension::power:
      return "power";
    case Dimension::energy:
      return "energy";
    case Dimension::rate:
      return "rate";
    case Dimension::money:
      return "money amount";
    case Dimension::money_rate:
      return "money rate";
    case Dimension::flop:
      return "FLOP count";
    case Dimension::flop_rate:
      return "FLOP rate";
    case Dimension::dimensionless:
      return "plain number";
  }
  return "quantity";
}

std::string_view dimension_examples(Dimension dimension) {
  switch (dimension) {
    case Dimension::time:
      return "10ms, 2.5s or 1h (bare number: seconds)";
    case Dimension::data:
      return "4.5MB, 2GiB or 800kb (bare number: bytes)";
    case Dimension::bandwidth:
      return "150Mbps, 1Gbps or 12.5MB/s (bare number: bit/s)";
    case Dimension::power:
      return "3.5W, 500mW or 1.2kW (bare number: W)";
    case Dimension::energy:
      return "10J, 5nJ or 2Wh (bare number: J)";
    case Dimension::rate:
      return "0.9/s, 30/min or 2/h (bare number: per second)";
    case Dimension::money:
      return "75 or 0.5 (a bare number in the currency unit)";
    case Dimension::money_rate:
      return "0.75/h or 12/d (bare number: per second)";
    case Dimension::flop:
      return "2.5GFLOP or 300MFLOP (bare number: FLOP)";
    case Dimension::flop_rate:
      return "13.5GFLOPS, 2TFLOP/s (bare number: FLOP/s)";
    case Dimension::dimensionless:
      return "0.25 or 25%";
  }
  return "";
}

double parse_quantity(std::string_view text, Dimension expected) {
  const std::string_view trimmed = trim(text);
  std::string_view rest = trimmed;
  // from_chars takes no leading '+', but YAML authors may write one.
  if (!rest.empty() && rest.front() == '+' && rest.size() > 1 && rest[1] != '-') rest.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (error != std::errc() || rest.empty()) {
    if (error == std::errc::result_out_of_range)
      throw std::invalid_argument(expectation(expected) + "; got " + quoted(text) +
                                  ", which is out of range");
    throw std::invalid_argument(expectation(expected) + "; got " + quoted(text) + ", which is not a number");
  }
  const std::string_view number = rest.substr(0, static_cast<std::size_t>(end - rest.data()));
  // from_chars reads "inf" and "nan"; a scenario value never means either.
  if (!std::isfinite(value))
    throw std::invalid_argument(expectation(expected) + "; got " + quoted(text) +
                                ", which is not a finite number");
  const std::string_view unit = trim(rest.substr(number.size()));
  if (const auto factor = unit_factor(unit, expected)) {
    const double result = value * *factor;
    if (!std::isfinite(result))
      throw std::invalid_argument(expectation(expected) + "; got " + quoted(text) +
                                  ", which is out of range");
    return result;
  }
  if (unit == "KB" || unit == "KB/s")
    throw std::invalid_argument("\"KB\" in " + quoted(text) +
                                " is ambiguous: write kB for 1000 bytes or KiB for 1024 bytes");
  for (Dimension other : all_dimensions)
    if (other != expected && unit_factor(unit, other))
      throw std::invalid_argument(expectation(expected) + "; got " + quoted(text) + ", which is a " +
                                  std::string(dimension_name(other)));
  throw std::invalid_argument(expectation(expected) + "; got " + quoted(text) + ", whose unit " +
                              quoted(unit) + " is unknown; " + std::string(dimension_name(expected)) +
                              " units: " + known_units(expected));
}

}  // namespace continuum::io
