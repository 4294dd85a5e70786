#include "models/accounting/run_summary.hpp"

namespace continuum {

std::string_view to_string(LossCause cause) {
  switch (cause) {
    case LossCause::buffer_full:
      return "buffer_full";
    case LossCause::failure:
      return "failure";
    case LossCause::no_route:
      return "no_route";
    case LossCause::faas_rejected:
      return "faas_rejected";
    case LossCause::link_down:
      return "link_down";
    case LossCause::count_:
      break;
  }
  return "unknown";
}

std::uint64_t RunSummary::local_sla_violations() const {
  std::uint64_t total = 0;
  for (const auto& component : components) total += component.sla_violations;
  return total;
}

std::uint64_t RunSummary::global_sla_violations() const {
  std::uint64_t total = 0;
  for (const auto& path : paths) total += path.violations;
  return total;
}

}  // namespace continuum
