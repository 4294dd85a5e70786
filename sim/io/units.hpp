#pragma once
// Quantities with units in scenario files (MODELS.md §0): `10ms`, `150Mbps`, `4.5MB`, `2GiB`, `0.75/h`,
// `3.5W`. A bare number is already in the SI unit of the field. Every accepted unit is listed in
// docs/scenario-format.md ("Units").
#include <string>
#include <string_view>

namespace continuum::io {

/// What a field measures, and so which units it accepts. The value returned by parse_quantity is in
/// the SI unit of the dimension: s, bytes, bit/s, W, J, 1/s, money, money/s, FLOP, FLOP/s, 1.
enum class Dimension {
  time,
  data,
  bandwidth,
  power,
  energy,
  rate,
  money,
  money_rate,
  flop,
  flop_rate,
  dimensionless
};

/// Parses `<number>[ ]<unit>` into the SI value of `expected`. Throws std::invalid_argument whose
/// message says what was expected with an example, and, when the unit belongs to another dimension,
/// which one (`expected a bandwidth such as 150Mbps, 1Gbps or 12.5MB/s; got "10ms", which is a time`).
/// NaN and infinities are refused; the sign is kept (range checks belong to the field).
double parse_quantity(std::string_view text, Dimension expected);

/// "time", "data size", "bandwidth", ... as used in messages.
std::string_view dimension_name(Dimension dimension);

/// A few typical spellings, e.g. "10ms, 2.5s or 1h".
std::string_view dimension_examples(Dimension dimension);

}  // namespace continuum::io
