#pragma once
// Runs the built `continuum` program (CONTINUUM_BINARY) from tests, through the shell.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace continuum::testing {

struct Outcome {
  int exit_code;
  std::string output;  // standard output, or standard error when asked for
};

/// Runs `continuum ARGUMENTS`; `capture_stderr` reads standard error instead of standard output.
inline Outcome run_continuum(const std::string& arguments, bool capture_stderr = false) {
  const std::string command = std::string("'") + CONTINUUM_BINARY + "' " + arguments +
                              (capture_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::string output;
  std::array<char, 4096> buffer{};
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), read);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace continuum::testing
