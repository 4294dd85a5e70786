#pragma once
// Which run to start next. One scheduler serves the local thread pool and the MPI master alike,
// so threaded, sharded and MPI sweeps plan exactly the same runs.
//
// With a fixed replication count the plan is known up front. With a stopping rule, replications
// are added to a point in batches: the first `min` replications of every policy; once all of them
// are done, the Student-t half-width of the chosen metric is compared with the target for every
// policy; if any misses it, the point grows to
//     n' = clamp(⌈n · max_policies (h / (r·|mean|))²⌉, n + 1, min(2n, max))
// (h ∝ 1/√n, so this is the replication count that would just meet the target; growing at most
// 2× per batch keeps one noisy estimate from overshooting). Every policy at a point gets the same
// replications, so comparisons stay paired (common random numbers). The decision depends only on
// the results of replications 0..n−1, never on the order in which they finished, so the final set
// of runs is the same on any number of threads, shards or ranks, and after a resume.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "sim/sweep/run_record.hpp"
#include "sim/sweep/sweep_spec.hpp"

namespace continuum::sweep {

class RunScheduler {
 public:
  /// `restored`: runs finished earlier (from a journal or an earlier output). Those the shard does
  /// not own, or that the plan never reaches, are ignored.
  RunScheduler(const SweepSpec& spec, Shard shard, const std::vector<RunRecord>& restored = {});

  /// A run to start now, or nullopt when none can start until a running one completes (or all
  /// are done). Each run is handed out once.
  std::optional<RunKey> next();
  /// Records a finished run; may plan more replications. A run not handed out, or already
  /// recorded, is ignored.
  void complete(const RunRecord& record);

  /// Every planned run completed and no more will be planned.
  bool finished() const { return done_points_ == points_.size() && running_.empty(); }
  std::size_t completed() const { return completed_in_plan_; }
  /// Runs planned so far (grows under a stopping rule).
  std::size_t planned() const { return planned_; }
  std::size_t restored() const { return restored_; }
  std::size_t running() const { return running_.size(); }

  /// The results of the plan, sorted by (point, policy, replication).
  std::vector<RunRecord> results() const;

 private:
  struct PointState {
    std::uint32_t point = 0;
    std::uint32_t target = 0;           // replications planned for every policy
    std::size_t planned_in_target = 0;  // runs of this shard with replication < target
    std::size_t done_in_target = 0;     // of those, completed
    bool final = false;                 // no more replications will be added
  };

  /// Plans the shard's runs of replications [state.target, target); returns those not yet done.
  std::vector<RunKey> plan_up_to(PointState& state, std::uint32_t target);
  /// Called when every planned run of the point is done: stop, or plan the next batch.
  void advance(PointState& state);
  std::uint32_t next_target(const PointState& state) const;

  const SweepSpec& spec_;
  Shard shard_;
  std::vector<PointState> points_;             // the points this shard owns (some runs of them)
  std::map<std::uint32_t, std::size_t> slot_;  // point index → position in points_
  std::map<RunKey, RunRecord> done_;
  std::set<RunKey> running_;
  std::deque<RunKey> ready_;
  std::size_t done_points_ = 0;
  std::size_t planned_ = 0;
  std::size_t completed_in_plan_ = 0;
  std::size_t restored_ = 0;
};

}  // namespace continuum::sweep
