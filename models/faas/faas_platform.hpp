#pragma once
// A FaaS platform: the functions of one FaasPlatformSpec, sharing its prices, looked up by name.
// Functions are independent (each has its own instances, limit and policy); the platform only
// builds them and gathers their reports.
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "models/faas/faas_function.hpp"
#include "models/faas/faas_spec.hpp"

namespace continuum {

class FaasPlatform {
 public:
  /// Makes the keep-alive policy of a function (e.g. from policies/faas's registry, by the spec's
  /// policy name and parameters); an empty factory gives every function its fixed keep-alive.
  using PolicyFactory = std::function<std::unique_ptr<KeepAlivePolicy>(const FaasFunctionSpec&)>;

  /// Random streams are "faas/<platform>/<function>/warm|cold". Throws std::invalid_argument on two
  /// functions with one name, or on a function spec that FaasFunction refuses.
  FaasPlatform(Simulation& simulation, FaasPlatformSpec spec, FaasClient& client,
               const PolicyFactory& make_policy = {}, ExpiryTimers expiry = ExpiryTimers::cancel);

  const FaasPlatformSpec& spec() const { return spec_; }
  std::size_t size() const { return functions_.size(); }
  FaasFunction& function(std::size_t index) { return *functions_[index]; }
  const FaasFunction& function(std::size_t index) const { return *functions_[index]; }
  /// The function of that name; throws std::invalid_argument listing the known names.
  FaasFunction& function(std::string_view name);
  /// The function of that name, or nullptr.
  FaasFunction* find(std::string_view name);

  std::vector<FaasFunctionReport> reports(SimTime now) const;
  /// Σ of the functions' `cost` over the measured window.
  double cost(SimTime now) const;
  void reset_statistics(SimTime now);

 private:
  FaasPlatformSpec spec_;
  std::vector<std::unique_ptr<FaasFunction>> functions_;
};

}  // namespace continuum
