#pragma once
// The run-time early-exit policies as the simulator calls them: adapters from the model's ExitPolicy
// interface (models/early_exit/exit_policy.hpp) to the decision cores of this folder. Each adapter
// keeps the state its core needs (a rate estimate, pending decisions of the bandits) and translates the
// model's events into the core's calls. Names, parameters and defaults: registry.hpp and
// docs/models/early_exit.md.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/early_exit/exit_policy.hpp"
#include "policies/early_exit/bandit.hpp"
#include "policies/early_exit/gate.hpp"
#include "policies/early_exit/knapsack_exit.hpp"
#include "policies/early_exit/linucb.hpp"
#include "policies/early_exit/queueing_lp.hpp"
#include "policies/early_exit/rate_estimator.hpp"
#include "policies/early_exit/reactive_exit.hpp"

namespace continuum::early_exit {

/// The gates as the edge device serves them: Gate{edge_mean, edge_variance, accuracy}. A gate past the
/// split holds the edge device for the edge part only, so the single-exit schedulers (which protect the
/// edge buffer) see its edge time and its accuracy.
std::vector<Gate> edge_gates(const ExitPolicySetup& setup);

/// AdaEE reward of every threshold arm for one input, generalised to several gates: with g(τ) the gate
/// where the input leaves under threshold τ (first_gate_reaching) and s the split gate,
///     r(τ) = 0                                     if g(τ) ≤ s  (answered at the edge),
///     r(τ) = max(c_{g(τ)} − c_s, 0) − overhead     otherwise   (offloaded: confidence gained − o).
/// With two gates and s = 0 this is adaee_reward(c_0, c_1, τ, o) of Pacheco et al.
void threshold_rewards(const InputRecord& input, std::span<const double> thresholds, int last_edge_gate,
                       double overhead, std::vector<double>& rewards);

/// `arms` thresholds evenly spaced over [low, high] (both included; one arm → low).
std::vector<double> threshold_grid(int arms, double low, double high);

/// Every input leaves at one fixed gate (single_exit). gate 0: "always shallowest".
class FixedGatePolicy final : public ExitPolicy {
 public:
  FixedGatePolicy(int gate_count, int gate);
  std::string_view name() const override { return "fixed_gate"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::single_exit; }
  int choose_gate(const ExitContext&) override { return gate_; }

 private:
  int gate_;
};

/// One fixed confidence threshold for every input (threshold mode).
class FixedThresholdPolicy final : public ExitPolicy {
 public:
  explicit FixedThresholdPolicy(double threshold);
  std::string_view name() const override { return "fixed_threshold"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::threshold; }
  double choose_threshold(const ExitContext&) override { return threshold_; }

 private:
  double threshold_;
};

/// The plain network: the deepest gate (single_exit) or a threshold no confidence reaches (threshold).
class AlwaysDeepestPolicy final : public ExitPolicy {
 public:
  explicit AlwaysDeepestPolicy(int gate_count) : deepest_(gate_count - 1) {}
  std::string_view name() const override { return "always_deepest"; }
  bool supports(ExitMode) const override { return true; }
  int choose_gate(const ExitContext&) override { return deepest_; }
  double choose_threshold(const ExitContext&) override;

 private:
  int deepest_;
};

/// ReactiveExitPolicy: a lost arrival → one gate shallower; the edge device empties → one gate deeper.
class ReactivePolicy final : public ExitPolicy {
 public:
  ReactivePolicy(int gate_count, int initial_gate) : core_(gate_count, initial_gate) {}
  std::string_view name() const override { return "reactive"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::single_exit; }
  int choose_gate(const ExitContext&) override { return core_.current_gate(); }
  void on_arrival(SimTime, bool admitted) override;
  void on_queue_empty(SimTime) override { core_.on_queue_empty(); }
  const ReactiveExitPolicy& core() const { return core_; }

 private:
  ReactiveExitPolicy core_;
};

/// KnapsackExitPolicy with λ̂ from a RateEstimator fed every arrival; q = jobs waiting on the edge device.
class KnapsackPolicy final : public ExitPolicy {
 public:
  /// time_quantum ≤ 0 → suggested_time_quantum(gates).
  KnapsackPolicy(std::vector<Gate> gates, int buffer_capacity, double time_quantum, std::size_t window);
  std::string_view name() const override { return "knapsack"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::single_exit; }
  int choose_gate(const ExitContext& context) override;
  void on_arrival(SimTime now, bool) override { rate_.on_arrival(now); }
  const KnapsackExitPolicy& core() const { return core_; }

 private:
  KnapsackExitPolicy core_;
  RateEstimator rate_;
};

/// QueueingLpExitPolicy with λ̂ from a RateEstimator fed every arrival.
class QueueingLpPolicy final : public ExitPolicy {
 public:
  QueueingLpPolicy(std::vector<Gate> gates, int buffer_capacity, double loss_target, int grid_points,
                   double relative_threshold, std::size_t window);
  std::string_view name() const override { return "queueing_lp"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::single_exit; }
  int choose_gate(const ExitContext& context) override;
  void on_arrival(SimTime now, bool) override { rate_.on_arrival(now); }
  const QueueingLpExitPolicy& core() const { return core_; }

 private:
  QueueingLpExitPolicy core_;
  RateEstimator rate_;
};

/// AdaEE: UCB1 over candidate thresholds, one bandit per input class (or one for all, context "all").
/// The bandit learns when an input's outcome arrives (answered or lost downstream) from
/// threshold_rewards, and records regret against the best fixed threshold in hindsight.
class UcbThresholdPolicy final : public ExitPolicy {
 public:
  /// input_classes: the run's class names (ExitPolicySetup::input_classes), indexed by
  /// InputRecord::input_class.
  UcbThresholdPolicy(std::vector<double> thresholds, double exploration_c, bool per_class,
                     std::vector<std::string> input_classes, int last_edge_gate, double offload_overhead);
  std::string_view name() const override { return "ucb"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::threshold; }
  double choose_threshold(const ExitContext& context) override;
  void on_outcome(const ExitOutcome& outcome) override;
  std::optional<LearningReport> learning() const override;

  const std::vector<double>& thresholds() const { return thresholds_; }
  const ContextualUcb& bandits() const { return bandits_; }
  /// The bandit's context key for an input class: the class name, or "all" without per-class bandits.
  std::string_view context_key(std::uint32_t input_class) const;

 private:
  std::vector<double> thresholds_;
  bool per_class_;
  std::vector<std::string> classes_;
  int last_edge_gate_;
  double overhead_;
  ContextualUcb bandits_;
  std::unordered_map<std::uint64_t, int> pending_;  // job → arm, until its outcome
  std::vector<double> rewards_;
};

/// LinUCB over candidate thresholds with the context
///     x = (1, q/(K+1), min(λ̂·t_s, 2)/2, min(backlog, 8)/8, one-hot input class (classes after the first)),
/// q the edge queue, K its waiting places, t_s the mean edge time up to the split, backlog the tensors on the
/// uplink. Reward: threshold_rewards with the overhead o·(1 + link_weight·backlog) (link_weight 0: AdaEE's).
class LinUcbThresholdPolicy final : public ExitPolicy {
 public:
  LinUcbThresholdPolicy(std::vector<double> thresholds, double alpha, double ridge_lambda, double link_weight,
                        std::size_t window, const ExitPolicySetup& setup);
  std::string_view name() const override { return "linucb"; }
  bool supports(ExitMode mode) const override { return mode == ExitMode::threshold; }
  double choose_threshold(const ExitContext& context) override;
  void on_arrival(SimTime now, bool) override { rate_.on_arrival(now); }
  void on_outcome(const ExitOutcome& outcome) override;
  std::optional<LearningReport> learning() const override;

  const std::vector<double>& thresholds() const { return thresholds_; }
  const LinUcb& bandit() const { return bandit_; }

 private:
  struct Pending {
    int arm;
    double overhead;
    std::vector<double> features;
  };
  std::vector<double> features(const ExitContext& context) const;

  std::vector<double> thresholds_;
  double link_weight_;
  int last_edge_gate_;
  double overhead_;
  double queue_scale_;
  double split_time_;
  std::size_t classes_;
  RateEstimator rate_;
  LinUcb bandit_;
  std::unordered_map<std::uint64_t, Pending> pending_;
  std::vector<double> rewards_;
};

}  // namespace continuum::early_exit
