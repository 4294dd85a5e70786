#pragma once
// Exit policies by name: name → factory, with the parameters a scenario may give each policy, their
// defaults and help text. Registration is explicit (register_builtin_exit_policies), never by static
// initialisers, so nothing depends on link order.
//
//   ExitPolicyRegistry registry;
//   register_builtin_exit_policies(registry);
//   RunSummary summary = run_early_exit(simulation, scenario, registry.factory());
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/early_exit/exit_policy.hpp"

namespace continuum::early_exit {

/// One parameter of a policy: declared once with its help text and default.
struct ExitPolicyParameter {
  std::string name;
  std::string help;
  double default_value = 0.0;
  /// false: when the scenario omits it the policy derives a value from the setup (the help says how)
  /// or, with `required`, refuses to start.
  bool has_default = true;
  bool required = false;
};

/// Parameter values after defaults: every declared parameter with a default, plus those given.
using ExitPolicyValues = std::map<std::string, double, std::less<>>;

struct ExitPolicyEntry {
  std::string name;
  std::string description;
  std::vector<ExitPolicyParameter> parameters;
  std::function<std::unique_ptr<ExitPolicy>(const ExitPolicySetup&, const ExitPolicyValues&)> make;
};

class ExitPolicyRegistry {
 public:
  /// Throws std::invalid_argument when the name is taken or empty, or the entry has no factory.
  void add(ExitPolicyEntry entry);

  /// The entry, or nullptr when unknown.
  const ExitPolicyEntry* find(std::string_view name) const;
  /// The entry; throws std::invalid_argument `unknown exit policy "x"; known: a, b, …` when unknown.
  const ExitPolicyEntry& at(std::string_view name) const;
  /// Registered names, sorted.
  std::vector<std::string> names() const;

  /// Builds setup.name with setup.parameters. Throws std::invalid_argument for an unknown name (listing the
  /// known ones), an unknown parameter (listing the policy's), a missing required parameter, or a value the
  /// policy rejects (out of range, not an integer where one is needed, a mode or setup it cannot serve).
  std::unique_ptr<ExitPolicy> make(const ExitPolicySetup& setup) const;

  /// A factory for run_early_exit that calls make(). The registry must outlive it.
  ExitPolicyFactory factory() const;

 private:
  std::map<std::string, ExitPolicyEntry, std::less<>> entries_;
};

/// Registers fixed_gate, fixed_threshold, always_deepest, reactive, knapsack, queueing_lp, ucb, linucb.
void register_builtin_exit_policies(ExitPolicyRegistry& registry);

}  // namespace continuum::early_exit
