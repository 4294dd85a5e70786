#pragma once
// A sweep file (docs/sweeps.md): a base scenario, parameters to vary by `--set` path, policies to
// compare (named sets of overrides), replications or a sequential stopping rule.
//
//   name: minimal_rates
//   scenario: minimal.yaml                # relative to this file
//   seed: 7                               # base seed (default: the scenario's simulation.seed)
//   set: {simulation.horizon: 2000s}      # applied to every run
//   parameters:
//     grid: {workload.clients.arrivals.rate: [2/s, 4/s, 6/s, 8/s]}
//   policies:
//     fcfs: {device_types.server.discipline: fcfs}
//     ps:   {device_types.server.discipline: ps}
//   replications: 5                       # or stopping: {metric: latency_mean, relative_half_width: 0.05,
//   min: 5, max: 50}
//
// A policy is only a set of overrides, so any scenario field that selects behaviour is a policy
// axis (`early_exit.policy: knapsack` once early-exit policies are scenario fields).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/io/scenario_loader.hpp"
#include "sim/sweep/design.hpp"
#include "sim/sweep/metrics.hpp"

namespace continuum::sweep {

struct Policy {
  std::string name;
  std::vector<io::Override> overrides;
};

/// Add replications to a point until, for every policy, the Student-t half-width of `metric` at
/// `level` is at most `relative_half_width` · |mean| (or `max_replications` is reached).
struct StoppingRule {
  Metric metric = Metric::latency_mean;
  double relative_half_width = 0.05;
  std::uint32_t min_replications = 5;
  std::uint32_t max_replications = 50;
  double level = 0.95;
};

struct SweepSpec {
  std::string name;
  std::string description;
  std::filesystem::path file;           // the sweep file as given
  std::string text;                     // its bytes
  std::filesystem::path scenario_file;  // resolved against the sweep file's folder
  std::string scenario_text;            // its bytes
  std::uint64_t base_seed = 0;
  std::vector<io::Override> fixed;  // `set:`, applied to every run first
  Design design;
  /// Where each of design.parameters is written in the sweep file (errors in its values point there).
  std::vector<std::optional<io::SourcePlace>> parameter_places;
  std::vector<Policy> policies;    // never empty: without `policies:`, one policy "base"
  std::uint32_t replications = 1;  // per point and policy, when there is no stopping rule
  std::optional<StoppingRule> stopping;

  std::size_t point_count() const { return design.points.size(); }
  std::size_t policy_count() const { return policies.size(); }
  /// Identity of the results: FNV-1a of the sweep file and the scenario file. A journal or an
  /// output file made from other inputs is never mixed with this sweep's runs.
  std::string hash() const;
  /// The index of the policy called `name`, or nullopt.
  std::optional<std::size_t> find_policy(std::string_view name) const;
};

/// Reads and checks a sweep file and its scenario. Throws io::LoadError naming file, line, column
/// and field on any problem (an unknown field, a bad range, a policy and a parameter setting the
/// same path, fixed overrides the scenario rejects).
SweepSpec load_sweep(const std::filesystem::path& file);
/// The same from text; `file` names it in errors and anchors the relative scenario path.
SweepSpec parse_sweep(std::string_view text, const std::filesystem::path& file);

/// A sweep built in code (`continuum regress`): one point, the given policies and replications;
/// `seed` defaults to the scenario's. Throws io::LoadError when the scenario or `fixed` is bad.
SweepSpec single_point_sweep(std::string name, const std::filesystem::path& scenario_file,
                             std::vector<io::Override> fixed, std::vector<Policy> policies,
                             std::uint32_t replications, std::optional<std::uint64_t> seed = {});

/// Loads scenarios with the overrides of runs before any run starts, so that a bad value fails at
/// once rather than hours into a sweep; throws io::LoadError naming the point and the policy. With
/// `exhaustive`, every (point, policy) pair; otherwise every policy at the first point and, with the
/// first policy, the points holding each value of each parameter (for a numeric parameter, its
/// smallest and largest): every path and every value or range end is tried at least once.
void check_runs(const SweepSpec& spec, bool exhaustive);

/// The text of a YAML value as an override takes it: scalars as written, collections in flow style.
std::string override_text(const YAML::Node& node);

}  // namespace continuum::sweep
