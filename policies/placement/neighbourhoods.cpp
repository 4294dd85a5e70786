#include "policies/placement/neighbourhoods.hpp"

#include <algorithm>
#include <vector>

#include "policies/placement/search_support.hpp"

namespace continuum::placement::detail {

namespace {

std::vector<std::size_t> users_except(const PlacementProblem& problem, const Placement& placement,
                                      std::size_t skipped_component) {
  std::vector<std::size_t> users(problem.layers.size(), no_index);
  for (std::size_t c = 0; c < placement.option.size(); ++c) {
    if (c == skipped_component) continue;
    for (std::size_t h = 0; h < placement.option[c].size(); ++h) {
      const std::size_t r = placement.resource_of(problem, c, h);
      if (problem.resources[r].kind != ResourceKind::faas) users[problem.resources[r].layer] = r;
    }
  }
  return users;
}

/// Used edge/VM nodes, most utilised first, then most expensive (price × instances), then by index.
std::vector<std::size_t> nodes_by_utilisation(const PlacementProblem& problem, const Placement& placement,
                                              const Evaluation& evaluation) {
  std::vector<std::size_t> nodes;
  for (std::size_t r = 0; r < problem.resources.size(); ++r)
    if (problem.resources[r].kind != ResourceKind::faas && evaluation.partitions_on[r] > 0)
      nodes.push_back(r);
  std::stable_sort(nodes.begin(), nodes.end(), [&](std::size_t a, std::size_t b) {
    if (evaluation.utilisation[a] != evaluation.utilisation[b])
      return evaluation.utilisation[a] > evaluation.utilisation[b];
    return problem.resources[a].price * placement.instances[a] >
           problem.resources[b].price * placement.instances[b];
  });
  return nodes;
}

/// Moves every partition on resource `from` to resource `to`; false if one has no option on `to`.
bool move_all(const PlacementProblem& problem, Placement& placement, std::size_t from, std::size_t to) {
  for (std::size_t c = 0; c < placement.option.size(); ++c)
    for (std::size_t h = 0; h < placement.option[c].size(); ++h) {
      if (placement.resource_of(problem, c, h) != from) continue;
      const std::size_t o = option_on(problem, c, placement.deployment[c], h, to);
      if (o == no_index) return false;
      placement.option[c][h] = o;
    }
  return true;
}

class Visit {
 public:
  Visit(const PlacementEvaluator& evaluator, const Placement& current, const Evaluation& evaluation,
        const NeighbourVisitor& visitor)
      : evaluator_(evaluator),
        problem_(evaluator.problem()),
        current_(current),
        evaluation_(evaluation),
        visitor_(visitor),
        users_(layer_users(problem_, current)) {}

  bool run(Move move) {
    switch (move) {
      case Move::faas_to_vm:
        return single_partition(ResourceKind::faas, ResourceKind::vm, false);
      case Move::cloud_to_edge:
        return cloud_to_edge();
      case Move::cheaper_faas:
        return single_partition(ResourceKind::faas, ResourceKind::faas, true);
      case Move::change_deployment:
        return change_deployment();
      case Move::drop_resource:
        return drop_resource();
      case Move::change_resource:
        return change_resource();
      case Move::change_faas:
        return single_partition(ResourceKind::faas, ResourceKind::faas, false);
      case Move::move_busiest_node:
        return move_busiest_node();
      case Move::to_less_utilised_node:
        return to_less_utilised_node();
      case Move::to_faas:
        return single_partition(ResourceKind::edge, ResourceKind::faas, false) ||
               single_partition(ResourceKind::vm, ResourceKind::faas, false);
      case Move::from_faas:
        return single_partition(ResourceKind::faas, ResourceKind::edge, false) ||
               single_partition(ResourceKind::faas, ResourceKind::vm, false);
    }
    return false;
  }

 private:
  ResourceKind kind(std::size_t r) const { return problem_.resources[r].kind; }
  const std::vector<PlacementOption>& options(std::size_t c, std::size_t h) const {
    return problem_.components[c].deployments[current_.deployment[c]].partitions[h].options;
  }
  bool emit(Placement& candidate) { return visitor_(candidate); }

  // One partition on a `from` resource to an option on a `to` resource the layers allow; with
  // `cheaper`, only FaaS options of lower cost than the current one.
  bool single_partition(ResourceKind from, ResourceKind to, bool cheaper) {
    for (std::size_t c = 0; c < current_.option.size(); ++c)
      for (std::size_t h = 0; h < current_.option[c].size(); ++h) {
        const std::size_t o_now = current_.option[c][h];
        if (kind(options(c, h)[o_now].resource) != from) continue;
        const double cost_now = evaluator_.faas_cost(c, current_.deployment[c], h, o_now);
        for (std::size_t o = 0; o < options(c, h).size(); ++o) {
          const std::size_t r = options(c, h)[o].resource;
          if (o == o_now || kind(r) != to || !can_host(problem_, users_, r)) continue;
          if (cheaper && !(evaluator_.faas_cost(c, current_.deployment[c], h, o) < cost_now)) continue;
          Placement candidate = current_;
          candidate.option[c][h] = o;
          if (emit(candidate)) return true;
        }
      }
    return false;
  }

  bool cloud_to_edge() {
    for (std::size_t c = 0; c < current_.option.size(); ++c) {
      std::size_t h = 0;
      while (h < current_.option[c].size() &&
             kind(current_.resource_of(problem_, c, h)) == ResourceKind::edge)
        ++h;
      if (h == current_.option[c].size()) continue;
      for (std::size_t o = 0; o < options(c, h).size(); ++o) {
        const std::size_t r = options(c, h)[o].resource;
        if (kind(r) != ResourceKind::edge || !can_host(problem_, users_, r)) continue;
        Placement candidate = current_;
        candidate.option[c][h] = o;
        if (emit(candidate)) return true;
      }
    }
    return false;
  }

  // Cost of adding a partition to resource r: FaaS pays its own cost; a resource in use is free
  // at the margin; a new edge/VM resource costs one instance.
  double marginal_cost(std::size_t c, std::size_t s, std::size_t h, std::size_t o,
                       const std::vector<std::size_t>& users) const {
    const std::size_t r = problem_.components[c].deployments[s].partitions[h].options[o].resource;
    const auto& resource = problem_.resources[r];
    if (resource.kind == ResourceKind::faas) return evaluator_.faas_cost(c, s, h, o);
    if (users[resource.layer] == r) return 0.0;
    return resource.price * problem_.horizon;
  }

  bool change_deployment() {
    for (std::size_t c = 0; c < current_.option.size(); ++c) {
      const auto& deployments = problem_.components[c].deployments;
      for (std::size_t s = 0; s < deployments.size(); ++s) {
        if (s == current_.deployment[c]) continue;
        auto users = users_except(problem_, current_, c);
        Placement candidate = current_;
        candidate.deployment[c] = s;
        candidate.option[c].assign(deployments[s].partitions.size(), 0);
        bool complete = true;
        for (std::size_t h = 0; complete && h < deployments[s].partitions.size(); ++h) {
          const auto& partition_options = deployments[s].partitions[h].options;
          std::size_t best = no_index;
          double best_cost = 0.0;
          for (std::size_t o = 0; o < partition_options.size(); ++o) {
            const std::size_t r = partition_options[o].resource;
            if (!can_host(problem_, users, r)) continue;
            const double cost = marginal_cost(c, s, h, o, users);
            if (best == no_index || cost < best_cost ||
                (cost == best_cost && partition_options[o].demand < partition_options[best].demand)) {
              best = o;
              best_cost = cost;
            }
          }
          if (best == no_index) {
            complete = false;
            break;
          }
          candidate.option[c][h] = best;
          const std::size_t r = partition_options[best].resource;
          if (kind(r) != ResourceKind::faas) users[problem_.resources[r].layer] = r;
        }
        if (complete && emit(candidate)) return true;
      }
    }
    return false;
  }

  bool drop_resource() {
    for (std::size_t dropped = 0; dropped < problem_.resources.size(); ++dropped) {
      if (kind(dropped) == ResourceKind::faas || evaluation_.partitions_on[dropped] == 0) continue;
      auto users = users_;
      users[problem_.resources[dropped].layer] = no_index;
      Placement candidate = current_;
      bool complete = true;
      for (std::size_t c = 0; complete && c < candidate.option.size(); ++c)
        for (std::size_t h = 0; complete && h < candidate.option[c].size(); ++h) {
          if (candidate.resource_of(problem_, c, h) != dropped) continue;
          const std::size_t s = candidate.deployment[c];
          std::size_t best = no_index;
          double best_cost = 0.0;
          for (std::size_t o = 0; o < options(c, h).size(); ++o) {
            const std::size_t r = options(c, h)[o].resource;
            const bool in_use = kind(r) != ResourceKind::faas && users[problem_.resources[r].layer] == r;
            if (r == dropped || !(kind(r) == ResourceKind::faas || in_use)) continue;
            const double cost = marginal_cost(c, s, h, o, users);
            if (best == no_index || cost < best_cost) {
              best = o;
              best_cost = cost;
            }
          }
          if (best == no_index)
            complete = false;
          else
            candidate.option[c][h] = best;
        }
      if (complete && emit(candidate)) return true;
    }
    return false;
  }

  bool change_resource() {
    for (std::size_t from = 0; from < problem_.resources.size(); ++from) {
      if (kind(from) == ResourceKind::faas || evaluation_.partitions_on[from] == 0) continue;
      for (std::size_t to : problem_.layers[problem_.resources[from].layer].resources) {
        if (to == from) continue;
        Placement candidate = current_;
        if (move_all(problem_, candidate, from, to) && emit(candidate)) return true;
      }
    }
    return false;
  }

  bool move_busiest_node() {
    const auto nodes = nodes_by_utilisation(problem_, current_, evaluation_);
    if (nodes.empty()) return false;
    const std::size_t from = nodes.front();
    auto users = users_;
    users[problem_.resources[from].layer] = no_index;  // the layer frees up when `from` empties
    for (std::size_t to = 0; to < problem_.resources.size(); ++to) {
      if (to == from || kind(to) == ResourceKind::faas || !can_host(problem_, users, to)) continue;
      Placement candidate = current_;
      if (move_all(problem_, candidate, from, to) && emit(candidate)) return true;
    }
    return false;
  }

  bool to_less_utilised_node() {
    const auto nodes = nodes_by_utilisation(problem_, current_, evaluation_);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::size_t from = nodes[i];
      for (std::size_t c = 0; c < current_.option.size(); ++c)
        for (std::size_t h = 0; h < current_.option[c].size(); ++h) {
          if (current_.resource_of(problem_, c, h) != from) continue;
          for (std::size_t j = i + 1; j < nodes.size(); ++j) {
            const std::size_t to = nodes[j];
            if (!(evaluation_.utilisation[to] < evaluation_.utilisation[from])) continue;
            const std::size_t o = option_on(problem_, c, current_.deployment[c], h, to);
            if (o == no_index) continue;
            Placement candidate = current_;
            candidate.option[c][h] = o;
            if (emit(candidate)) return true;
          }
        }
    }
    return false;
  }

  const PlacementEvaluator& evaluator_;
  const PlacementProblem& problem_;
  const Placement& current_;
  const Evaluation& evaluation_;
  const NeighbourVisitor& visitor_;
  std::vector<std::size_t> users_;
};

}  // namespace

bool visit_neighbours(Move move, const PlacementEvaluator& evaluator, const Placement& current,
                      const Evaluation& evaluation, const NeighbourVisitor& visitor) {
  return Visit(evaluator, current, evaluation, visitor).run(move);
}

}  // namespace continuum::placement::detail
