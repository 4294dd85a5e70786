#include "policies/placement/search_support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuum::placement::detail {

Deadline::Deadline(double seconds) : start_(Clock::now()), end_(start_), bounded_(std::isfinite(seconds)) {
  if (bounded_)
    end_ = start_ +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(0.0, seconds)));
}

bool Deadline::expired() const {
  return bounded_ && Clock::now() >= end_;
}

double Deadline::elapsed() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

double Deadline::remaining() const {
  if (!bounded_) return std::numeric_limits<double>::infinity();
  return std::max(0.0, std::chrono::duration<double>(end_ - Clock::now()).count());
}

Deadline Deadline::share(double fraction) const {
  if (!bounded_) return *this;
  const auto now = Clock::now();
  const auto remaining = end_ > now ? end_ - now : Clock::duration::zero();
  return Deadline(start_, now + std::chrono::duration_cast<Clock::duration>(remaining * fraction), true);
}

bool improves(double a, double b) {
  if (!std::isfinite(b)) return std::isfinite(a);
  return a < b - 1e-12 * std::max(1.0, std::abs(b));
}

bool EliteSet::admits(double objective, std::uint64_t order) const {
  if (entries_.size() < capacity_) return true;
  const auto& worst = entries_.back();
  return objective < worst.objective || (objective == worst.objective && order < worst.order);
}

void EliteSet::offer(double objective, std::uint64_t order, const Placement& placement) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!(it->placement == placement)) continue;
    if (order >= it->order) return;  // keep the earliest discovery of a placement
    entries_.erase(it);
    break;
  }
  if (!admits(objective, order)) return;
  auto position = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return objective < entry.objective || (objective == entry.objective && order < entry.order);
  });
  entries_.insert(position, Entry{objective, order, placement});
  if (entries_.size() > capacity_) entries_.pop_back();
}

void EliteSet::merge(const EliteSet& other) {
  for (const auto& entry : other.entries_) offer(entry.objective, entry.order, entry.placement);
}

std::vector<std::size_t> layer_users(const PlacementProblem& problem, const Placement& placement) {
  std::vector<std::size_t> users(problem.layers.size(), no_index);
  for (std::size_t c = 0; c < placement.option.size(); ++c)
    for (std::size_t h = 0; h < placement.option[c].size(); ++h) {
      const std::size_t r = placement.resource_of(problem, c, h);
      if (problem.resources[r].kind != ResourceKind::faas) users[problem.resources[r].layer] = r;
    }
  return users;
}

std::size_t option_on(const PlacementProblem& problem, std::size_t c, std::size_t s, std::size_t h,
                      std::size_t r) {
  const auto& options = problem.components[c].deployments[s].partitions[h].options;
  for (std::size_t o = 0; o < options.size(); ++o)
    if (options[o].resource == r) return o;
  return no_index;
}

namespace {

// Every constraint but the cost cap holds: the cost cap is checked last, so a verdict that stops
// there has passed all the others. Only these depend monotonically on the cluster sizes.
bool performs(const Evaluation& evaluation) {
  return evaluation.feasible || evaluation.violation.kind == ViolationKind::cost_cap;
}

}  // namespace

ClusterSizer::ClusterSizer(const PlacementEvaluator& evaluator) : evaluator_(evaluator) {
  const auto& resources = evaluator.problem().resources;
  for (std::size_t r = 0; r < resources.size(); ++r)
    if (resources[r].kind != ResourceKind::faas) by_price_.push_back(r);
  std::stable_sort(by_price_.begin(), by_price_.end(),
                   [&](std::size_t a, std::size_t b) { return resources[a].price > resources[b].price; });
}

bool ClusterSizer::size(Placement& placement, Evaluation& evaluation, std::uint64_t& evaluations) const {
  const auto& problem = evaluator_.problem();
  std::fill(placement.instances.begin(), placement.instances.end(), 0);
  for (std::size_t c = 0; c < placement.option.size(); ++c)
    for (std::size_t h = 0; h < placement.option[c].size(); ++h) {
      const std::size_t r = placement.resource_of(problem, c, h);
      if (problem.resources[r].kind != ResourceKind::faas)
        placement.instances[r] = problem.resources[r].max_instances;
    }
  evaluator_.evaluate(placement, evaluation, EvaluationMode::verdict);
  ++evaluations;
  if (!performs(evaluation)) return false;
  shrink(placement, evaluation, evaluations);
  return evaluation.feasible;
}

void ClusterSizer::shrink(Placement& placement, Evaluation& evaluation, std::uint64_t& evaluations) const {
  // Σ D·λ of each used cluster does not depend on its size: n_r·U_r from the passing verdict.
  std::vector<double> load(placement.instances.size(), 0.0);
  for (std::size_t r : by_price_) load[r] = evaluation.utilisation[r] * placement.instances[r];
  bool stale = false;  // does `evaluation` describe an intermediate size?
  for (std::size_t r : by_price_) {
    int high = placement.instances[r];
    if (high <= 1) continue;
    int low = std::max(1, static_cast<int>(std::floor(load[r])) + 1);  // U < 1 needs n > Σ D·λ
    if (low >= high) continue;
    while (low < high) {
      const int middle = low + (high - low) / 2;
      placement.instances[r] = middle;
      evaluator_.evaluate(placement, evaluation, EvaluationMode::verdict);
      ++evaluations;
      stale = true;
      if (performs(evaluation))
        high = middle;
      else
        low = middle + 1;
    }
    placement.instances[r] = high;
  }
  if (stale) {
    evaluator_.evaluate(placement, evaluation, EvaluationMode::verdict);
    ++evaluations;
  }
}

void finish(PlacementResult& result, const PlacementEvaluator& evaluator, const Placement* best,
            const Deadline& deadline) {
  if (best != nullptr) {
    result.placement = *best;
    result.evaluation = evaluator.evaluate(*best, EvaluationMode::detailed);
    result.found = result.evaluation.feasible;
  } else {
    result.found = false;
  }
  result.seconds = deadline.elapsed();
}

bool accept_start(PlacementResult& result, const PlacementEvaluator& evaluator, const Placement& start,
                  Evaluation& evaluation, const Deadline& deadline) {
  evaluator.evaluate(start, evaluation, EvaluationMode::verdict);
  ++result.evaluations;
  if (evaluation.feasible) return true;
  result.note =
      "the starting placement is not feasible: " + describe(evaluator.problem(), evaluation.violation);
  finish(result, evaluator, nullptr, deadline);
  return false;
}

}  // namespace continuum::placement::detail
