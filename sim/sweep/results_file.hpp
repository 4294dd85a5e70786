#pragma once
// The HDF5 file of a sweep (docs/sweeps.md, "Output file"):
//   /runs    one row per run: policy, point, replication, seed, the point's parameter values,
//            every metric (metrics.hpp), offered/completed/lost requests, events, wall_time
//   /points  one row per (point, policy): parameters, replications, and per metric its mean,
//            <metric>_stddev and <metric>_half_width (Student-t, 95 %)
//   /design  one row per point: the parameter values as written in the sweep file
//   /sweep, /scenario   the sweep file and the scenario file, verbatim
//   root attributes: format, version, provenance, policies and their overrides, shards, seed.
// A parameter whose every value is a number (with or without a unit) is a float64 column in SI
// units in /runs and /points; any other parameter is a string column. Files are written under a
// temporary name and renamed into place: a crash never leaves a partial file under the final name.
#include <filesystem>
#include <ios>
#include <string>

#include "sim/sweep/results.hpp"

namespace continuum::sweep {

/// A results file that cannot be read or written. what() is the message alone (a plain
/// std::ios_base::failure appends ": iostream error" to it).
class ResultsFileError : public std::ios_base::failure {
 public:
  explicit ResultsFileError(std::string message);
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// Writes `results` to `path` atomically. Throws ResultsFileError naming the path on error.
void write_results(const std::filesystem::path& path, const SweepResults& results);

/// Reads a file written by write_results. Throws ResultsFileError naming the path when it
/// cannot be read or is not a sweep file.
SweepResults read_results(const std::filesystem::path& path);

}  // namespace continuum::sweep
