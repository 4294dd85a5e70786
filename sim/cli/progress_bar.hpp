#pragma once
// A one-line progress bar with ETA on standard error, drawn only when it is a terminal and the
// run has lasted long enough to be worth watching.
#include <chrono>
#include <string>

namespace continuum::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  /// `fraction` in [0, 1] of the work done.
  void update(double fraction);

 private:
  std::string label_;
  std::chrono::steady_clock::time_point started_;
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace continuum::cli
