#pragma once
// `continuum optimize SCENARIO.yaml --out design.yaml`: the scenario with the chosen placement
// applied, as a YAML scenario that `continuum run` runs directly (docs/policies/placement.md).
#include <string>
#include <string_view>

#include "models/placement/scenario_problem.hpp"

namespace continuum::io {

/// `scenario_yaml` (a scenario as LoadedScenario::text holds it, overrides applied) with `design`
/// applied the way placement::apply_design applies it to a ScenarioSpec: `placement` replaced, used
/// devices' `count` set, unused devices removed, every partition's `candidates` dropped. Comments of
/// the original file are not kept (the text is re-emitted). Throws LoadError naming `file_name` if
/// the text is not a scenario mapping.
std::string scenario_yaml_with_design(std::string_view scenario_yaml, std::string_view file_name,
                                      const placement::ScenarioDesign& design);

}  // namespace continuum::io
