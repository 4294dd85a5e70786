#include "sim/sweep/scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/engine/stats/confidence.hpp"

namespace continuum::sweep {

RunScheduler::RunScheduler(const SweepSpec& spec, Shard shard, const std::vector<RunRecord>& restored)
    : spec_(spec), shard_(shard) {
  const std::uint32_t max_replications = spec.stopping ? spec.stopping->max_replications : spec.replications;
  for (const auto& record : restored) {
    const RunKey& k = record.key;
    if (k.point >= spec.point_count() || k.policy >= spec.policy_count() || k.replication >= max_replications)
      continue;
    if (!shard_owns(spec, shard, k)) continue;
    done_.emplace(k, record);
  }
  const auto point_count = static_cast<std::uint32_t>(spec.point_count());
  const std::uint32_t initial = spec.stopping ? spec.stopping->min_replications : spec.replications;
  for (std::uint32_t p = 0; p < point_count; ++p) {
    PointState state;
    state.point = p;
    const std::vector<RunKey> todo = plan_up_to(state, initial);
    if (state.planned_in_target == 0) continue;  // another shard's point
    ready_.insert(ready_.end(), todo.begin(), todo.end());
    slot_[p] = points_.size();
    points_.push_back(state);
  }
  for (auto& state : points_)
    if (state.done_in_target == state.planned_in_target) advance(state);
  restored_ = completed_in_plan_;
}

std::vector<RunKey> RunScheduler::plan_up_to(PointState& state, std::uint32_t target) {
  std::vector<RunKey> todo;
  const auto policies = static_cast<std::uint32_t>(spec_.policy_count());
  for (std::uint32_t r = state.target; r < target; ++r)
    for (std::uint32_t q = 0; q < policies; ++q) {
      const RunKey key{state.point, q, r};
      if (!shard_owns(spec_, shard_, key)) continue;
      ++state.planned_in_target;
      ++planned_;
      if (done_.count(key)) {
        ++state.done_in_target;
        ++completed_in_plan_;
      } else {
        todo.push_back(key);
      }
    }
  state.target = std::max(state.target, target);
  return todo;
}

std::uint32_t RunScheduler::next_target(const PointState& state) const {
  const StoppingRule& rule = *spec_.stopping;
  const std::uint32_t n = state.target;
  double worst = 0.0;  // largest (half-width / target half-width) over the policies
  for (std::uint32_t q = 0; q < spec_.policy_count(); ++q) {
    std::vector<double> values;
    for (std::uint32_t r = 0; r < n; ++r) {
      const double v = done_.at(RunKey{state.point, q, r}).metrics[rule.metric];
      if (std::isfinite(v)) values.push_back(v);
    }
    // A metric the policy does not define (no early exit → no accuracy) has nothing to estimate.
    if (values.empty()) continue;
    if (values.size() < 2) {
      worst = std::numeric_limits<double>::infinity();
      continue;
    }
    const auto ci = stats::replication_interval(values, rule.level);
    const double goal = rule.relative_half_width * std::fabs(ci.mean);
    if (ci.half_width <= goal) continue;
    worst = std::max(worst, goal > 0.0 ? ci.half_width / goal : std::numeric_limits<double>::infinity());
  }
  if (worst <= 1.0) return n;
  const std::uint32_t cap = std::min(2 * n, rule.max_replications);
  const double wanted = std::ceil(static_cast<double>(n) * worst * worst);
  if (!(wanted < static_cast<double>(cap))) return cap;
  return std::clamp(static_cast<std::uint32_t>(wanted), n + 1, cap);
}

void RunScheduler::advance(PointState& state) {
  while (!state.final && state.done_in_target == state.planned_in_target) {
    std::uint32_t target = state.target;
    if (spec_.stopping && state.target < spec_.stopping->max_replications) target = next_target(state);
    if (target == state.target) {
      state.final = true;
      ++done_points_;
      return;
    }
    const std::vector<RunKey> todo = plan_up_to(state, target);
    // A growing point goes first: its results complete a comparison sooner.
    ready_.insert(ready_.begin(), todo.begin(), todo.end());
  }
}

std::optional<RunKey> RunScheduler::next() {
  if (ready_.empty()) return std::nullopt;
  const RunKey key = ready_.front();
  ready_.pop_front();
  running_.insert(key);
  return key;
}

void RunScheduler::complete(const RunRecord& record) {
  if (!running_.erase(record.key)) return;
  done_.emplace(record.key, record);
  PointState& state = points_[slot_.at(record.key.point)];
  if (record.key.replication < state.target) {
    ++state.done_in_target;
    ++completed_in_plan_;
  }
  advance(state);
}

std::vector<RunRecord> RunScheduler::results() const {
  std::vector<RunRecord> out;
  out.reserve(completed_in_plan_);
  const auto policies = static_cast<std::uint32_t>(spec_.policy_count());
  for (const auto& state : points_)
    for (std::uint32_t q = 0; q < policies; ++q)
      for (std::uint32_t r = 0; r < state.target; ++r) {
        const auto found = done_.find(RunKey{state.point, q, r});
        if (found != done_.end()) out.push_back(found->second);
      }
  return out;
}

}  // namespace continuum::sweep
