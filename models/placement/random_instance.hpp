#pragma once
// Random placement instances in the style of the SPACE4AI-D scalability study (AI-SPRINT D2.1,
// Appendix B, Tables B.2–B.3): 1–3 deployments per component, 1–4 partitions per deployment,
// 3–5 instances per edge/VM type, demands in [1, 2] s on drones, [1, 5] s on edge nodes,
// [0.5, 2] s on VMs and [2, 5] s warm/cold on FaaS. Used by tests and benchmarks; the same seed
// gives the same instance on every platform (Boost.Random distributions).
#include <cstdint>
#include <vector>

#include "models/placement/placement_problem.hpp"

namespace continuum::placement {

struct RandomLayerSpec {
  ResourceKind kind = ResourceKind::edge;
  int resources = 2;
  double demand_low = 1.0;   // s
  double demand_high = 5.0;  // s
  double price_low = 4.0;    // money per hour (per instance, or per hour of warm execution on FaaS)
  double price_high = 8.0;
  double idle_w = 0.0;  // power figures, per instance
  double busy_w = 0.0;
};

struct RandomInstanceSpec {
  int components = 5;
  int max_deployments = 3;
  int max_partitions = 4;
  int min_instances = 3;  // max_instances of each edge/VM type drawn in [min, max]
  int max_instances = 5;
  std::vector<RandomLayerSpec> layers;
  double arrival_rate = 0.11;               // requests/s
  double memory_low = 256.0 * 1024 * 1024;  // bytes a partition needs
  double memory_high = 2048.0 * 1024 * 1024;
  double resource_memory = 8192.0 * 1024 * 1024;  // bytes per instance
  double data_low = 4e6 / 8;                      // bytes between partitions/components
  double data_high = 7e6 / 8;
  double exit_probability_high = 0.5;  // early-exit probabilities drawn in [0, high] (last partition 0)
  int local_constraints = 1;
  int path_constraints = 1;
  double local_low = 120.0;  // s
  double local_high = 150.0;
  double path_low = 200.0;
  double path_high = 250.0;
};

/// Layers of SPACE4AI-D scalability scenario 1..4 (Table B.3(a)): drone, edge, VM and FaaS
/// layers with 2, 4, 4 and 2–5 resources, constraints per Table B.2, 5/7/10/15 components.
RandomInstanceSpec space4ai_scalability_spec(int scenario);

/// A random instance; always valid (PlacementProblem::validate passes), not always feasible.
PlacementProblem random_instance(const RandomInstanceSpec& spec, std::uint64_t seed);

}  // namespace continuum::placement
