#pragma once
// Loads a YAML scenario (docs/scenario-format.md) into a ScenarioSpec, validating everything before
// a run starts. Every problem is a LoadError naming file, line, column, field path and what was
// expected, with "did you mean" hints and the list of known names:
//   mask.yaml:14:5: device_types.pi.corez: unknown field "corez"; did you mean "cores"? known fields of a
//   device type: ...
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/early_exit/early_exit_spec.hpp"
#include "models/system/scenario_spec.hpp"
#include "sim/io/load_error.hpp"
#include "sim/io/units.hpp"

namespace continuum::io {

/// `--set path=value`. The path is dot-separated keys; a sequence item is addressed by its index
/// (`workload.0.arrivals.rate`) or by its `name` field (`workload.cameras.arrivals.rate`). The value
/// is YAML (`--set layers=[edge,cloud]`); an empty value is null, which restores a field's default.
struct Override {
  std::string path;
  std::string value;
  /// Where the override was written when it comes from a file (a sweep's `set:`, parameters and
  /// policies): errors in it then point there rather than at a `--set` argument.
  std::optional<SourcePlace> place = std::nullopt;
};

/// Splits "a.b.0.c=value" at the first '='. Throws LoadError (file "--set") on a missing '=' or an
/// empty path segment.
Override parse_override(std::string_view text);

struct LoadedScenario {
  ScenarioSpec spec;
  std::string file;                 // as given
  std::string text;                 // the scenario after overrides, as YAML (YAML::Emitter)
  std::string hash;                 // FNV-1a 64 of the original file's bytes, 16 hex digits
  std::vector<Override> overrides;  // as applied, in order
  /// Set when the file has a top-level `early_exit:` section: the pipeline to run with
  /// run_early_exit(); `spec` then holds only the name, simulation, device types, devices and source.
  std::optional<EarlyExitScenario> early_exit;
};

/// Reads `file`; relative CSV paths in it (traces, samples) resolve against its folder.
LoadedScenario load_scenario(const std::filesystem::path& file, const std::vector<Override>& overrides = {});

/// The same from text; `file_name` names it in errors, `base_dir` is where relative CSV paths resolve.
LoadedScenario load_scenario_text(std::string_view yaml, std::string_view file_name,
                                  const std::vector<Override>& overrides = {},
                                  const std::filesystem::path& base_dir = ".");

/// FNV-1a 64-bit hash of `bytes` as 16 lower-case hex digits (the scenario hash of the provenance).
std::string fnv1a64_hex(std::string_view bytes);

/// The closest of `known` to `name` by edit distance, if close enough to be a plausible typo; else "".
std::string closest_name(std::string_view name, const std::vector<std::string>& known);

}  // namespace continuum::io
