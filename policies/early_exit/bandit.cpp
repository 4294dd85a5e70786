#include "policies/early_exit/bandit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace continuum::early_exit {

double adaee_reward(double edge_confidence, double final_confidence, double threshold,
                    double offload_overhead) {
  if (edge_confidence >= threshold) return 0.0;  // exits at the edge: nothing gained, nothing paid
  return std::max(final_confidence - edge_confidence, 0.0) - offload_overhead;
}

RegretTracker::RegretTracker(int arm_count) {
  if (arm_count < 1) throw std::invalid_argument("RegretTracker: arm_count must be >= 1");
  totals_.assign(static_cast<std::size_t>(arm_count), 0.0);
}

void RegretTracker::record(int chosen_arm, std::span<const double> rewards_of_all_arms) {
  if (rewards_of_all_arms.size() != totals_.size())
    throw std::invalid_argument("RegretTracker: need one reward per arm");
  if (chosen_arm < 0 || static_cast<std::size_t>(chosen_arm) >= totals_.size())
    throw std::out_of_range("RegretTracker: arm index out of range");
  for (std::size_t a = 0; a < totals_.size(); ++a) totals_[a] += rewards_of_all_arms[a];
  received_ += rewards_of_all_arms[static_cast<std::size_t>(chosen_arm)];
  ++rounds_;
}

double RegretTracker::regret() const {
  if (rounds_ == 0) return 0.0;
  return *std::max_element(totals_.begin(), totals_.end()) - received_;
}

int RegretTracker::best_fixed_arm() const {
  return static_cast<int>(std::max_element(totals_.begin(), totals_.end()) - totals_.begin());
}

Ucb1::Ucb1(int arm_count, double exploration_c) : c_(exploration_c), tracker_(arm_count) {
  if (!(exploration_c >= 0.0) || !std::isfinite(exploration_c))
    throw std::invalid_argument("Ucb1: exploration_c must be finite and >= 0");
  pulls_.assign(static_cast<std::size_t>(arm_count), 0);
  means_.assign(static_cast<std::size_t>(arm_count), 0.0);
}

int Ucb1::select() const {
  for (std::size_t a = 0; a < pulls_.size(); ++a)
    if (pulls_[a] == 0) return static_cast<int>(a);
  const double log_t = std::log(static_cast<double>(total_));
  int best = 0;
  double best_index = -std::numeric_limits<double>::infinity();
  for (std::size_t a = 0; a < pulls_.size(); ++a) {
    const double index = means_[a] + c_ * std::sqrt(log_t / static_cast<double>(pulls_[a]));
    if (index > best_index) {
      best_index = index;
      best = static_cast<int>(a);
    }
  }
  return best;
}

void Ucb1::update(int arm, double reward) {
  if (arm < 0 || arm >= arm_count()) throw std::out_of_range("Ucb1: arm index out of range");
  if (!std::isfinite(reward)) throw std::invalid_argument("Ucb1: reward must be finite");
  const auto a = static_cast<std::size_t>(arm);
  ++pulls_[a];
  ++total_;
  means_[a] += (reward - means_[a]) / static_cast<double>(pulls_[a]);
  received_ += reward;
}

void Ucb1::update(int arm, std::span<const double> rewards_of_all_arms) {
  if (arm < 0 || arm >= arm_count()) throw std::out_of_range("Ucb1: arm index out of range");
  if (rewards_of_all_arms.size() != pulls_.size())
    throw std::invalid_argument("Ucb1: need one reward per arm");
  const double reward = rewards_of_all_arms[static_cast<std::size_t>(arm)];
  if (!std::isfinite(reward)) throw std::invalid_argument("Ucb1: reward must be finite");
  tracker_.record(arm, rewards_of_all_arms);
  update(arm, reward);
}

ContextualUcb::ContextualUcb(int arm_count, double exploration_c) : arm_count_(arm_count), c_(exploration_c) {
  static_cast<void>(Ucb1(arm_count, exploration_c));  // rejects bad parameters now, not at the first input
}

Ucb1& ContextualUcb::bandit(std::string_view context) {
  auto it = bandits_.find(context);
  if (it == bandits_.end()) it = bandits_.emplace(std::string(context), Ucb1(arm_count_, c_)).first;
  return it->second;
}

int ContextualUcb::select(std::string_view context) {
  return bandit(context).select();
}

void ContextualUcb::update(std::string_view context, int arm, double reward) {
  bandit(context).update(arm, reward);
}

void ContextualUcb::update(std::string_view context, int arm, std::span<const double> rewards_of_all_arms) {
  bandit(context).update(arm, rewards_of_all_arms);
}

const Ucb1* ContextualUcb::find(std::string_view context) const {
  const auto it = bandits_.find(context);
  return it == bandits_.end() ? nullptr : &it->second;
}

double ContextualUcb::cumulative_reward() const {
  double total = 0.0;
  for (const auto& [key, b] : bandits_) total += b.cumulative_reward();
  return total;
}

double ContextualUcb::regret() const {
  double total = 0.0;
  for (const auto& [key, b] : bandits_) total += b.regret();
  return total;
}

}  // namespace continuum::early_exit
