#pragma once

#include <span>
#include <vector>

#include <Eigen/Dense>

#include "policies/early_exit/bandit.hpp"

namespace continuum::early_exit {

/// LinUCB with disjoint linear models (Li, Chu, Langford & Schapire, WWW 2010, Algorithm 1). Each arm a keeps
/// a ridge regression of its reward on the context x ∈ ℝ^d (e.g. queue length, λ̂, link bandwidth, scaled to
/// comparable ranges by the caller):
///     A_a = λ I + Σ x xᵀ,  b_a = Σ r x,  θ̂_a = A_a⁻¹ b_a,
///     choose argmax_a  θ̂_aᵀ x + α √(xᵀ A_a⁻¹ x)     (ties → lowest index).
/// A_a⁻¹ is kept directly and updated by Sherman–Morrison,
///     A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x),
/// so selection costs O(A·d²) and an update O(d²); memory O(A·d²). All arms see the same context x.
/// Parameters: alpha ≥ 0 (exploration width, default 1), ridge λ > 0 (prior precision, default 1).
class LinUcb {
 public:
  LinUcb(int arm_count, int dimension, double alpha = 1.0, double ridge_lambda = 1.0);

  /// context.size() must equal dimension().
  int select(std::span<const double> context) const;
  /// Upper confidence bound θ̂_aᵀ x + α √(xᵀ A_a⁻¹ x) of one arm.
  double upper_bound(int arm, std::span<const double> context) const;
  /// Current estimate θ̂_a = A_a⁻¹ b_a.
  Eigen::VectorXd coefficients(int arm) const;

  void update(int arm, std::span<const double> context, double reward);
  /// Learns from rewards[arm] and records regret against the best fixed arm in hindsight (RegretTracker).
  void update(int arm, std::span<const double> context, std::span<const double> rewards_of_all_arms);

  int arm_count() const { return static_cast<int>(arms_.size()); }
  int dimension() const { return dimension_; }
  long pulls(int arm) const { return arms_.at(static_cast<std::size_t>(arm)).pulls; }
  double cumulative_reward() const { return received_; }
  double regret() const { return tracker_.regret(); }
  const RegretTracker& regret_tracker() const { return tracker_; }

 private:
  struct Arm {
    Eigen::MatrixXd a_inverse;
    Eigen::VectorXd b;
    long pulls = 0;
  };
  Eigen::Map<const Eigen::VectorXd> as_vector(std::span<const double> context) const;

  int dimension_;
  double alpha_;
  std::vector<Arm> arms_;
  double received_ = 0.0;
  RegretTracker tracker_;
};

}  // namespace continuum::early_exit
