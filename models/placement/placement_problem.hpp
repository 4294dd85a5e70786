#pragma once
// The design-time placement problem of SPACE4AI-D (AI-SPRINT D2.1 §4.7 and Appendix B): an
// application DAG of components, each with candidate deployments (chains of DNN partitions), to be
// placed on edge devices, VM clusters and FaaS functions grouped in computational layers joined by
// network domains, under memory, stability and response-time constraints at minimum cost.
//
// The type knows nothing of files: the SPACE4AI-D JSON importer (sim/io/space4ai_json.hpp) and a
// YAML scenario loader both build it. All quantities are SI: seconds, bytes, bit/s, requests/s,
// watts, and money per second (a price "per hour" in a file is divided by 3600 on import).
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace continuum::placement {

inline constexpr std::size_t no_index = std::numeric_limits<std::size_t>::max();

enum class ResourceKind { edge, vm, faas };

/// "edge", "vm" or "faas".
std::string_view to_string(ResourceKind kind);

/// Power drawn by one instance: idle_w when idle, busy_w when fully busy, linear in between
/// (power = idle + (busy − idle)·U). Zero by default: SPACE4AI-D files carry no power figures.
struct PowerModel {
  double idle_w = 0.0;
  double busy_w = 0.0;
};

/// A candidate resource type: an edge device model, a VM flavour, or a FaaS configuration.
struct Resource {
  std::string name;
  std::string description;
  ResourceKind kind = ResourceKind::edge;
  std::size_t layer = 0;         // index into PlacementProblem::layers
  int max_instances = 1;         // edge/VM: largest cluster ("number"); FaaS: unused
  double price = 0.0;            // money/s: per instance (edge, VM) or per second of warm execution (FaaS)
  double memory = 0.0;           // bytes per instance (edge, VM) or per function instance (FaaS)
  int cores = 1;                 // informative: the SPACE4AI-D evaluator models one PS server per instance
  double keep_alive = 600.0;     // FaaS: idle time before an instance is reclaimed, s
  double transition_cost = 0.0;  // FaaS: money per invocation (state transition), 0 under OSCAR
  PowerModel power;
};

/// A computational layer: at most one of its edge/VM resources may be used in a placement; every
/// FaaS configuration of a FaaS layer may be used at once.
struct ComputationalLayer {
  std::string name;
  ResourceKind kind = ResourceKind::edge;
  std::vector<std::size_t> resources;
};

/// Transfer of s bytes between two layers of the domain: access_delay + 8·s / bandwidth.
struct NetworkDomain {
  std::string name;
  std::vector<std::size_t> layers;
  double access_delay = 0.0;  // s
  double bandwidth = 0.0;     // bit/s
};

/// How a partition's response time on a resource is predicted.
enum class ResponseModel {
  processor_sharing,  // QTedge / QTcloud: M/M/1-PS per instance, R = D / (1 − U)
  faas,               // PACSLTK: Mahmoudi–Khazaei steady state at the partition's rate
  faas_static,        // PACSLTKSTATIC: the same formula, evaluated once per (function, rate)
};

/// One way to run a partition: on `resource`, with its memory need and demands there.
struct PlacementOption {
  std::size_t resource = 0;
  double memory = 0.0;       // bytes the partition occupies on the resource
  double demand = 0.0;       // s: service demand without contention (PS) or warm time (FaaS)
  double cold_demand = 0.0;  // s: FaaS cold-start time (start-up + first execution)
  ResponseModel model = ResponseModel::processor_sharing;
};

/// Bytes the last partition of a deployment sends to one successor component.
struct ComponentTransfer {
  std::size_t component = 0;
  double bytes = 0.0;
};

struct Partition {
  std::string name;
  double early_exit_probability = 0.0;  // the request ends after this partition with this probability
  double output_bytes = 0.0;            // sent to the next partition (or, if last, to any successor
                                        // not listed in `to_components`)
  std::vector<ComponentTransfer> to_components;  // last partition only: bytes per successor
  std::vector<PlacementOption> options;          // the compatible resources
};

/// A candidate deployment: an ordered chain of partitions.
struct Deployment {
  std::string name;
  std::vector<Partition> partitions;
};

struct Component {
  std::string name;
  std::vector<Deployment> deployments;
};

/// DAG edge: a request leaving `from` goes on to `to` with `probability`.
struct DagEdge {
  std::size_t from = 0;
  std::size_t to = 0;
  double probability = 1.0;
};

struct LocalConstraint {
  std::size_t component = 0;
  double max_response_time = 0.0;  // s
};

/// Response-time bound on a sequence of components (a path of the DAG).
struct PathConstraint {
  std::string name;
  std::vector<std::size_t> components;
  double max_response_time = 0.0;  // s
};

struct PlacementProblem {
  std::string name;
  std::vector<ComputationalLayer> layers;
  std::vector<Resource> resources;
  std::vector<NetworkDomain> domains;
  std::vector<Component> components;
  std::vector<DagEdge> edges;
  std::vector<LocalConstraint> local_constraints;
  std::vector<PathConstraint> path_constraints;
  double arrival_rate = 0.0;  // requests/s entering every source component (no predecessor)
  double horizon = 3600.0;    // s: the period the cost and energy are charged over (T)

  /// Throws std::invalid_argument naming the first inconsistency (bad index, probability outside
  /// [0, 1], a cycle in the DAG, a partition with no compatible resource, a non-positive demand…).
  void validate() const;

  /// Request rate of each component: sources receive arrival_rate, others
  /// λ_k = Σ_{edges j→k} p_jk·λ_j. Requires a valid (acyclic) DAG.
  std::vector<double> component_rates() const;

  /// Components in a topological order of the DAG; throws std::invalid_argument on a cycle.
  std::vector<std::size_t> topological_order() const;

  /// Index of the component, resource or layer with that name, or no_index.
  std::size_t find_component(std::string_view component_name) const;
  std::size_t find_resource(std::string_view resource_name) const;
  std::size_t find_layer(std::string_view layer_name) const;
};

/// Rate of each partition of a deployment reached with the component rate λ: the first gets λ,
/// each next one the previous rate times (1 − e) of the previous partition.
std::vector<double> partition_rates(const Deployment& deployment, double component_rate);

/// Bytes `last` (the final partition of a deployment) sends to component `successor`.
double bytes_to_component(const Partition& last, std::size_t successor);

}  // namespace continuum::placement
