#include "policies/placement/tabu_search.hpp"

#include <algorithm>
#include <deque>

#include "policies/placement/neighbourhoods.hpp"
#include "policies/placement/random_greedy.hpp"
#include "policies/placement/search_support.hpp"

namespace continuum::placement {

PlacementResult TabuSearchPolicy::solve(const PlacementEvaluator& evaluator,
                                        const SearchBudget& budget) const {
  return detail::improve_from_elite(name(), evaluator, parameters_, budget,
                                    [&](const Placement& start, const SearchBudget& remaining) {
                                      return improve(evaluator, start, remaining);
                                    });
}

PlacementResult TabuSearchPolicy::improve(const PlacementEvaluator& evaluator, const Placement& start,
                                          const SearchBudget& budget) const {
  using detail::Move;
  static constexpr Move neighbourhood[] = {Move::change_faas, Move::move_busiest_node,
                                           Move::to_less_utilised_node, Move::to_faas, Move::from_faas};
  const detail::Deadline deadline(budget.time_limit);
  const detail::ClusterSizer sizer(evaluator);
  const std::size_t tenure = std::max<std::size_t>(1, parameters_.tabu_tenure);
  PlacementResult result;
  result.policy = std::string(name());

  Placement current = start;
  Evaluation current_evaluation;
  if (!detail::accept_start(result, evaluator, current, current_evaluation, deadline)) return result;
  Placement best = current;
  double best_objective = current_evaluation.objective;
  std::deque<std::size_t> tabu{hash_value(current)};
  auto is_tabu = [&tabu](std::size_t key) { return std::find(tabu.begin(), tabu.end(), key) != tabu.end(); };

  Placement chosen;
  Evaluation chosen_evaluation;
  Evaluation scratch;
  while (result.iterations < budget.iterations) {
    bool found = false;
    bool out_of_time = false;
    for (Move move : neighbourhood) {
      detail::visit_neighbours(move, evaluator, current, current_evaluation, [&](Placement& candidate) {
        if (deadline.expired()) return out_of_time = true;
        if (!sizer.size(candidate, scratch, result.evaluations)) return false;
        // Aspiration: a tabu solution is admissible only if it beats the best so far.
        if (is_tabu(hash_value(candidate)) && !detail::improves(scratch.objective, best_objective))
          return false;
        if (found && !detail::improves(scratch.objective, chosen_evaluation.objective)) return false;
        found = true;
        chosen = std::move(candidate);
        chosen_evaluation = scratch;
        return false;
      });
      if (out_of_time) break;
    }
    if (out_of_time) {
      result.time_limit_reached = true;
      break;
    }
    if (!found) break;  // every neighbour infeasible or tabu
    current = chosen;
    current_evaluation = chosen_evaluation;
    tabu.push_back(hash_value(current));
    if (tabu.size() > tenure) tabu.pop_front();
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
