#include "policies/placement/exact_enumeration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "policies/placement/random_greedy.hpp"
#include "policies/placement/search_support.hpp"

namespace continuum::placement {

double exact_search_space(const PlacementProblem& problem) {
  double size = 1.0;
  for (const auto& component : problem.components) {
    double combinations = 0.0;
    for (const auto& deployment : component.deployments) {
      double product = 1.0;
      for (const auto& partition : deployment.partitions)
        product *= static_cast<double>(partition.options.size());
      combinations += product;
    }
    size *= combinations;
  }
  for (const auto& layer : problem.layers) {
    if (layer.kind == ResourceKind::faas) continue;
    int largest = 1;
    for (std::size_t r : layer.resources) largest = std::max(largest, problem.resources[r].max_instances);
    size *= largest;
  }
  return size;
}

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

class BranchAndBound {
 public:
  BranchAndBound(const PlacementEvaluator& evaluator, const detail::Deadline& deadline,
                 PlacementResult& result)
      : evaluator_(evaluator),
        problem_(evaluator.problem()),
        deadline_(deadline),
        result_(result),
        placement_(Placement::first_of(problem_)),
        load_(problem_.resources.size(), 0.0),
        memory_(problem_.resources.size(), 0.0),
        count_(problem_.resources.size(), 0),
        layer_user_(problem_.layers.size(), no_index) {
    const auto& resources = problem_.resources;
    for (const auto& resource : resources)
      if (resource.kind != ResourceKind::faas && resource.power.busy_w < resource.power.idle_w)
        energy_bound_ = false;
    local_bound_.assign(problem_.components.size(), infinity);
    for (const auto& constraint : problem_.local_constraints)
      local_bound_[constraint.component] =
          std::min(local_bound_[constraint.component], constraint.max_response_time);
    // A path can be checked once its highest-indexed component is placed.
    paths_completed_by_.resize(problem_.components.size());
    for (std::size_t p = 0; p < problem_.path_constraints.size(); ++p) {
      std::size_t last = 0;
      for (std::size_t c : problem_.path_constraints[p].components) last = std::max(last, c);
      paths_completed_by_[last].push_back(p);
    }
  }

  void set_incumbent(const Placement& placement, double objective) {
    best_ = placement;
    best_objective_ = objective;
    has_best_ = true;
  }

  /// Returns false if the deadline stopped the search.
  bool run() {
    component(0);
    return !stopped_;
  }

  bool has_best() const { return has_best_; }
  const Placement& best() const { return best_; }

 private:
  bool tick() {
    if ((++result_.iterations & 1023U) == 0 && deadline_.expired()) stopped_ = true;
    return !stopped_;
  }

  void component(std::size_t c) {
    if (stopped_) return;
    if (c == problem_.components.size()) {
      leaf();
      return;
    }
    const auto& deployments = problem_.components[c].deployments;
    for (std::size_t s = 0; s < deployments.size() && !stopped_; ++s) {
      placement_.deployment[c] = s;
      placement_.option[c].assign(deployments[s].partitions.size(), 0);
      partition(c, s, 0, false);
    }
  }

  void partition(std::size_t c, std::size_t s, std::size_t h, bool left_edge) {
    if (!tick()) return;
    const auto& partitions = problem_.components[c].deployments[s].partitions;
    if (h == partitions.size()) {
      if (completed_constraints_hold(c)) component(c + 1);
      return;
    }
    const double rate = evaluator_.partition_rate(c, s, h);
    const auto& options = partitions[h].options;
    for (std::size_t o = 0; o < options.size() && !stopped_; ++o) {
      const auto& option = options[o];
      const std::size_t r = option.resource;
      const auto& resource = problem_.resources[r];
      placement_.option[c][h] = o;
      if (resource.kind == ResourceKind::faas) {
        if (option.memory > resource.memory) continue;
        const double cost = evaluator_.faas_cost(c, s, h, o);
        const double energy = evaluator_.faas_energy(c, s, h, o);
        faas_cost_ += cost;
        faas_energy_ += energy;
        if (bound_allows()) partition(c, s, h + 1, true);
        faas_cost_ -= cost;
        faas_energy_ -= energy;
        continue;
      }
      if (resource.kind == ResourceKind::edge && left_edge) continue;  // no return to the edge
      const std::size_t layer = resource.layer;
      if (layer_user_[layer] != no_index && layer_user_[layer] != r) continue;
      const double load = option.demand * rate;
      if (memory_[r] + option.memory > resource.memory) continue;
      if (!((load_[r] + load) / resource.max_instances < 1.0)) continue;
      const std::size_t previous_user = layer_user_[layer];
      layer_user_[layer] = r;
      load_[r] += load;
      memory_[r] += option.memory;
      ++count_[r];
      if (bound_allows()) partition(c, s, h + 1, left_edge || resource.kind == ResourceKind::vm);
      --count_[r];
      memory_[r] -= option.memory;
      load_[r] -= load;
      layer_user_[layer] = previous_user;
    }
  }

  static int smallest_stable_size(double load) { return std::max(1, static_cast<int>(std::floor(load)) + 1); }

  // Lower bounds of cost and energy over every completion of the current partial placement.
  bool bound_allows() const {
    if (!has_best_) return true;
    const double horizon = problem_.horizon;
    double cost = faas_cost_;
    double energy = faas_energy_;
    for (std::size_t r = 0; r < problem_.resources.size(); ++r) {
      if (count_[r] == 0) continue;
      const auto& resource = problem_.resources[r];
      const int n = smallest_stable_size(load_[r]);
      cost += n * resource.price * horizon;
      energy +=
          (n * resource.power.idle_w + (resource.power.busy_w - resource.power.idle_w) * load_[r]) * horizon;
    }
    const auto& objective = evaluator_.objective();
    switch (objective.kind) {
      case ObjectiveKind::cost:
        return detail::improves(cost, best_objective_);
      case ObjectiveKind::cost_energy:
        return !energy_bound_ || detail::improves(cost + objective.energy_weight * energy, best_objective_);
      case ObjectiveKind::energy_capped:
        if (cost > objective.cost_cap) return false;
        return !energy_bound_ || detail::improves(energy, best_objective_);
    }
    return true;
  }

  // Response time of component c with the current loads at the largest cluster sizes: a lower
  // bound of its final value.
  double response_lower_bound(std::size_t c) const {
    const std::size_t s = placement_.deployment[c];
    const auto& partitions = problem_.components[c].deployments[s].partitions;
    double response = 0.0;
    double weight = 1.0;
    std::size_t previous = no_index;
    for (std::size_t h = 0; h < partitions.size(); ++h) {
      const std::size_t o = placement_.option[c][h];
      const auto& option = partitions[h].options[o];
      const auto& resource = problem_.resources[option.resource];
      double r_h = evaluator_.faas_response_time(c, s, h, o);
      if (resource.kind != ResourceKind::faas)
        r_h = option.demand / (1.0 - load_[option.resource] / resource.max_instances);
      double transfer = 0.0;
      if (h > 0 && previous != option.resource)
        transfer = evaluator_.transfer_time(problem_.resources[previous].layer, resource.layer,
                                            partitions[h - 1].output_bytes);
      response += weight * (r_h + transfer);
      weight *= 1.0 - partitions[h].early_exit_probability;
      previous = option.resource;
    }
    return response;
  }

  bool completed_constraints_hold(std::size_t last_completed) {
    for (std::size_t c = 0; c <= last_completed; ++c) {
      component_bound_[c] = response_lower_bound(c);
      if (!(component_bound_[c] <= local_bound_[c])) return false;
    }
    for (std::size_t k = 0; k <= last_completed; ++k)
      for (std::size_t p : paths_completed_by_[k]) {
        const auto& path = problem_.path_constraints[p];
        double response = 0.0;
        for (std::size_t i = 0; i < path.components.size(); ++i) {
          const std::size_t c = path.components[i];
          response += component_bound_[c];
          if (i + 1 == path.components.size()) break;
          const std::size_t next = path.components[i + 1];
          const std::size_t last_h = placement_.option[c].size() - 1;
          const std::size_t from = placement_.resource_of(problem_, c, last_h);
          const std::size_t to = placement_.resource_of(problem_, next, 0);
          if (from == to) continue;
          const auto& last = problem_.components[c].deployments[placement_.deployment[c]].partitions[last_h];
          response += evaluator_.transfer_time(problem_.resources[from].layer, problem_.resources[to].layer,
                                               bytes_to_component(last, next));
        }
        if (!(response <= path.max_response_time)) return false;
      }
    return true;
  }

  // Every cluster size of the used edge/VM resources from the smallest stable one to the largest.
  void leaf() {
    used_.clear();
    for (std::size_t r = 0; r < problem_.resources.size(); ++r) {
      placement_.instances[r] = 0;
      if (count_[r] > 0) {
        used_.push_back(r);
        placement_.instances[r] = smallest_stable_size(load_[r]);
      }
    }
    for (;;) {
      if (!tick()) return;
      evaluator_.evaluate(placement_, evaluation_, EvaluationMode::verdict);
      ++result_.evaluations;
      if (evaluation_.feasible && (!has_best_ || detail::improves(evaluation_.objective, best_objective_)))
        set_incumbent(placement_, evaluation_.objective);
      // Odometer over the cluster sizes.
      std::size_t i = 0;
      for (; i < used_.size(); ++i) {
        const std::size_t r = used_[i];
        if (placement_.instances[r] < problem_.resources[r].max_instances) {
          ++placement_.instances[r];
          break;
        }
        placement_.instances[r] = smallest_stable_size(load_[r]);
      }
      if (i == used_.size()) return;
    }
  }

  const PlacementEvaluator& evaluator_;
  const PlacementProblem& problem_;
  const detail::Deadline& deadline_;
  PlacementResult& result_;
  Placement placement_;
  Evaluation evaluation_;
  std::vector<double> load_;
  std::vector<double> memory_;
  std::vector<int> count_;
  std::vector<std::size_t> layer_user_;
  std::vector<std::size_t> used_;
  std::vector<double> local_bound_;
  std::vector<double> component_bound_ = std::vector<double>(problem_.components.size(), 0.0);
  std::vector<std::vector<std::size_t>> paths_completed_by_;
  double faas_cost_ = 0.0;
  double faas_energy_ = 0.0;
  bool energy_bound_ = true;
  bool stopped_ = false;
  bool has_best_ = false;
  Placement best_;
  double best_objective_ = infinity;
};

}  // namespace

PlacementResult ExactPolicy::solve(const PlacementEvaluator& evaluator, const SearchBudget& budget) const {
  const double space = exact_search_space(evaluator.problem());
  if (!(space <= parameters_.exact_limit)) {
    char message[256];
    std::snprintf(message, sizeof message,
                  "the instance is too large for the exact policy: its search space is %.3g placements, "
                  "above the limit of %.3g (raise --exact-limit or use random_greedy, local_search or tabu)",
                  space, parameters_.exact_limit);
    throw SearchSpaceTooLarge(message);
  }
  const detail::Deadline deadline(budget.time_limit);
  PlacementResult result;
  result.policy = std::string(name());
  BranchAndBound search(evaluator, deadline, result);

  // A short random-greedy run gives the bound its first incumbent; it changes the effort only.
  PlacementPolicyParameters seed_parameters = parameters_;
  seed_parameters.threads = 1;
  seed_parameters.elite_size = 1;
  const auto seed = detail::random_greedy_search(evaluator, seed_parameters, 200, deadline.share(0.1));
  result.evaluations += seed.evaluations;
  if (!seed.elite.empty())
    search.set_incumbent(seed.elite.entries().front().placement, seed.elite.entries().front().objective);

  result.optimal = search.run();
  result.time_limit_reached = !result.optimal;
  if (!result.optimal)
    result.note = "the time limit stopped the enumeration: the placement may not be optimal";
  else if (!search.has_best())
    result.note = "the instance has no feasible placement";
  detail::finish(result, evaluator, search.has_best() ? &search.best() : nullptr, deadline);
  return result;
}

}  // namespace continuum::placement
