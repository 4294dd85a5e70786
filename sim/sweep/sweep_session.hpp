#pragma once
// The bookkeeping around a sweep's runs, whoever makes them (local threads or MPI ranks): restore
// finished runs (journal, or an earlier complete output), plan the rest, journal each new run as it
// ends, and write the output file atomically at the end.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "sim/sweep/executor.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/results.hpp"
#include "sim/sweep/scheduler.hpp"

namespace continuum::sweep {

struct SweepProgress {
  std::size_t completed = 0;  // runs of the plan done, restored ones included
  std::size_t planned = 0;    // runs planned so far (grows under a stopping rule)
  std::size_t restored = 0;   // runs found done at the start
};

struct SweepOptions {
  std::filesystem::path out;
  unsigned jobs = 0;  // threads; 0: one per hardware thread
  Shard shard;
  std::optional<TraceSettings> traces;
  std::optional<double> max_wall;  // s of wall-clock time per run (--max-wall); none by default
  /// Called at the start and after each run with the counts (one thread at a time).
  std::function<void(const SweepProgress&)> progress;
  /// Called with a warning (resuming a journal that another build of the program started).
  std::function<void(const std::string&)> warn;
};

struct SweepOutcome {
  std::size_t restored = 0;  // runs kept from an earlier, interrupted or complete, invocation
  std::size_t executed = 0;  // runs made by this invocation
  SweepResults results;
};

class SweepSession {
 public:
  /// Opens (or resumes) the journal beside options.out. When there is no journal but options.out
  /// already holds this sweep and shard, its runs are restored instead (rerunning a finished sweep
  /// recomputes nothing).
  SweepSession(const SweepSpec& spec, const SweepOptions& options);

  RunScheduler& scheduler() { return *scheduler_; }
  /// When resuming a journal started by another build of the program: that program ("continuum
  /// <version> (<revision>)"), so the caller can warn that old and new runs will be mixed.
  std::optional<std::string> other_program() const;
  /// Journals a finished run (fsync); call before scheduler().complete(). One caller at a time.
  void record(const RunRecord& record);
  /// Calls options.progress with the scheduler's counts; call where the scheduler may be read.
  void report_progress() const;
  /// Writes the output atomically, then removes the journal. Call once the scheduler is finished.
  SweepOutcome finish();

 private:
  const SweepSpec& spec_;
  SweepOptions options_;
  std::optional<Journal> journal_;
  std::unique_ptr<RunScheduler> scheduler_;
  std::size_t executed_ = 0;
  std::chrono::steady_clock::time_point started_;
};

/// A whole sweep on local threads: SweepSession + run_pool.
SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& options);

/// The runs of `spec` on `jobs` threads, kept in memory (no journal, no file), sorted by
/// (point, policy, replication).
std::vector<RunRecord> run_in_memory(const SweepSpec& spec, unsigned jobs);

}  // namespace continuum::sweep
