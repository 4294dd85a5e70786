#pragma once
// The result of one run of a sweep, and its one-line JSON form (journal lines, MPI messages).
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/sweep/metrics.hpp"
#include "sim/sweep/run_plan.hpp"

namespace continuum::sweep {

struct RunRecord {
  RunKey key;
  std::uint64_t seed = 0;
  RunMetrics metrics;
  double wall_time = 0.0;  // s, loading the scenario and simulating

  /// Same run, same figures to the last bit (the wall time is not a result).
  bool same_result(const RunRecord& other) const {
    return key == other.key && seed == other.seed && metrics.same_as(other.metrics);
  }
};

/// One line of JSON without the newline. Doubles are written in their shortest exact form, so
/// parse_record(record_json(r)) gives back r bit for bit; NaN is written as null.
std::string record_json(const RunRecord& record);
/// Throws std::invalid_argument when the text is not a record.
RunRecord parse_record(std::string_view text);

}  // namespace continuum::sweep
