#pragma once
// A small hand-built placement problem shared by the evaluator tests: an edge device E, a VM
// type V and a FaaS configuration F; c1 (one partition, edge only) feeds c2 (two partitions,
// early exit 0.25 after the first) with probability 0.8.
#include "models/placement/placement.hpp"
#include "models/placement/placement_problem.hpp"

namespace continuum::placement::testing {

inline constexpr double gib = 1024.0 * 1024.0 * 1024.0;

inline PlacementProblem hand_problem() {
  PlacementProblem problem;
  problem.name = "hand";
  problem.layers = {
      {"edge", ResourceKind::edge, {0}}, {"cloud", ResourceKind::vm, {1}}, {"faas", ResourceKind::faas, {2}}};
  Resource edge{"E",   "edge device", ResourceKind::edge, 0, 2, 2.0 / 3600, 4 * gib, 4,
                600.0, 0.0,           {5.0, 15.0}};
  Resource vm{"V", "VM", ResourceKind::vm, 1, 3, 1.0 / 3600, 8 * gib, 4, 600.0, 0.0, {50.0, 150.0}};
  Resource faas{"F", "function", ResourceKind::faas, 2, 1, 0.36 / 3600, 2 * gib, 1, 600.0, 0.0, {1.0, 20.0}};
  problem.resources = {edge, vm, faas};
  problem.domains = {{"D1", {0, 1, 2}, 0.01, 8e7}};

  Partition c1h1{"h1", 0.0, 0.0, {{1, 2e6}}, {{0, 1 * gib, 2.0, 0.0, ResponseModel::processor_sharing}}};
  problem.components.push_back({"c1", {{"s1", {c1h1}}}});
  Partition c2h1{"h1",
                 0.25,
                 1e6,
                 {},
                 {{1, 1 * gib, 0.5, 0.0, ResponseModel::processor_sharing},
                  {0, 1 * gib, 3.0, 0.0, ResponseModel::processor_sharing}}};
  Partition c2h2{"h2",
                 0.0,
                 0.0,
                 {},
                 {{2, 1 * gib, 1.0, 3.0, ResponseModel::faas},
                  {1, 1 * gib, 0.4, 0.0, ResponseModel::processor_sharing}}};
  problem.components.push_back({"c2", {{"s1", {c2h1, c2h2}}}});
  problem.edges = {{0, 1, 0.8}};
  problem.local_constraints = {{1, 5.0}};
  problem.path_constraints = {{"p1", {0, 1}, 20.0}};
  problem.arrival_rate = 0.2;
  problem.horizon = 7200.0;
  return problem;
}

/// c1 on E (2 instances), c2.h1 on V (3 instances), c2.h2 on F.
inline Placement hand_placement() {
  Placement placement;
  placement.deployment = {0, 0};
  placement.option = {{0}, {0, 0}};
  placement.instances = {2, 3, 0};
  return placement;
}

}  // namespace continuum::placement::testing
