#pragma once
// The JSON summary of a run (MODELS.md §3), with provenance. Every key is documented in
// docs/output-format.md.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/accounting/run_summary.hpp"

namespace continuum::io {

struct Provenance {
  std::string scenario_file;
  std::string scenario_hash;
  std::vector<std::string> overrides;  // "path=value" as given
  double wall_seconds = 0.0;
};

nlohmann::json latency_json(const LatencyMeter& meter);
nlohmann::json summary_json(const RunSummary& summary, const Provenance& provenance);
/// Aggregate of several replications: each metric's mean with a Student-t 95 % interval.
nlohmann::json replications_json(const std::vector<RunSummary>& runs);

const char* git_revision_string();
/// An event fingerprint as 16 lower-case hex digits (JSON numbers lose bits above 2^53).
std::string fingerprint_text(std::uint64_t fingerprint);

}  // namespace continuum::io
