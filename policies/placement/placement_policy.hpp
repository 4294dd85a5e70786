#pragma once
// Design-time placement policies (MODELS.md §5): all take the same problem, through its
// evaluator, and return the best placement found with its evaluation. All are seeded, respect an
// iteration and a wall-clock budget, and are reproducible for a given seed.
//
// Policies: random_greedy, local_search, tabu, exact, all_edge, all_cloud, all_faas.
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/placement/evaluation.hpp"
#include "models/placement/placement.hpp"
#include "models/placement/placement_evaluator.hpp"

namespace continuum::placement {

struct SearchBudget {
  std::uint64_t iterations = 1000;                              // random-greedy iterations
  double time_limit = std::numeric_limits<double>::infinity();  // s of wall-clock time, whole run
};

/// Parameters shared by the policies; each reads those it needs.
struct PlacementPolicyParameters {
  std::uint64_t seed = 1;
  unsigned threads = 1;                   // random greedy: worker threads
  std::size_t elite_size = 5;             // random greedy: best distinct placements kept
  std::uint64_t search_iterations = 200;  // local search: accepted moves per start; tabu: moves per start
  std::size_t tabu_tenure = 50;           // tabu: number of recent solutions that are tabu
  double exact_limit = 1e15;  // exact: largest search space it accepts (see exact_enumeration.hpp)
};

struct PlacementResult {
  std::string policy;
  bool found = false;            // a feasible placement was found
  Placement placement;           // the best placement found (meaningful when found)
  Evaluation evaluation;         // its detailed evaluation
  std::vector<Placement> elite;  // random greedy: the best distinct placements, best first
  std::vector<double> elite_objectives;
  std::uint64_t iterations = 0;   // random-greedy iterations plus accepted search moves
  std::uint64_t evaluations = 0;  // calls to the evaluator
  double seconds = 0.0;           // wall-clock time used
  bool time_limit_reached = false;
  bool optimal = false;  // exact: the search space was covered
  std::string note;      // why nothing was found, or what limited the search
};

class PlacementPolicy {
 public:
  virtual ~PlacementPolicy() = default;
  virtual std::string_view name() const = 0;
  virtual PlacementResult solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const = 0;
};

/// Names of the built-in placement policies, in a stable order.
const std::vector<std::string_view>& placement_policy_names();

/// The policy of that name, or nullptr when the name is unknown.
std::unique_ptr<PlacementPolicy> find_placement_policy(std::string_view name,
                                                       const PlacementPolicyParameters& parameters = {});

/// The policy of that name; throws std::invalid_argument listing the known names when unknown:
/// `unknown placement policy "tabo"; known: random_greedy, local_search, tabu, …`.
std::unique_ptr<PlacementPolicy> make_placement_policy(std::string_view name,
                                                       const PlacementPolicyParameters& parameters = {});

}  // namespace continuum::placement
