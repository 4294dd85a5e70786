#pragma once
#include <ostream>
#include <vector>

#include "models/accounting/run_summary.hpp"

namespace continuum::cli {

/// A short readable summary of a run for the terminal (the JSON carries everything).
void print_terminal_summary(std::ostream& out, const std::vector<RunSummary>& runs, double wall_seconds);

}  // namespace continuum::cli
