#include "sim/cli/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace continuum::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), started_(std::chrono::steady_clock::now()), enabled_(::isatty(2) != 0) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");  // leave the terminal line clean for the summary
}

void ProgressBar::update(double fraction) {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  if (elapsed < 1.0 || fraction <= 0.0) return;  // short runs stay quiet
  const int width = 30;
  const int filled = static_cast<int>(fraction * width);
  const double eta = elapsed * (1.0 - fraction) / fraction;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(static_cast<std::size_t>(width), ' ');
  std::fprintf(stderr, "\r%s [%s] %3.0f %%  ETA %.0f s ", label_.c_str(), bar.c_str(), 100.0 * fraction, eta);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace continuum::cli
