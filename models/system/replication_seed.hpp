#pragma once
// Seeds of independent replications, shared by `continuum run` and `continuum optimize --verify`.
#include <cstdint>
#include <string>

#include "sim/engine/random.hpp"

namespace continuum {

/// Replication 0 uses the master seed itself (so a single run reproduces `--seed N`); replication
/// r > 0 uses stream_seed(seed, "replication/<r>").
inline std::uint64_t replication_seed(std::uint64_t seed, int replication) {
  return replication == 0 ? seed : stream_seed(seed, "replication/" + std::to_string(replication));
}

}  // namespace continuum
