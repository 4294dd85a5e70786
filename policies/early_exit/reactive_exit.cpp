#include "policies/early_exit/reactive_exit.hpp"

#include <stdexcept>

namespace continuum::early_exit {

ReactiveExitPolicy::ReactiveExitPolicy(int gate_count, int initial_gate)
    : gate_count_(gate_count), gate_(initial_gate) {
  if (gate_count_ < 1) throw std::invalid_argument("ReactiveExitPolicy: gate_count must be >= 1");
  if (gate_ < 0 || gate_ >= gate_count_)
    throw std::invalid_argument("ReactiveExitPolicy: initial_gate must be in [0, gate_count - 1]");
}

void ReactiveExitPolicy::on_loss() {
  if (gate_ > 0) --gate_;
}

void ReactiveExitPolicy::on_queue_empty() {
  if (gate_ + 1 < gate_count_) ++gate_;
}

}  // namespace continuum::early_exit
