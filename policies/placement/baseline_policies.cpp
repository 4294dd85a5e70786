#include "policies/placement/baseline_policies.hpp"

#include <vector>

#include "policies/placement/exact_enumeration.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/search_support.hpp"

namespace continuum::placement {

std::string_view SingleKindPolicy::name() const {
  switch (kind_) {
    case ResourceKind::edge:
      return "all_edge";
    case ResourceKind::vm:
      return "all_cloud";
    case ResourceKind::faas:
      return "all_faas";
  }
  return "?";
}

namespace {

/// The problem restricted to one kind of resource, with the maps back to the original indices.
struct Restriction {
  PlacementProblem problem;
  std::vector<std::vector<std::size_t>> deployment;                        // [c][s'] → s
  std::vector<std::vector<std::vector<std::vector<std::size_t>>>> option;  // [c][s'][h][o'] → o
  std::size_t impossible_component = no_index;
};

Restriction restrict_to(const PlacementProblem& original, ResourceKind kind) {
  Restriction restriction;
  restriction.problem = original;
  auto& problem = restriction.problem;
  restriction.deployment.resize(problem.components.size());
  restriction.option.resize(problem.components.size());
  for (std::size_t c = 0; c < problem.components.size(); ++c) {
    auto& component = problem.components[c];
    std::vector<Deployment> kept;
    for (std::size_t s = 0; s < component.deployments.size(); ++s) {
      Deployment deployment = component.deployments[s];
      std::vector<std::vector<std::size_t>> option_map;
      bool possible = true;
      for (auto& partition : deployment.partitions) {
        std::vector<PlacementOption> options;
        std::vector<std::size_t> map;
        for (std::size_t o = 0; o < partition.options.size(); ++o)
          if (original.resources[partition.options[o].resource].kind == kind) {
            options.push_back(partition.options[o]);
            map.push_back(o);
          }
        possible = possible && !options.empty();
        partition.options = std::move(options);
        option_map.push_back(std::move(map));
      }
      if (!possible) continue;
      kept.push_back(std::move(deployment));
      restriction.deployment[c].push_back(s);
      restriction.option[c].push_back(std::move(option_map));
    }
    if (kept.empty() && restriction.impossible_component == no_index) restriction.impossible_component = c;
    component.deployments = std::move(kept);
  }
  return restriction;
}

}  // namespace

PlacementResult SingleKindPolicy::solve(const PlacementEvaluator& evaluator,
                                        const SearchBudget& budget) const {
  const detail::Deadline deadline(budget.time_limit);
  const auto& original = evaluator.problem();
  const Restriction restriction = restrict_to(original, kind_);
  PlacementResult result;
  result.policy = std::string(name());
  if (restriction.impossible_component != no_index) {
    result.note = "component " + original.components[restriction.impossible_component].name +
                  " has no deployment that runs entirely on " + std::string(to_string(kind_)) + " resources";
    detail::finish(result, evaluator, nullptr, deadline);
    return result;
  }
  const PlacementEvaluator restricted(restriction.problem, evaluator.objective());
  const bool exact = exact_search_space(restriction.problem) <= parameters_.exact_limit;
  PlacementResult inner = exact ? ExactPolicy(parameters_).solve(restricted, budget)
                                : RandomGreedyPolicy(parameters_).solve(restricted, budget);
  result.iterations = inner.iterations;
  result.evaluations = inner.evaluations;
  result.time_limit_reached = inner.time_limit_reached;
  result.optimal = inner.optimal;
  result.note = std::string(exact ? "solved by exact enumeration" : "solved by random greedy") +
                " of the problem restricted to " + std::string(to_string(kind_)) + " resources" +
                (inner.note.empty() ? "" : "; " + inner.note);
  if (!inner.found) {
    detail::finish(result, evaluator, nullptr, deadline);
    return result;
  }
  Placement placement = inner.placement;
  for (std::size_t c = 0; c < original.components.size(); ++c) {
    const std::size_t s_restricted = inner.placement.deployment[c];
    placement.deployment[c] = restriction.deployment[c][s_restricted];
    for (std::size_t h = 0; h < placement.option[c].size(); ++h)
      placement.option[c][h] = restriction.option[c][s_restricted][h][inner.placement.option[c][h]];
  }
  detail::finish(result, evaluator, &placement, deadline);
  return result;
}

}  // namespace continuum::placement
