#include "sim/sweep/sweep_session.hpp"

#include "continuum/version.hpp"
#include "sim/io/summary_json.hpp"
#include "sim/sweep/local_pool.hpp"
#include "sim/sweep/results_file.hpp"

namespace continuum::sweep {

namespace {

std::string this_program() {
  return std::string("continuum ") + version_string + " (" + io::git_revision_string() + ")";
}

/// The runs of an earlier output of the same sweep and shard, if there is one.
std::vector<RunRecord> runs_of_earlier_output(const SweepSpec& spec, const Shard& shard,
                                              const std::filesystem::path& out) {
  if (!std::filesystem::exists(out)) return {};
  try {
    SweepResults earlier = read_results(out);
    if (earlier.sweep_hash == spec.hash() && earlier.shards == std::vector<std::string>{shard.to_string()})
      return std::move(earlier.runs);
  } catch (const std::ios_base::failure&) {
    // Not a sweep file, or unreadable: it will be replaced like any stale output.
  }
  return {};
}

}  // namespace

SweepSession::SweepSession(const SweepSpec& spec, const SweepOptions& options)
    : spec_(spec), options_(options), started_(std::chrono::steady_clock::now()) {
  journal_.emplace(journal_path(options.out),
                   JournalHeader{spec.hash(), options.shard.to_string(), this_program()});
  // The earlier output stays in place until finish() replaces it, so its runs are restored on
  // every invocation, together with the journal's (the scheduler drops duplicates).
  std::vector<RunRecord> restored = runs_of_earlier_output(spec, options.shard, options.out);
  restored.insert(restored.end(), journal_->recovered().begin(), journal_->recovered().end());
  if (const auto other = other_program(); other && options.warn)
    options.warn("the journal was started by " + *other + ", this is " + this_program() +
                 ": its runs are kept and mixed with this program's");
  scheduler_ = std::make_unique<RunScheduler>(spec, options.shard, restored);
}

std::optional<std::string> SweepSession::other_program() const {
  const std::string& recorded = journal_->recovered_program();
  if (recorded.empty() || recorded == this_program()) return std::nullopt;
  return recorded;
}

void SweepSession::record(const RunRecord& record) {
  journal_->append(record);
  ++executed_;
}

void SweepSession::report_progress() const {
  if (options_.progress)
    options_.progress({scheduler_->completed(), scheduler_->planned(), scheduler_->restored()});
}

SweepOutcome SweepSession::finish() {
  SweepOutcome outcome;
  outcome.restored = scheduler_->restored();
  outcome.executed = executed_;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  outcome.results = make_results(spec_, options_.shard, scheduler_->results(), wall);
  write_results(options_.out, outcome.results);
  journal_->remove();
  return outcome;
}

SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& options) {
  SweepSession session(spec, options);
  const RunExecutor execute(spec, options.traces, options.max_wall);
  session.report_progress();
  run_pool(
      session.scheduler(), options.jobs, std::cref(execute),
      [&session](const RunRecord& record) { session.record(record); }, spec,
      [&session] { session.report_progress(); });
  return session.finish();
}

std::vector<RunRecord> run_in_memory(const SweepSpec& spec, unsigned jobs) {
  RunScheduler scheduler(spec, Shard{});
  const RunExecutor execute(spec);
  run_pool(
      scheduler, jobs, std::cref(execute), [](const RunRecord&) {}, spec);
  return scheduler.results();
}

}  // namespace continuum::sweep
