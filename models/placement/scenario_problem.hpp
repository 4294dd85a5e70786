#pragma once
// The placement problem of a continuum scenario, and the way back: `continuum optimize SCENARIO.yaml`
// builds a PlacementProblem from the ScenarioSpec, solves it, and applies the chosen placement to
// the scenario so that `continuum run` simulates the chosen design (docs/policies/placement.md,
// "YAML scenarios").
//
// Mapping (scenario → problem):
//   layers       the scenario's layers, in order; a layer with FaaS platforms is a FaaS layer, one
//                named in `cloud_layers` a VM layer, any other an edge layer
//   resources    every device (name, its type's memory, cost per second — purchase prices
//                amortised as the run charges them —, power; largest cluster = the device's
//                `count`), then every FaaS function (memory, SPACE4AI-D price per warm second,
//                keep-alive, the platform's price per invocation as transition cost)
//   options      a partition's `candidates`, or by default every device whose type has a demand
//                for it (measured, or flop / speed) and enough memory; FaaS functions only when
//                listed (a function's service times are its own warm and cold laws); PS demand =
//                mean of the demand law, FaaS warm = mean warm, cold = mean cold + start-up delay
//   DAG, data    edges with their probabilities and data sizes; partitions' outputs and early exits
//   constraints  components' `constraint`, path constraints
//   rate         the Poisson rate of the sources, which must enter the components without
//                predecessor, the same rate for each (SPACE4AI-D's single λ)
//   horizon      the measured window, horizon − warm-up (what `continuum run` charges costs over)
#include <map>
#include <string>

#include "models/placement/placement.hpp"
#include "models/placement/placement_problem.hpp"
#include "models/system/scenario_spec.hpp"

namespace continuum::placement {

/// What a placement decides in scenario terms.
struct ScenarioDesign {
  std::map<std::string, ComponentPlacement> placement;  // component name -> deployment and targets
  std::map<std::string, int> device_counts;             // used device name -> instances
};

/// Throws std::invalid_argument naming what the placement problem cannot express (a non-Poisson
/// source, a topology, a layer with both devices and FaaS functions, a candidate without a demand,
/// a FaaS function two partitions could use at once …).
PlacementProblem placement_problem_from_scenario(const ScenarioSpec& scenario);

/// The placement in scenario terms; `problem` must come from placement_problem_from_scenario.
ScenarioDesign scenario_design(const PlacementProblem& problem, const Placement& placement);

/// The scenario running `design`: its placement replaced, used devices resized, unused devices
/// removed (so that they are not charged) and every `candidates` list dropped (it may name them).
ScenarioSpec apply_design(ScenarioSpec scenario, const ScenarioDesign& design);

}  // namespace continuum::placement
