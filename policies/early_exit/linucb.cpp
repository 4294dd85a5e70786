#include "policies/early_exit/linucb.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace continuum::early_exit {

LinUcb::LinUcb(int arm_count, int dimension, double alpha, double ridge_lambda)
    : dimension_(dimension), alpha_(alpha), tracker_(arm_count) {
  if (dimension < 1) throw std::invalid_argument("LinUcb: dimension must be >= 1");
  if (!std::isfinite(alpha) || alpha < 0.0)
    throw std::invalid_argument("LinUcb: alpha must be finite and >= 0");
  if (!std::isfinite(ridge_lambda) || ridge_lambda <= 0.0)
    throw std::invalid_argument("LinUcb: ridge_lambda must be finite and > 0");
  arms_.resize(static_cast<std::size_t>(arm_count));
  for (Arm& arm : arms_) {
    arm.a_inverse = Eigen::MatrixXd::Identity(dimension, dimension) / ridge_lambda;
    arm.b = Eigen::VectorXd::Zero(dimension);
  }
}

Eigen::Map<const Eigen::VectorXd> LinUcb::as_vector(std::span<const double> context) const {
  if (context.size() != static_cast<std::size_t>(dimension_))
    throw std::invalid_argument("LinUcb: context has " + std::to_string(context.size()) +
                                " features, expected " + std::to_string(dimension_));
  return Eigen::Map<const Eigen::VectorXd>(context.data(), dimension_);
}

double LinUcb::upper_bound(int arm, std::span<const double> context) const {
  const auto x = as_vector(context);
  const Arm& a = arms_.at(static_cast<std::size_t>(arm));
  const Eigen::VectorXd a_inv_x = a.a_inverse * x;
  const double width = std::sqrt(std::max(x.dot(a_inv_x), 0.0));
  return (a.a_inverse * a.b).dot(x) + alpha_ * width;
}

int LinUcb::select(std::span<const double> context) const {
  int best = 0;
  double best_bound = -std::numeric_limits<double>::infinity();
  for (int a = 0; a < arm_count(); ++a) {
    const double bound = upper_bound(a, context);
    if (bound > best_bound) {
      best_bound = bound;
      best = a;
    }
  }
  return best;
}

Eigen::VectorXd LinUcb::coefficients(int arm) const {
  const Arm& a = arms_.at(static_cast<std::size_t>(arm));
  return a.a_inverse * a.b;
}

void LinUcb::update(int arm, std::span<const double> context, double reward) {
  if (arm < 0 || arm >= arm_count()) throw std::out_of_range("LinUcb: arm index out of range");
  if (!std::isfinite(reward)) throw std::invalid_argument("LinUcb: reward must be finite");
  const auto x = as_vector(context);
  Arm& a = arms_[static_cast<std::size_t>(arm)];
  // Sherman–Morrison: (A + x xᵀ)⁻¹ from A⁻¹ in O(d²); A⁻¹ is symmetric, so A⁻¹x serves both sides.
  const Eigen::VectorXd u = a.a_inverse * x;
  a.a_inverse.noalias() -= (u * u.transpose()) / (1.0 + x.dot(u));
  a.b += reward * x;
  ++a.pulls;
  received_ += reward;
}

void LinUcb::update(int arm, std::span<const double> context, std::span<const double> rewards_of_all_arms) {
  static_cast<void>(as_vector(context));  // reject a bad context before anything is recorded
  if (arm < 0 || arm >= arm_count()) throw std::out_of_range("LinUcb: arm index out of range");
  if (rewards_of_all_arms.size() != arms_.size())
    throw std::invalid_argument("LinUcb: need one reward per arm");
  const double reward = rewards_of_all_arms[static_cast<std::size_t>(arm)];
  if (!std::isfinite(reward)) throw std::invalid_argument("LinUcb: reward must be finite");
  tracker_.record(arm, rewards_of_all_arms);
  update(arm, context, reward);
}

}  // namespace continuum::early_exit
