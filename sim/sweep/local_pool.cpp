#include "sim/sweep/local_pool.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace continuum::sweep {

unsigned resolve_jobs(unsigned jobs) {
  if (jobs > 0) return jobs;
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? hardware : 1;
}

std::string describe_run(const SweepSpec& spec, const RunKey& key) {
  std::string text = "point " + std::to_string(key.point);
  if (!spec.design.parameters.empty() && key.point < spec.design.points.size()) {
    text += " (";
    for (std::size_t k = 0; k < spec.design.parameters.size(); ++k)
      text += (k ? ", " : "") + spec.design.parameters[k] + "=" + spec.design.points[key.point][k];
    text += ")";
  }
  if (key.policy < spec.policies.size()) text += ", policy " + spec.policies[key.policy].name;
  return text + ", replication " + std::to_string(key.replication);
}

void run_pool(RunScheduler& scheduler, unsigned jobs, const ExecuteRun& execute, const RunDone& done,
              const SweepSpec& spec, const std::function<void()>& completed) {
  std::mutex mutex;       // guards the scheduler and the error state
  std::mutex done_mutex;  // serialises `done` (a journal append waits for the disk: keep it apart)
  std::condition_variable changed;
  std::exception_ptr failure;
  std::string failed_run;

  const auto worker = [&]() {
    std::unique_lock lock(mutex);
    for (;;) {
      std::optional<RunKey> key;
      changed.wait(lock, [&] { return failure || scheduler.finished() || (key = scheduler.next()); });
      if (!key) return;  // finished, or another run failed
      lock.unlock();
      std::optional<RunRecord> record;
      try {
        record = execute(*key);
        std::lock_guard done_lock(done_mutex);
        done(*record);
      } catch (...) {
        lock.lock();
        if (!failure) {
          failure = std::current_exception();
          failed_run = describe_run(spec, *key);
        }
        changed.notify_all();
        return;
      }
      lock.lock();
      scheduler.complete(*record);
      if (completed) completed();
      changed.notify_all();
    }
  };

  const unsigned threads = resolve_jobs(jobs);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      throw std::runtime_error(failed_run + ": " + error.what());
    }
  }
}

}  // namespace continuum::sweep
