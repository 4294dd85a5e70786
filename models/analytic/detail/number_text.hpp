#pragma once
// Shortest round-trip text of a double for error messages ("0.0001", "1e-300", "nan"), where
// std::to_string would print "0.000000".
#include <array>
#include <charconv>
#include <string>

namespace continuum::analytic::detail {

inline std::string number_text(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

}  // namespace continuum::analytic::detail
