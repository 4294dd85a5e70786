#include "policies/early_exit/exit_policies.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace continuum::early_exit {

std::vector<Gate> edge_gates(const ExitPolicySetup& setup) {
  std::vector<Gate> gates;
  gates.reserve(setup.gates.size());
  for (const GateProfile& gate : setup.gates)
    gates.push_back({gate.edge_mean, gate.edge_variance, gate.accuracy});
  return gates;
}

void threshold_rewards(const InputRecord& input, std::span<const double> thresholds, int last_edge_gate,
                       double overhead, std::vector<double>& rewards) {
  rewards.resize(thresholds.size());
  const double edge_confidence = input.confidence.at(static_cast<std::size_t>(last_edge_gate));
  for (std::size_t a = 0; a < thresholds.size(); ++a) {
    const int gate = first_gate_reaching(input, thresholds[a]);
    rewards[a] =
        gate <= last_edge_gate
            ? 0.0
            : std::max(input.confidence[static_cast<std::size_t>(gate)] - edge_confidence, 0.0) - overhead;
  }
}

std::vector<double> threshold_grid(int arms, double low, double high) {
  if (arms < 1) throw std::invalid_argument("threshold grid: arms must be >= 1");
  if (!(std::isfinite(low) && std::isfinite(high) && low <= high))
    throw std::invalid_argument("threshold grid: need finite threshold_low <= threshold_high");
  std::vector<double> grid;
  for (int a = 0; a < arms; ++a) grid.push_back(arms == 1 ? low : low + (high - low) * a / (arms - 1));
  return grid;
}

FixedGatePolicy::FixedGatePolicy(int gate_count, int gate) : gate_(gate) {
  if (gate < 0 || gate >= gate_count)
    throw std::invalid_argument("fixed_gate: gate must be in [0, " + std::to_string(gate_count - 1) +
                                "], got " + std::to_string(gate));
}

FixedThresholdPolicy::FixedThresholdPolicy(double threshold) : threshold_(threshold) {
  if (std::isnan(threshold)) throw std::invalid_argument("fixed_threshold: threshold must be a number");
}

double AlwaysDeepestPolicy::choose_threshold(const ExitContext&) {
  return std::numeric_limits<double>::infinity();  // no confidence reaches it: every input runs to E − 1
}

void ReactivePolicy::on_arrival(SimTime, bool admitted) {
  if (!admitted) core_.on_loss();
}

KnapsackPolicy::KnapsackPolicy(std::vector<Gate> gates, int buffer_capacity, double time_quantum,
                               std::size_t window)
    : core_(time_quantum > 0 ? KnapsackExitPolicy(gates, buffer_capacity, time_quantum)
                             : KnapsackExitPolicy(gates, buffer_capacity)),
      rate_(window) {}

int KnapsackPolicy::choose_gate(const ExitContext& context) {
  return core_.choose_gate(context.queued_jobs, rate_.rate(), context.uniform01);
}

QueueingLpPolicy::QueueingLpPolicy(std::vector<Gate> gates, int buffer_capacity, double loss_target,
                                   int grid_points, double relative_threshold, std::size_t window)
    : core_(std::move(gates), buffer_capacity, loss_target, grid_points, relative_threshold), rate_(window) {}

int QueueingLpPolicy::choose_gate(const ExitContext& context) {
  return core_.choose_gate(rate_.rate(), context.uniform01);
}

UcbThresholdPolicy::UcbThresholdPolicy(std::vector<double> thresholds, double exploration_c, bool per_class,
                                       std::vector<std::string> input_classes, int last_edge_gate,
                                       double offload_overhead)
    : thresholds_(std::move(thresholds)),
      per_class_(per_class),
      classes_(std::move(input_classes)),
      last_edge_gate_(last_edge_gate),
      overhead_(offload_overhead),
      bandits_(static_cast<int>(thresholds_.size()), exploration_c) {
  if (classes_.empty()) classes_.push_back("default");
}

std::string_view UcbThresholdPolicy::context_key(std::uint32_t input_class) const {
  return per_class_ ? std::string_view(classes_.at(input_class)) : std::string_view("all");
}

double UcbThresholdPolicy::choose_threshold(const ExitContext& context) {
  const int arm = bandits_.select(context_key(context.input_class));
  pending_[context.job] = arm;
  return thresholds_[static_cast<std::size_t>(arm)];
}

void UcbThresholdPolicy::on_outcome(const ExitOutcome& outcome) {
  const auto found = pending_.find(outcome.job);
  if (found == pending_.end()) return;  // not one of our decisions
  const int arm = found->second;
  pending_.erase(found);
  // AdaEE's reward is a function of the input's confidences, so it is the same whether the answer
  // arrived or was lost downstream; every arm's reward is known, hence the regret.
  threshold_rewards(*outcome.input, thresholds_, last_edge_gate_, overhead_, rewards_);
  bandits_.update(context_key(outcome.input->input_class), arm, rewards_);
}

std::optional<LearningReport> UcbThresholdPolicy::learning() const {
  return LearningReport{bandits_.cumulative_reward(), bandits_.regret()};
}

namespace {
int linucb_dimension(const ExitPolicySetup& setup) {
  const auto classes = std::max<std::size_t>(1, setup.input_classes.size());
  return 4 + static_cast<int>(classes - 1);
}
}  // namespace

LinUcbThresholdPolicy::LinUcbThresholdPolicy(std::vector<double> thresholds, double alpha,
                                             double ridge_lambda, double link_weight, std::size_t window,
                                             const ExitPolicySetup& setup)
    : thresholds_(std::move(thresholds)),
      link_weight_(link_weight),
      last_edge_gate_(setup.last_edge_gate),
      overhead_(setup.offload_overhead),
      queue_scale_(setup.edge_buffer ? static_cast<double>(*setup.edge_buffer) + 1.0 : 16.0),
      split_time_(setup.gates.at(static_cast<std::size_t>(setup.last_edge_gate)).edge_mean),
      classes_(std::max<std::size_t>(1, setup.input_classes.size())),
      rate_(window),
      bandit_(static_cast<int>(thresholds_.size()), linucb_dimension(setup), alpha, ridge_lambda) {
  if (!(std::isfinite(link_weight) && link_weight >= 0))
    throw std::invalid_argument("linucb: link_weight must be a finite number >= 0");
}

std::vector<double> LinUcbThresholdPolicy::features(const ExitContext& context) const {
  std::vector<double> x(static_cast<std::size_t>(bandit_.dimension()), 0.0);
  x[0] = 1.0;
  x[1] = std::min(static_cast<double>(context.queued_jobs) / queue_scale_, 1.0);
  const double rate = rate_.rate();
  x[2] = std::isfinite(rate) ? std::min(rate * split_time_, 2.0) / 2.0 : 1.0;
  x[3] = std::min(static_cast<double>(context.link_backlog), 8.0) / 8.0;
  if (context.input_class >= 1 && context.input_class < classes_) x[3 + context.input_class] = 1.0;
  return x;
}

double LinUcbThresholdPolicy::choose_threshold(const ExitContext& context) {
  Pending pending;
  pending.features = features(context);
  pending.arm = bandit_.select(pending.features);
  pending.overhead = overhead_ * (1.0 + link_weight_ * context.link_backlog);
  const double threshold = thresholds_[static_cast<std::size_t>(pending.arm)];
  pending_[context.job] = std::move(pending);
  return threshold;
}

void LinUcbThresholdPolicy::on_outcome(const ExitOutcome& outcome) {
  const auto found = pending_.find(outcome.job);
  if (found == pending_.end()) return;
  const Pending pending = std::move(found->second);
  pending_.erase(found);
  threshold_rewards(*outcome.input, thresholds_, last_edge_gate_, pending.overhead, rewards_);
  bandit_.update(pending.arm, pending.features, rewards_);
}

std::optional<LearningReport> LinUcbThresholdPolicy::learning() const {
  return LearningReport{bandit_.cumulative_reward(), bandit_.regret()};
}

}  // namespace continuum::early_exit
