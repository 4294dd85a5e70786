#pragma once
// Keep-alive policies by name, with their parameters declared once (name, default, unit, help,
// lower bound), so that a scenario's `policy: hybrid_histogram` with `{range: 7200}` becomes a
// policy object, and a typo becomes an error that lists what is known:
//   unknown keep-alive policy "hybrid"; known: fixed, hybrid_histogram
//   keep-alive policy "hybrid_histogram": unknown parameter "rnge"; known: keep_alive, range, …
// The registry is filled explicitly (register_builtin_keep_alive_policies), never by static
// initialisers, so a static link cannot drop an entry.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/faas/faas_spec.hpp"
#include "models/faas/keep_alive_policy.hpp"

namespace continuum::faas {

using KeepAliveParameters = std::map<std::string, double, std::less<>>;

struct KeepAliveParameterSpec {
  std::string name;
  std::string unit;  ///< "s", "%", "" …
  std::string help;
  /// Default value; `function_keep_alive` makes it the function's own keep_alive (FaasFunctionSpec).
  double default_value = 0.0;
  bool defaults_to_function_keep_alive = false;
  double minimum = 0.0;  ///< values below are refused
};

struct KeepAlivePolicyEntry {
  std::string name;
  std::string description;
  std::vector<KeepAliveParameterSpec> parameters;
  /// Receives every declared parameter, defaults filled in and bounds checked.
  std::function<std::unique_ptr<KeepAlivePolicy>(const KeepAliveParameters&)> make;
};

class KeepAlivePolicyRegistry {
 public:
  /// Throws std::invalid_argument if the name is taken or the entry has no factory.
  void add(KeepAlivePolicyEntry entry);
  /// Names in registration order.
  std::vector<std::string> names() const;
  /// The entry of that name, or nullptr.
  const KeepAlivePolicyEntry* find(std::string_view name) const;
  /// The entry of that name; throws std::invalid_argument listing the known names.
  const KeepAlivePolicyEntry& at(std::string_view name) const;

  /// Every declared parameter of policy `name`, from `given` or its default, checked: an unknown
  /// name, a non-finite value or one below the declared minimum throws std::invalid_argument
  /// naming the policy, the parameter and (for unknown ones) the known parameters.
  KeepAliveParameters resolve(std::string_view name, const std::map<std::string, double>& given,
                              double function_keep_alive) const;

  /// A new policy object for one function.
  std::unique_ptr<KeepAlivePolicy> make(std::string_view name, const std::map<std::string, double>& given,
                                        double function_keep_alive) const;
  /// The policy a function spec asks for (keep_alive_policy, policy_parameters, keep_alive).
  std::unique_ptr<KeepAlivePolicy> make(const FaasFunctionSpec& function) const;

 private:
  std::vector<KeepAlivePolicyEntry> entries_;
};

/// Adds `fixed` and `hybrid_histogram`.
void register_builtin_keep_alive_policies(KeepAlivePolicyRegistry& registry);

/// A registry holding the built-in policies (built once; read-only, so safe to share across threads).
const KeepAlivePolicyRegistry& builtin_keep_alive_policies();

/// builtin_keep_alive_policies().make(function): the factory to hand to FaasPlatform.
std::unique_ptr<KeepAlivePolicy> make_keep_alive_policy(const FaasFunctionSpec& function);

}  // namespace continuum::faas
