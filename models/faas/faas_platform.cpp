#include "models/faas/faas_platform.hpp"

#include <set>
#include <stdexcept>
#include <string>

namespace continuum {

FaasPlatform::FaasPlatform(Simulation& simulation, FaasPlatformSpec spec, FaasClient& client,
                           const PolicyFactory& make_policy, ExpiryTimers expiry)
    : spec_(std::move(spec)) {
  std::set<std::string, std::less<>> names;
  for (const FaasFunctionSpec& function : spec_.functions) {
    if (!names.insert(function.name).second)
      throw std::invalid_argument("FaaS platform \"" + spec_.name + "\": function \"" + function.name +
                                  "\" is defined twice");
    std::unique_ptr<KeepAlivePolicy> policy = make_policy ? make_policy(function) : nullptr;
    FaasFunctionOptions options{.stream = "faas/" + spec_.name + "/" + function.name, .expiry = expiry};
    functions_.push_back(std::make_unique<FaasFunction>(simulation, function, spec_.pricing(), client,
                                                        std::move(policy), std::move(options)));
  }
}

FaasFunction* FaasPlatform::find(std::string_view name) {
  for (auto& function : functions_)
    if (function->spec().name == name) return function.get();
  return nullptr;
}

FaasFunction& FaasPlatform::function(std::string_view name) {
  if (FaasFunction* found = find(name)) return *found;
  std::string known;
  for (const auto& function : functions_) known += (known.empty() ? "" : ", ") + function->spec().name;
  throw std::invalid_argument("FaaS platform \"" + spec_.name + "\": unknown function \"" +
                              std::string(name) + "\"; known: " + (known.empty() ? "(none)" : known));
}

std::vector<FaasFunctionReport> FaasPlatform::reports(SimTime now) const {
  std::vector<FaasFunctionReport> result;
  result.reserve(functions_.size());
  for (const auto& function : functions_) result.push_back(function->report(now));
  return result;
}

double FaasPlatform::cost(SimTime now) const {
  double total = 0.0;
  for (const auto& function : functions_) total += function->report(now).cost;
  return total;
}

void FaasPlatform::reset_statistics(SimTime now) {
  for (auto& function : functions_) function->reset_statistics(now);
}

}  // namespace continuum
