#pragma once
// Neighbourhood moves of the local search and the tabu search (MODELS.md §5). A move changes the
// structure of a placement (deployments and options); the caller sizes the clusters afterwards.
// Neighbours are visited in a fixed order (components, partitions, options, resources by index),
// so both searches are deterministic.
#include <functional>

#include "models/placement/evaluation.hpp"
#include "models/placement/placement.hpp"
#include "models/placement/placement_evaluator.hpp"

namespace continuum::placement::detail {

enum class Move {
  // local search, in the order it tries them
  faas_to_vm,         // one FaaS partition to a VM it is compatible with
  cloud_to_edge,      // the first VM/FaaS partition of a component to an edge device
  cheaper_faas,       // one FaaS partition to a FaaS configuration of lower cost
  change_deployment,  // another deployment, each partition on its cheapest usable resource
  drop_resource,      // all partitions of one edge/VM resource to resources already in use or FaaS
  change_resource,    // all partitions of one edge/VM resource to another resource of its layer
  // tabu search
  change_faas,            // one FaaS partition to another FaaS configuration
  move_busiest_node,      // all partitions of the most utilised node to another edge/VM resource
  to_less_utilised_node,  // one partition to a node in use with lower utilisation
  to_faas,                // one edge/VM partition to FaaS
  from_faas,              // one FaaS partition to an edge/VM resource
};

/// Receives each neighbour (a modified copy it may alter); returns true to stop the visit.
using NeighbourVisitor = std::function<bool(Placement&)>;

/// Visits the neighbours of `current` (feasible, evaluated as `evaluation`) under `move`; returns
/// true if the visitor stopped the visit.
bool visit_neighbours(Move move, const PlacementEvaluator& evaluator, const Placement& current,
                      const Evaluation& evaluation, const NeighbourVisitor& visitor);

}  // namespace continuum::placement::detail
