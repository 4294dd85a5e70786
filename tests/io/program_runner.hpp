#pragma once
// Runs the built `continuum` program (CONTINUUM_BINARY) from tests, through the shell.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

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

/// How a program started by kill_continuum_after ended.
struct KillOutcome {
  bool killed = false;  // still running at the deadline, killed with SIGKILL
  int exit_code = -1;   // when it had finished by itself
};

/// Starts `continuum ARGUMENTS...` (output discarded) and sends SIGKILL if it still runs after `delay`
/// (crash-safety tests).
inline KillOutcome kill_continuum_after(const std::vector<std::string>& arguments,
                                        std::chrono::milliseconds delay) {
  std::vector<char*> argv{const_cast<char*>("continuum")};
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(CONTINUUM_BINARY, argv.data());
    ::_exit(127);
  }
  // Polls, so that a program that ends before the deadline is not waited for.
  const auto deadline = std::chrono::steady_clock::now() + delay;
  int status = 0;
  while (::waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return {WIFSIGNALED(status), WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace continuum::testing
