#include "sim/sweep/mpi_sweep.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef CONTINUUM_MPI
#include <mpi.h>

#include <chrono>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "sim/sweep/local_pool.hpp"
#endif

namespace continuum::sweep::mpi {

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(name)) return true;
  return false;
}

#ifndef CONTINUUM_MPI

bool built_with_mpi() {
  return false;
}
Session::Session() = default;
Session::~Session() = default;

std::optional<SweepOutcome> run_sweep(const Session&, const SweepSpec& spec, const SweepOptions& options) {
  return sweep::run_sweep(spec, options);
}

#else

namespace {

enum Tag : int { ready = 1, work = 2, stop = 3, failed = 4 };

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

void send_text(const std::string& text, int to, int tag) {
  check(MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD), "MPI_Send");
}

/// Receives the message `status` announced (after a probe) as text.
std::string receive_text(const MPI_Status& status) {
  int count = 0;
  check(MPI_Get_count(&status, MPI_CHAR, &count), "MPI_Get_count");
  std::string text(static_cast<std::size_t>(count), '\0');
  check(MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE),
        "MPI_Recv");
  return text;
}

/// Waits for a message from `source` (any when MPI_ANY_SOURCE) without spinning a core at 100 %:
/// the master shares its node with workers.
MPI_Status probe(int source) {
  MPI_Status status;
  for (;;) {
    int arrived = 0;
    check(MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (arrived) return status;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

void worker(const SweepSpec& spec, const SweepOptions& options) {
  const RunExecutor execute(spec, options.traces, options.max_wall);
  std::string result;  // the previous run's record; empty on the first request
  for (;;) {
    send_text(result, 0, ready);
    const MPI_Status status = probe(0);
    if (status.MPI_TAG == stop) {
      receive_text(status);
      return;
    }
    std::uint32_t key[3];
    check(MPI_Recv(key, 3, MPI_UINT32_T, 0, work, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    const RunKey run{key[0], key[1], key[2]};
    try {
      result = record_json(execute(run));
    } catch (const std::exception& error) {
      send_text(describe_run(spec, run) + ": " + error.what(), 0, failed);
      // Wait for the master's stop: it still collects the other ranks' runs.
      const MPI_Status last = probe(0);
      receive_text(last);
      return;
    }
  }
}

SweepOutcome master(const Session& session, const SweepSpec& spec, const SweepOptions& options,
                    std::vector<bool>& stopped) {
  SweepSession sweep(spec, options);
  RunScheduler& scheduler = sweep.scheduler();
  sweep.report_progress();
  std::string failure;
  std::deque<int> idle;  // workers waiting for a run
  int active = session.size() - 1;
  while (active > 0) {
    const MPI_Status status = probe(MPI_ANY_SOURCE);
    const std::string text = receive_text(status);
    if (status.MPI_TAG == ready) {
      if (!text.empty()) {
        const RunRecord record = parse_record(text);
        sweep.record(record);
        scheduler.complete(record);
        sweep.report_progress();
      }
    } else if (status.MPI_TAG == failed) {
      if (failure.empty()) failure = text;
    }
    idle.push_back(status.MPI_SOURCE);
    // Hand out what can start now; a worker with nothing to do waits for the next result
    // (under a stopping rule, a batch may have to finish before more runs are planned).
    while (!idle.empty()) {
      const int rank = idle.front();
      if (!failure.empty() || scheduler.finished()) {
        send_text("", rank, stop);
        stopped[static_cast<std::size_t>(rank)] = true;
        --active;
      } else if (const auto key = scheduler.next()) {
        const std::uint32_t message[3] = {key->point, key->policy, key->replication};
        check(MPI_Send(message, 3, MPI_UINT32_T, rank, work, MPI_COMM_WORLD), "MPI_Send");
      } else {
        break;
      }
      idle.pop_front();
    }
  }
  if (!failure.empty()) throw std::runtime_error(failure);
  return sweep.finish();
}

}  // namespace

bool built_with_mpi() {
  return true;
}

Session::Session() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) check(MPI_Init(nullptr, nullptr), "MPI_Init");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

Session::~Session() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

std::optional<SweepOutcome> run_sweep(const Session& session, const SweepSpec& spec,
                                      const SweepOptions& options) {
  if (session.size() == 1) return sweep::run_sweep(spec, options);
  if (session.rank() == 0) {
    std::vector<bool> stopped(static_cast<std::size_t>(session.size()), false);
    try {
      return master(session, spec, options, stopped);
    } catch (...) {
      // The master cannot go on (journal locked, output not writable, …): release the workers,
      // which are waiting for a run or will ask for one when theirs ends.
      for (int rank = 1; rank < session.size(); ++rank)
        if (!stopped[static_cast<std::size_t>(rank)]) send_text("", rank, stop);
      throw;
    }
  }
  worker(spec, options);
  return std::nullopt;
}

#endif

}  // namespace continuum::sweep::mpi
