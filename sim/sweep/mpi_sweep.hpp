#pragma once
// MPI mode of `continuum sweep` (build with -DCONTINUUM_MPI=ON; run with `mpirun -np P continuum
// sweep ...`). Rank 0 is the master: it owns the journal, the scheduler and the output file, and
// hands out one run at a time to whichever worker rank asks (dynamic load balancing, so long and
// short runs mix well). Ranks 1..P−1 make the runs. Results travel as record_json lines, exact to
// the last bit, so an MPI sweep writes the same /runs as a threaded one. Every rank reads the sweep
// and scenario files itself: they must be on a filesystem all ranks see.
#include <optional>

#include "sim/sweep/sweep_session.hpp"

namespace continuum::sweep::mpi {

/// Whether this build has MPI support.
bool built_with_mpi();
/// Whether the process was started by an MPI launcher (mpirun, mpiexec, srun with PMI): it looks
/// for the variables those set (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK).
bool launched_by_mpi();

/// MPI_Init on construction, MPI_Finalize on destruction (only in builds with MPI; otherwise a
/// single rank 0 of 1).
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// Runs the sweep over all ranks of `session` (with one rank, on local threads). On rank 0 returns
/// the outcome (the output file is written); on the other ranks returns nullopt once the master
/// has no more work. A failed run stops the hand-out; rank 0 then throws std::runtime_error naming
/// the run, after recording the runs that were in progress.
std::optional<SweepOutcome> run_sweep(const Session& session, const SweepSpec& spec,
                                      const SweepOptions& options);

}  // namespace continuum::sweep::mpi
