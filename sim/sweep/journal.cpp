#include "sim/sweep/journal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace continuum::sweep {

namespace {

constexpr int journal_version = 1;

std::runtime_error journal_error(const std::filesystem::path& path, const std::string& message) {
  return std::runtime_error("journal " + path.string() + ": " + message);
}

std::string read_all(int fd, const std::filesystem::path& path) {
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw journal_error(path, std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

/// Makes the creation of `path` durable: its directory entry is on disk too.
void sync_directory(const std::filesystem::path& path) {
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: some filesystems refuse to open directories
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::filesystem::path journal_path(const std::filesystem::path& out) {
  return std::filesystem::path(out.string() + ".journal");
}

Journal::Journal(std::filesystem::path path, const JournalHeader& header) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw journal_error(path_, std::string("cannot open: ") + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw journal_error(path_, "another continuum sweep is writing this output (the journal is locked)");
    throw journal_error(path_, std::string("cannot lock: ") + std::strerror(error));
  }
  try {
    const std::string text = read_all(fd_, path_);
    const nlohmann::json expected = {
        {"continuum_sweep_journal", journal_version}, {"sweep", header.sweep_hash}, {"shard", header.shard}};
    nlohmann::json first_line = expected;
    first_line["program"] = header.program;
    if (text.empty()) {
      write_all(first_line.dump() + "\n");
      sync_directory(path_);
      return;
    }
    std::size_t good_end = 0;  // end of the last complete, valid line
    std::size_t line_number = 0;
    std::set<RunKey> seen;
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t newline = text.find('\n', start);
      const bool complete = newline != std::string::npos;
      const std::string_view line(text.data() + start, (complete ? newline : text.size()) - start);
      ++line_number;
      const auto bad = [&](const std::string& what) {
        // Only the last line can have been torn by a kill; anything else is not ours to repair.
        if (!complete) return;
        throw journal_error(path_, "line " + std::to_string(line_number) + ": " + what);
      };
      if (line_number == 1 && !complete && first_line.dump().starts_with(line)) {
        // Killed while writing the header: nothing was recorded yet, so start the file afresh.
        if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) < 0)
          throw journal_error(path_, std::string("cannot rewrite the header: ") + std::strerror(errno));
        write_all(first_line.dump() + "\n");
        return;
      }
      if (line_number == 1) {
        nlohmann::json found;
        try {
          found = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception&) {
          found = nullptr;
        }
        if (!complete || !found.is_object() || !found.contains("continuum_sweep_journal"))
          throw journal_error(path_, "not a continuum sweep journal (remove it to start afresh)");
        if (const auto program = found.find("program"); program != found.end()) {
          if (program->is_string()) recovered_program_ = program->get<std::string>();
          found.erase(program);
        }
        if (found != expected)
          throw journal_error(path_, "written for another sweep or shard (" + found.dump() +
                                         ", this sweep is " + expected.dump() +
                                         "); remove it or choose another --out");
      } else {
        try {
          if (!complete) throw std::invalid_argument("torn line");
          RunRecord record = parse_record(line);
          if (seen.insert(record.key).second) recovered_.push_back(record);
        } catch (const std::invalid_argument& error) {
          bad(error.what());
          break;
        }
      }
      good_end = newline + 1;
      start = newline + 1;
    }
    if (good_end < text.size()) {
      if (::ftruncate(fd_, static_cast<off_t>(good_end)) != 0)
        throw journal_error(path_, std::string("cannot cut the torn last line: ") + std::strerror(errno));
      ::fsync(fd_);
    }
    if (::lseek(fd_, 0, SEEK_END) < 0)
      throw journal_error(path_, std::string("cannot seek: ") + std::strerror(errno));
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::write_all(const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw journal_error(path_, std::string("cannot write: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) throw journal_error(path_, std::string("cannot sync: ") + std::strerror(errno));
}

void Journal::append(const RunRecord& record) {
  write_all(record_json(record) + "\n");
}

void Journal::remove() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace continuum::sweep
