#pragma once
// Builds the arrival process a scenario's ArrivalSpec describes (shared by every runner).
#include <memory>

#include "models/system/scenario_spec.hpp"
#include "models/workload/arrival_process.hpp"

namespace continuum {

std::unique_ptr<ArrivalProcess> make_arrival_process(const ArrivalSpec& spec);

}  // namespace continuum
