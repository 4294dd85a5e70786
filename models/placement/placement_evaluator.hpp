#pragma once
// The SPACE4AI-D evaluator (MODELS.md §4): predicts response times, checks every constraint and
// prices a placement. Everything that does not depend on the placement (partition rates, FaaS
// response times, FaaS cost and energy, network links between layers) is computed once in the
// constructor, so one evaluation is a few passes over the partitions with no allocation.
//
// Formulas (T = horizon, λ_p = partition rate, e = early-exit probability):
//   rates       λ_k = Σ_{j→k} p_jk·λ_j (sources get the arrival rate); λ_{h+1} = λ_h·(1 − e_h)
//   edge / VM   per instance U_r = Σ_{p on r} D_p·λ_p / n_r, infeasible at U_r ≥ 1;
//               R_p = D_p / (1 − U_r)  (M/M/1-PS; the load is split evenly over the n_r instances)
//   FaaS        R_p = Mahmoudi–Khazaei steady-state response time (λ_p, warm, cold, keep-alive)
//   transfer    0 on the same resource, else min over domains joining both layers of
//               access_delay + 8·bytes / bandwidth
//   component   R_c = r_1 + Σ_{k≥2} Π_{m<k}(1 − e_m)·(r_k + transfer(k−1 → k))
//   path        Σ R_c + transfer(last partition of c_i → first partition of c_{i+1})
//   cost        Σ_{used edge/VM r} n_r·price_r·T + Σ_{FaaS p} (price·w_p + transition)·λ_p·T
//   energy      Σ_{used edge/VM r} n_r·(idle + (busy − idle)·U_r)·T
//               + Σ_{FaaS p} (idle·(m̄ − b̄) + busy·b̄)·T, m̄ / b̄ = mean alive / running instances
// Constraints: compatibility (by construction of the options), at most one resource per edge/VM
// layer, 1 ≤ n_r ≤ max, memory (Σ partition memory ≤ instance memory on edge/VM — every instance
// hosts every partition of its cluster; each partition ≤ function memory on FaaS), U < 1, no
// partition of a component on the edge after one ran on a VM or FaaS, local and path bounds.
//
// Thread safety: const member functions may be called concurrently.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/placement/evaluation.hpp"
#include "models/placement/placement.hpp"
#include "models/placement/placement_problem.hpp"

namespace continuum::placement {

enum class EvaluationMode {
  verdict,   // stop at the first violated constraint (cost, energy, objective left unset)
  full,      // compute every figure, recording the first violation
  detailed,  // full, plus the response time of every partition
};

class PlacementEvaluator {
 public:
  /// Validates the problem (std::invalid_argument) and precomputes; throws std::invalid_argument
  /// if a FaaS model cannot be solved for a partition's parameters.
  explicit PlacementEvaluator(PlacementProblem problem, Objective objective = {});

  void evaluate(const Placement& placement, Evaluation& out,
                EvaluationMode mode = EvaluationMode::verdict) const;
  Evaluation evaluate(const Placement& placement, EvaluationMode mode = EvaluationMode::full) const;

  const PlacementProblem& problem() const { return problem_; }
  const Objective& objective() const { return objective_; }
  const std::vector<double>& component_rates() const { return component_rates_; }

  /// Rate of partition h of deployment s of component c.
  double partition_rate(std::size_t c, std::size_t s, std::size_t h) const {
    return partitions_[deployment_first_[c][s] + h].rate;
  }
  /// Predicted FaaS response time of that partition on FaaS option o (NaN for a PS option).
  double faas_response_time(std::size_t c, std::size_t s, std::size_t h, std::size_t o) const;
  /// Cost over the horizon of running that partition on FaaS option o (0 for a PS option).
  double faas_cost(std::size_t c, std::size_t s, std::size_t h, std::size_t o) const;
  /// Energy over the horizon of running that partition on FaaS option o (0 for a PS option).
  double faas_energy(std::size_t c, std::size_t s, std::size_t h, std::size_t o) const;
  /// Transfer time of `bytes` between two layers (+∞ when no domain joins them; 0 bytes still
  /// pays the access delay).
  double transfer_time(std::size_t layer_a, std::size_t layer_b, double bytes) const;

 private:
  struct OptionInfo {
    std::uint32_t resource;
    ResourceKind kind;
    double demand;       // D (PS)
    double load;         // D·λ_p (PS)
    double response;     // FaaS response time
    double memory;       // bytes
    double faas_cost;    // money over the horizon
    double faas_energy;  // J over the horizon
  };
  struct PartitionInfo {
    double rate;
    double weight;        // Π_{m<h}(1 − e_m): share of the component's requests reaching it
    double output_bytes;  // to the next partition
    std::uint32_t first_option;
    std::uint32_t option_count;
  };
  struct Link {
    double access_delay;
    double bandwidth;
  };

  const OptionInfo& option_info(std::size_t c, std::size_t s, std::size_t h, std::size_t o) const {
    return options_[partitions_[deployment_first_[c][s] + h].first_option + o];
  }

  PlacementProblem problem_;
  Objective objective_;
  std::vector<double> component_rates_;
  std::vector<std::vector<std::uint32_t>> deployment_first_;  // [c][s] → index into partitions_
  std::vector<PartitionInfo> partitions_;
  std::vector<OptionInfo> options_;
  std::vector<std::vector<Link>> links_;          // [layer_a·L + layer_b]
  std::vector<double> local_bound_;               // per component, +∞ if none
  std::vector<std::size_t> local_constraint_of_;  // per component, no_index if none
};

}  // namespace continuum::placement
