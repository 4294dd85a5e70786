#pragma once
// Import of SPACE4AI-D's native JSON system description and export of its solution JSON.
//
// Two input forms are accepted, and may be mixed:
//  • AI-SPRINT D2.1 Appendix C: `CompatibilityMatrix` lists resource names per partition, the
//    partition's memory sits in `Components`, demands in `DemandMatrix` (component → partition →
//    resource → seconds, or [warm, cold] for a FaaS configuration, as PACSLTKSTATIC);
//  • the later SPACE4AI-D tools: `CompatibilityMatrix` lists {"resource": name, "memory": MB}
//    per partition, demands sit in `Performance` (component → partition → resource →
//    {"model": "QTedge"|"QTcloud", "demand": s} or {"model": "PACSLTK"|"PACSLTKSTATIC",
//    "demandWarm": s, "demandCold": s}), FaaS resources carry `idle_time_before_kill` and the
//    FaaS layer an optional `transition_cost`.
// In both, a partition's `next` and `data_size` are a string/number or lists of them.
//
// Units of the files (SPACE4AI-D computes transfer = AccessDelay + data_size / Bandwidth, so data
// sizes are read as megabits when bandwidths are megabits per second):
//   Lambda req/s · demands, response-time bounds, AccessDelay, idle_time_before_kill s ·
//   Bandwidth Mbit/s · data_size Mbit · memory MiB · cost per hour (edge/VM: per instance-hour,
//   FaaS: per hour of warm execution) · transition_cost per invocation · Time (horizon) hours
//   (default 1) · optional extension: idle_power / busy_power in W on any resource.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "models/placement/evaluation.hpp"
#include "models/placement/placement.hpp"
#include "models/placement/placement_problem.hpp"

namespace continuum::io {

/// A SPACE4AI-D file that cannot be read. what() names the file and either the line and column of
/// a syntax error or the JSON path of the offending value and what was expected there, e.g.
/// `mask.json: at /Components/c1/s1/h1/early_exit_probability: expected a number in [0, 1), got "x"`.
class Space4aiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Space4aiImportOptions {
  std::optional<double> arrival_rate;  // overrides the file's Lambda (req/s)
};

/// Reads and converts a SPACE4AI-D system description; throws Space4aiError.
placement::PlacementProblem read_space4ai_json(const std::string& path,
                                               const Space4aiImportOptions& options = {});

/// The same from text; `source` names it in error messages.
placement::PlacementProblem parse_space4ai_json(std::string_view text, std::string_view source,
                                                const Space4aiImportOptions& options = {});

/// The placement in SPACE4AI-D's solution shape: "Lambda"; "components" → component → deployment →
/// partition → layer → resource {description, cost, memory, number} (FaaS: {description, cost,
/// memory, idle_time_before_kill, transition_cost}) with each partition's "response_time", the
/// component's "response_time" and "response_time_threshold" ("inf" when unbounded);
/// "global_constraints" → path {components, global_res_time, path_response_time_threshold,
/// path_response_time}; "total_cost"; "feasible". Costs and memory in the file's units.
nlohmann::ordered_json space4ai_solution_json(const placement::PlacementProblem& problem,
                                              const placement::Placement& placement,
                                              const placement::Evaluation& evaluation);

}  // namespace continuum::io
