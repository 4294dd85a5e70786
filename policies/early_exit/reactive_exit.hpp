#pragma once

namespace continuum::early_exit {

/// Reactive exit policy (MODELS.md §6): a feedback rule on the buffer. Each lost arrival moves the exit one
/// gate shallower (less work per job, so the buffer drains faster); each time the queue empties the exit
/// moves one gate deeper (spare capacity is spent on accuracy). The gate stays within [0, E − 1].
/// Every job started uses current_gate(). O(1) per event, no parameters besides the start gate.
class ReactiveExitPolicy {
 public:
  /// gate_count: E ≥ 1; initial_gate in [0, E − 1] (the plain-CNN start is E − 1).
  ReactiveExitPolicy(int gate_count, int initial_gate);
  /// Starts at the deepest gate, E − 1 (the plain network until the first loss).
  explicit ReactiveExitPolicy(int gate_count) : ReactiveExitPolicy(gate_count, gate_count - 1) {}

  /// Call once for every arrival lost to a full buffer.
  void on_loss();
  /// Call whenever the queue becomes empty (a departure leaves no job waiting or in service).
  void on_queue_empty();

  int current_gate() const { return gate_; }
  int gate_count() const { return gate_count_; }

 private:
  int gate_count_;
  int gate_;
};

}  // namespace continuum::early_exit
