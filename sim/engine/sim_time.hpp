#pragma once
// Simulated time: seconds as a double. A double keeps sub-nanosecond resolution for runs of up to
// ~10^6 s (53-bit mantissa), which covers the horizons continuum targets; ties at equal times are
// broken by the event queue's insertion sequence, never by floating-point noise.
#include <limits>

namespace continuum {

using SimTime = double;
inline constexpr SimTime time_infinity = std::numeric_limits<double>::infinity();

}  // namespace continuum
