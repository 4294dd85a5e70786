#include "policies/early_exit/gate.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace continuum::early_exit {

void validate_gates(std::span<const Gate> gates, const char* who) {
  if (gates.empty()) throw std::invalid_argument(std::string(who) + ": at least one gate is needed");
  for (std::size_t e = 0; e < gates.size(); ++e) {
    const Gate& g = gates[e];
    const std::string where = std::string(who) + ": gate " + std::to_string(e);
    if (!std::isfinite(g.mean_time) || g.mean_time <= 0.0)
      throw std::invalid_argument(where + " needs a finite mean_time > 0 s");
    if (!std::isfinite(g.variance) || g.variance < 0.0)
      throw std::invalid_argument(where + " needs a finite variance >= 0 s^2");
    if (!(g.accuracy >= 0.0 && g.accuracy <= 1.0))
      throw std::invalid_argument(where + " needs an accuracy in [0, 1]");
  }
}

}  // namespace continuum::early_exit
