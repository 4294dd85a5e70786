#pragma once
// Runs a scheduler's runs on N threads of this process.
#include <functional>

#include "sim/sweep/run_record.hpp"
#include "sim/sweep/scheduler.hpp"

namespace continuum::sweep {

using ExecuteRun = std::function<RunRecord(const RunKey&)>;  // called from many threads at once
using RunDone = std::function<void(const RunRecord&)>;       // called by one thread at a time

/// Hands the scheduler's runs to `jobs` threads (0: one per hardware thread) until it is finished.
/// `done` sees each record before the scheduler does (so a journal holds a run before any later
/// decision depends on it). If a run throws, no further run starts, the runs in progress finish
/// (and reach `done`), and the first error is rethrown as std::runtime_error naming the run.
/// `completed`, if given, is called after the scheduler recorded each run, with its lock held (it
/// may read the scheduler).
void run_pool(RunScheduler& scheduler, unsigned jobs, const ExecuteRun& execute, const RunDone& done,
              const SweepSpec& spec, const std::function<void()>& completed = {});

/// `jobs`, or the number of hardware threads when 0.
unsigned resolve_jobs(unsigned jobs);

/// "point 3 (rate=8/s), policy fcfs, replication 2": for messages.
std::string describe_run(const SweepSpec& spec, const RunKey& key);

}  // namespace continuum::sweep
