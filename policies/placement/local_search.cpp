#include "policies/placement/local_search.hpp"

#include <unordered_set>

#include "policies/placement/neighbourhoods.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/search_support.hpp"

namespace continuum::placement {

PlacementResult LocalSearchPolicy::solve(const PlacementEvaluator& evaluator,
                                         const SearchBudget& budget) const {
  return detail::improve_from_elite(name(), evaluator, parameters_, budget,
                                    [&](const Placement& start, const SearchBudget& remaining) {
                                      return improve(evaluator, start, remaining);
                                    });
}

PlacementResult LocalSearchPolicy::improve(const PlacementEvaluator& evaluator, const Placement& start,
                                           const SearchBudget& budget) const {
  using detail::Move;
  static constexpr Move order[] = {Move::faas_to_vm,        Move::cloud_to_edge, Move::cheaper_faas,
                                   Move::change_deployment, Move::drop_resource, Move::change_resource};
  const detail::Deadline deadline(budget.time_limit);
  const detail::ClusterSizer sizer(evaluator);
  PlacementResult result;
  result.policy = std::string(name());

  Placement current = start;
  Evaluation current_evaluation;
  if (!detail::accept_start(result, evaluator, current, current_evaluation, deadline)) return result;
  Placement best = current;
  double best_objective = current_evaluation.objective;
  std::unordered_set<std::size_t> visited{hash_value(current)};
  Placement accepted;
  Evaluation accepted_evaluation;
  Evaluation scratch;

  while (result.iterations < budget.iterations) {
    bool moved = false;
    bool out_of_time = false;
    for (Move move : order) {
      const bool migration = move == Move::faas_to_vm || move == Move::cloud_to_edge;
      moved =
          detail::visit_neighbours(move, evaluator, current, current_evaluation, [&](Placement& candidate) {
            if (deadline.expired()) return out_of_time = true;
            if (!sizer.size(candidate, scratch, result.evaluations)) return false;
            if (!migration && !detail::improves(scratch.objective, current_evaluation.objective))
              return false;
            if (visited.count(hash_value(candidate)) != 0) return false;
            accepted = std::move(candidate);
            accepted_evaluation = scratch;
            return true;
          });
      if (out_of_time) {
        moved = false;
        break;
      }
      if (moved) break;
    }
    if (out_of_time) {
      result.time_limit_reached = true;
      break;
    }
    if (!moved) break;  // local optimum
    current = accepted;
    current_evaluation = accepted_evaluation;
    visited.insert(hash_value(current));
    ++result.iterations;
    if (detail::improves(current_evaluation.objective, best_objective)) {
      best = current;
      best_objective = current_evaluation.objective;
    }
  }
  detail::finish(result, evaluator, &best, deadline);
  return result;
}

}  // namespace continuum::placement
