#include "policies/placement/placement_policy.hpp"

#include <stdexcept>
#include <string>

#include "policies/placement/baseline_policies.hpp"
#include "policies/placement/exact_enumeration.hpp"
#include "policies/placement/local_search.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/tabu_search.hpp"

namespace continuum::placement {

const std::vector<std::string_view>& placement_policy_names() {
  static const std::vector<std::string_view> names{"random_greedy", "local_search", "tabu",    "exact",
                                                   "all_edge",      "all_cloud",    "all_faas"};
  return names;
}

std::unique_ptr<PlacementPolicy> find_placement_policy(std::string_view name,
                                                       const PlacementPolicyParameters& parameters) {
  if (name == "random_greedy") return std::make_unique<RandomGreedyPolicy>(parameters);
  if (name == "local_search") return std::make_unique<LocalSearchPolicy>(parameters);
  if (name == "tabu") return std::make_unique<TabuSearchPolicy>(parameters);
  if (name == "exact") return std::make_unique<ExactPolicy>(parameters);
  if (name == "all_edge") return std::make_unique<SingleKindPolicy>(ResourceKind::edge, parameters);
  if (name == "all_cloud") return std::make_unique<SingleKindPolicy>(ResourceKind::vm, parameters);
  if (name == "all_faas") return std::make_unique<SingleKindPolicy>(ResourceKind::faas, parameters);
  return nullptr;
}

std::unique_ptr<PlacementPolicy> make_placement_policy(std::string_view name,
                                                       const PlacementPolicyParameters& parameters) {
  if (auto policy = find_placement_policy(name, parameters)) return policy;
  std::string message = "unknown placement policy \"" + std::string(name) + "\"; known: ";
  const char* separator = "";
  for (auto known : placement_policy_names()) {
    message += separator;
    message += known;
    separator = ", ";
  }
  throw std::invalid_argument(message);
}

}  // namespace continuum::placement
