#pragma once
// The subcommands of the `continuum` program. Each lives in its own file and returns the
// process exit code: 0 success, 1 a run that completed but failed a check, 2 bad input.
#include <string>
#include <vector>

namespace continuum::cli {

using Arguments = std::vector<std::string>;  // the arguments after the subcommand name

int run_command(const Arguments& args);
int analytic_command(const Arguments& args);
int optimize_command(const Arguments& args);
int sweep_command(const Arguments& args);
int merge_command(const Arguments& args);
int regress_command(const Arguments& args);
int fingerprints_command(const Arguments& args);

/// `--max-wall` of run and sweep: a positive time ("30s", "5min") in seconds; throws
/// std::invalid_argument naming the option otherwise.
double parse_wall_limit(const std::string& text);

}  // namespace continuum::cli
