#pragma once

#include <span>

namespace continuum::early_exit {

/// One exit gate of a multi-exit network as seen from the device that serves it (MODELS.md §2, §6).
/// Gates are numbered from the shallowest (0) to the deepest (E − 1).
struct Gate {
  double mean_time;  ///< s: mean time to run the network up to gate e and evaluate its classifier.
  double variance;   ///< s²: variance of that time (0 for a deterministic gate).
  double accuracy;   ///< in [0, 1]: probability that an input leaving at gate e is classified correctly.
};

/// Throws std::invalid_argument unless `gates` is non-empty and every gate has a finite mean_time > 0,
/// a finite variance ≥ 0 and an accuracy in [0, 1]. `who` names the caller in the message.
void validate_gates(std::span<const Gate> gates, const char* who);

}  // namespace continuum::early_exit
