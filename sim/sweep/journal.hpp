#pragma once
// The journal of a sweep: one line per completed run, appended and fsync'd as each run ends, so a
// sweep that is killed loses at most the runs in progress and a rerun resumes from the rest.
//
// Format (JSON lines): a header {"continuum_sweep_journal": 1, "sweep": HASH, "shard": "i/N", ...}
// then one record_json line per run. A torn last line (the process died while writing it) is
// dropped and cut off on open; a bad line anywhere else means the file is not a journal of this
// program, and opening fails rather than guessing.
#include <filesystem>
#include <string>
#include <vector>

#include "sim/sweep/run_record.hpp"

namespace continuum::sweep {

struct JournalHeader {
  std::string sweep_hash;  // SweepSpec::hash()
  std::string shard;       // Shard::to_string()
  std::string program;     // "continuum <version> (<git revision>)": informative, not checked
};

class Journal {
 public:
  /// Opens `path`, creating it with `header` if absent, and takes an exclusive lock on it (a second
  /// sweep writing the same output fails at once instead of interleaving lines). An existing journal
  /// must have the same header; its records are then available from recovered(). Throws
  /// std::runtime_error naming the file on a lock held elsewhere, another header or a corrupt line.
  Journal(std::filesystem::path path, const JournalHeader& header);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Runs read from an existing journal, in file order, without duplicates.
  const std::vector<RunRecord>& recovered() const { return recovered_; }
  /// The program that started the journal (its header's `program`); "" for a new journal.
  const std::string& recovered_program() const { return recovered_program_; }
  /// Appends one line and waits for it to reach the disk (fsync). Not thread-safe: one writer.
  void append(const RunRecord& record);
  /// Closes and deletes the file: call once the final output holds every run.
  void remove();

  const std::filesystem::path& path() const { return path_; }

 private:
  void write_all(const std::string& text);

  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<RunRecord> recovered_;
  std::string recovered_program_;
};

/// The journal beside an output file: "<out>.journal".
std::filesystem::path journal_path(const std::filesystem::path& out);

}  // namespace continuum::sweep
