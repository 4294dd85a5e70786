#pragma once
// `continuum optimize --verify`: simulate a chosen placement with the discrete-event model (the
// SystemModel that `continuum run` uses) over independent replications, and set the simulated mean
// response time of each component and path, with a Student-t confidence interval over the
// replication means, against the evaluator's prediction.
#include <cstdint>
#include <string>
#include <vector>

#include "models/faas/faas_platform.hpp"
#include "models/placement/evaluation.hpp"
#include "models/placement/placement_problem.hpp"
#include "models/system/scenario_spec.hpp"
#include "sim/engine/stats/confidence.hpp"

namespace continuum::placement {

/// One component or path: predicted (evaluator) against simulated (DES) mean response time.
struct VerifiedResponse {
  std::string name;
  double predicted = 0.0;                 // s
  stats::ConfidenceInterval simulated{};  // s, over the replication means
  std::uint64_t samples = 0;              // requests measured, all replications together
  /// (simulated mean − predicted) / predicted; NaN when the prediction is 0 (a pass-through).
  double relative_difference() const;
};

struct PlacementVerification {
  int replications = 0;
  std::uint64_t seed = 0;
  double level = 0.95;
  std::vector<VerifiedResponse> components;  // in the problem's component order
  std::vector<VerifiedResponse> paths;       // in the problem's path-constraint order
};

struct VerificationOptions {
  int replications = 10;
  std::uint64_t seed = 1;  // replication r runs with replication_seed(seed, r)
  unsigned threads = 1;    // replications run in parallel; the result does not depend on it
  double level = 0.95;
  FaasPlatform::PolicyFactory keep_alive_policies;  // empty: fixed keep-alives
};

/// Simulates `design_scenario` (the scenario with the placement applied) and compares it with
/// `evaluation` (a full evaluation of that placement on `problem`). Components and paths are matched
/// by name. Throws std::invalid_argument when one of the problem's components or paths is missing
/// from the scenario, or when `replications` < 2 (no confidence interval).
PlacementVerification verify_placement(const ScenarioSpec& design_scenario, const PlacementProblem& problem,
                                       const Evaluation& evaluation, const VerificationOptions& options);

}  // namespace continuum::placement
