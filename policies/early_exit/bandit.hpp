#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace continuum::early_exit {

/// AdaEE reward of one input (Pacheco et al., ICC 2023; MODELS.md §6). The arm is a confidence threshold τ
/// at the edge gate: an input whose edge confidence reaches τ exits at the edge and earns 0; otherwise it is
/// offloaded and earns the confidence it gains there minus the offload overhead o:
///     r = 0                                       if edge_confidence ≥ threshold,
///     r = max(final_confidence − edge_confidence, 0) − offload_overhead   otherwise.
/// Confidences in [0, 1]; offload_overhead in the same (confidence) units, ≥ 0.
double adaee_reward(double edge_confidence, double final_confidence, double threshold,
                    double offload_overhead);

/// Cumulative reward and regret against the best fixed arm in hindsight. Fed the reward of *every* arm in
/// each round (known in simulation, or an expected-reward table for pseudo-regret):
///     regret(T) = max_a Σ_{t≤T} r_{t,a} − Σ_{t≤T} r_{t,a_t}.
class RegretTracker {
 public:
  explicit RegretTracker(int arm_count);
  void record(int chosen_arm, std::span<const double> rewards_of_all_arms);
  double cumulative_reward() const { return received_; }
  double regret() const;
  /// Rounds recorded so far.
  long rounds() const { return rounds_; }
  /// The arm with the largest total reward so far (lowest index on ties).
  int best_fixed_arm() const;

 private:
  std::vector<double> totals_;
  double received_ = 0.0;
  long rounds_ = 0;
};

/// UCB1 (Auer, Cesa-Bianchi & Fischer 2002) as used by AdaEE: each arm is pulled once first (lowest index
/// first), then the arm maximising
///     Q̂_a + c · √(ln t / N_a)
/// where Q̂_a is the mean observed reward of arm a, N_a its pulls and t the total pulls so far; ties go to
/// the lowest index. c ≥ 0 (default 1) trades exploration for exploitation. O(A) per selection, O(1) per
/// update. Rewards may be any real numbers (AdaEE's lie in [−o, 1]); c should match their range.
class Ucb1 {
 public:
  explicit Ucb1(int arm_count, double exploration_c = 1.0);

  int select() const;
  /// Learns from the reward of the pulled arm.
  void update(int arm, double reward);
  /// Learns from rewards[arm] and also records regret against the best fixed arm (RegretTracker).
  void update(int arm, std::span<const double> rewards_of_all_arms);

  int arm_count() const { return static_cast<int>(pulls_.size()); }
  long pulls(int arm) const { return pulls_.at(static_cast<std::size_t>(arm)); }
  long total_pulls() const { return total_; }
  double mean_reward(int arm) const { return means_.at(static_cast<std::size_t>(arm)); }
  double cumulative_reward() const { return received_; }
  /// Regret over the rounds updated with full reward vectors (0 if none).
  double regret() const { return tracker_.regret(); }
  const RegretTracker& regret_tracker() const { return tracker_; }

 private:
  double c_;
  std::vector<long> pulls_;
  std::vector<double> means_;
  long total_ = 0;
  double received_ = 0.0;
  RegretTracker tracker_;
};

/// One independent UCB1 per context key (AdaEE runs one bandit per input-distortion class). A context's
/// bandit is created on first use. Its regret is the sum of the per-context regrets, i.e. the benchmark is
/// the best fixed arm *per context*. Lookup O(log #contexts).
class ContextualUcb {
 public:
  explicit ContextualUcb(int arm_count, double exploration_c = 1.0);

  int select(std::string_view context);
  void update(std::string_view context, int arm, double reward);
  void update(std::string_view context, int arm, std::span<const double> rewards_of_all_arms);

  /// The bandit of one context, or nullptr if it has never been used.
  const Ucb1* find(std::string_view context) const;
  std::size_t context_count() const { return bandits_.size(); }
  double cumulative_reward() const;
  double regret() const;

 private:
  Ucb1& bandit(std::string_view context);

  int arm_count_;
  double c_;
  std::map<std::string, Ucb1, std::less<>> bandits_;
};

}  // namespace continuum::early_exit
