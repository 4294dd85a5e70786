#pragma once
// Which runs a sweep makes, with which seed and overrides, and which of them a shard owns.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/io/scenario_loader.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace continuum::sweep {

/// One run: a policy at a point, replication r.
struct RunKey {
  std::uint32_t point = 0;
  std::uint32_t policy = 0;
  std::uint32_t replication = 0;
  auto operator<=>(const RunKey&) const = default;
};

/// The master seed of replication `replication` at point `point`:
///   stream_seed(base_seed, "sweep/point/<point>/replication/<replication>")
/// (FNV-1a of the name mixed with the seed by SplitMix64, sim/engine/random.hpp). The policy is not
/// an input: every policy at a point and replication sees the same seed, hence the same arrivals and
/// service draws (common random numbers), and differences between policies are not noise of the
/// draws. The seed does not depend on the thread, shard or rank that makes the run.
std::uint64_t run_seed(std::uint64_t base_seed, std::uint32_t point, std::uint32_t replication);

/// The overrides of a run, in order: the sweep's `set`, the point's parameters, the policy's
/// overrides, then simulation.seed = run_seed(…) and simulation.replications = 1.
std::vector<io::Override> run_overrides(const SweepSpec& spec, const RunKey& key);

/// `--shard i/N`: shard i of N (0 ≤ i < N). Shards partition a sweep deterministically:
/// with a fixed replication count, run k (in point, replication, policy order) belongs to shard
/// k mod N; with a stopping rule, whose replication count per point is only known as results
/// come in, whole points do: point p belongs to shard p mod N.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  bool whole() const { return count == 1; }
  std::string to_string() const;  // "i/N"
};

/// Parses "i/N"; throws std::invalid_argument with the expected form on anything else.
Shard parse_shard(std::string_view text);

/// Position of a run in the enumeration of a fixed-replication sweep: point-major, then
/// replication, then policy (so the policies of one replication run side by side).
std::uint64_t run_ordinal(const SweepSpec& spec, const RunKey& key);

/// Whether `shard` owns the run `key` (see Shard).
bool shard_owns(const SweepSpec& spec, const Shard& shard, const RunKey& key);

}  // namespace continuum::sweep
