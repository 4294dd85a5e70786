#pragma once
// The plain description of one scenario, as the loader (sim/io) builds it from YAML and the
// system model (models/system) runs it. Values are SI: seconds, bytes, bit/s, W, FLOP, FLOP/s,
// money, money per second. No file knowledge here; every name refers to a definition by name.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/faas/faas_spec.hpp"
#include "models/queueing/service_station.hpp"
#include "sim/engine/distribution.hpp"
#include "sim/engine/sim_time.hpp"

namespace continuum {

struct PowerSpec {
  double idle_w = 0.0;
  double busy_w = 0.0;
};

/// Money for a device: per hour of provisioning, or a purchase price amortised over its lifetime.
struct CostSpec {
  double per_second = 0.0;      // scenario files say e.g. `0.75/h`
  double purchase_price = 0.0;  // charged pro rata: price · horizon / lifetime
  double lifetime = 0.0;        // seconds; 0 when no purchase price
};

struct FailureSpec {
  double mttf = 0.0;   // mean time to failure (s), exponential
  double mttr = 0.0;   // mean time to repair (s), exponential
  bool retry = false;  // requests on a failed instance are retried elsewhere (else lost)
  int max_retries = 3;
  double retry_delay = 0.0;  // s before a retry is dispatched
};

struct DeviceTypeSpec {
  std::string name;
  std::string layer;  // computational layer: edge, fog, cloud, ...
  int cores = 1;
  double speed = 0.0;                   // FLOP/s per core; 0 when demands are measured times only
  double memory = 0.0;                  // bytes
  std::optional<std::uint64_t> buffer;  // max waiting requests per instance; none: unbounded
  Discipline discipline = Discipline::fcfs;
  PowerSpec power;
  CostSpec cost;
  std::optional<FailureSpec> failures;
};

enum class DispatchRule { random, round_robin, least_loaded };

/// A group of `count` identical instances of one device type; requests are spread over them.
struct DeviceSpec {
  std::string name;
  std::string type;
  int count = 1;
  DispatchRule dispatch = DispatchRule::random;
  std::string site;  // topology site, when the scenario has a topology
};

/// Outages of a topology link or a network domain (docs/scenario-format.md, `outages`): scheduled
/// windows and/or random exponential failures and repairs. A transfer that needs the element while it
/// is down is lost (loss cause link_down) or retried after `retry_delay`, up to `max_retries` times.
struct OutageSpec {
  std::vector<std::pair<SimTime, SimTime>> windows;  // scheduled, [start, end)
  double mttf = 0.0;                                 // random outages; 0: none
  double mttr = 0.0;
  bool retry = false;
  int max_retries = 3;
  double retry_delay = 0.0;
};

/// AI-SPRINT network domain: a transfer of s bytes between devices of layers it contains takes
/// access_delay + 8 s / bandwidth; the fastest such domain is used.
struct NetworkDomainSpec {
  std::string name;
  std::vector<std::string> layers;
  double access_delay = 0.0;   // s
  double bandwidth = 0.0;      // bit/s
  double tx_power_w = 0.0;     // sender power while transmitting
  double rx_power_w = 0.0;     // receiver power while receiving
  double cost_per_byte = 0.0;  // money per byte moved
  std::optional<OutageSpec> outages;
};

/// Physical topology: sites joined by links. Routes follow the shortest total latency; concurrent
/// transfers share each link's bandwidth max-min fairly. Used for transfers between devices that
/// both have a site; otherwise the network domains apply.
struct LinkSpec {
  std::string name;
  std::string a;
  std::string b;
  double latency = 0.0;         // s, one way
  double bandwidth = 0.0;       // bit/s, each direction
  double energy_per_bit = 0.0;  // J/bit spent by the link
  std::optional<OutageSpec> outages;
};

struct TopologySpec {
  std::vector<std::string> sites;
  std::vector<LinkSpec> links;
};

struct PartitionSpec {
  std::string name;
  double memory = 0.0;                         // bytes
  std::map<std::string, Distribution> demand;  // device type -> service time (s)
  std::optional<Distribution> flop;            // work in FLOP, divided by the device speed
  double output_bytes = 0.0;                   // sent to the next partition
  double early_exit = 0.0;                     // probability to finish after this partition
  /// Devices and FaaS functions `continuum optimize` may place it on (empty: every device with a
  /// demand for it that fits its memory; FaaS functions only when listed).
  std::vector<std::string> candidates;
};

struct DeploymentSpec {
  std::string name;
  std::vector<PartitionSpec> partitions;
};

struct ComponentSpec {
  std::string name;
  std::vector<DeploymentSpec> deployments;
  std::optional<double> local_constraint;  // max response time of this component (s)
};

struct EdgeSpec {
  std::string from;
  std::string to;
  double probability = 1.0;
  double data_bytes = 0.0;
};

struct PathConstraintSpec {
  std::string name;
  std::vector<std::string> components;  // consecutive along DAG edges
  double limit = 0.0;                   // s
};

struct ApplicationSpec {
  std::vector<ComponentSpec> components;
  std::vector<EdgeSpec> edges;
  std::vector<PathConstraintSpec> path_constraints;
};

/// Where a partition runs. `kind` leaves room for FaaS functions and other targets.
struct PlacementTarget {
  enum class Kind { device, faas } kind = Kind::device;
  std::string name;
};

struct ComponentPlacement {
  std::string deployment;
  std::map<std::string, PlacementTarget> partitions;  // partition name -> target
};

struct ArrivalSpec {
  enum class Process { poisson, deterministic, renewal, mmpp, piecewise, trace } process = Process::poisson;
  double rate = 0.0;                    // poisson / deterministic (1/s)
  std::optional<Distribution> gaps;     // renewal
  double rates[2] = {0.0, 0.0};         // mmpp
  double switch_rates[2] = {0.0, 0.0};  // mmpp
  std::vector<SimTime> starts;          // piecewise
  std::vector<double> profile_rates;    // piecewise
  SimTime period = 0.0;                 // piecewise (0: not periodic)
  std::vector<SimTime> timestamps;      // trace (already read from the CSV)
};

struct SourceSpec {
  std::string name;
  std::string entry;  // first component
  ArrivalSpec arrivals;
};

struct SimulationSpec {
  SimTime horizon = 3600.0;
  SimTime warmup = 0.0;
  std::uint64_t seed = 1;
  std::optional<std::uint64_t> max_events;
  std::optional<std::uint64_t> max_requests;
  /// Wall-clock seconds a run may take; set from the command line only (`--max-wall`), never from
  /// a scenario file, because where it stops depends on the machine.
  std::optional<double> max_wall;
  int replications = 1;
  /// After the horizon, sources stop and requests in flight finish (so offered = completed + lost);
  /// the drain itself is bounded by this many seconds.
  SimTime drain_limit = 1e6;
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  SimulationSpec simulation;
  std::vector<std::string> layers;
  /// Layers whose devices `continuum optimize` treats as cloud VMs (the others are edge layers).
  std::vector<std::string> cloud_layers;
  std::vector<DeviceTypeSpec> device_types;
  std::vector<DeviceSpec> devices;
  std::vector<FaasPlatformSpec> faas_platforms;  // function names are unique across platforms
  std::vector<NetworkDomainSpec> domains;
  TopologySpec topology;
  ApplicationSpec application;
  std::map<std::string, ComponentPlacement> placement;  // component name -> placement
  std::vector<SourceSpec> sources;
};

}  // namespace continuum
