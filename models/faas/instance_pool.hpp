#pragma once
// A set of FaaS instances ordered by creation, answering "which is the most recently created?"
// (SimFaaS's scheduling rule: the newest idle instance serves a warm request, so the older ones stay
// idle long enough to expire and the pool shrinks after a burst).
//
// Binary max-heap of (order, instance) with each instance's heap position kept in a side table:
// insert, erase (any member) and pop cost O(log n), top and contains O(1). Both vectors only grow,
// so a warmed-up pool allocates nothing. SimFaaS itself scans every instance on each arrival.
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace continuum {

class InstancePool {
 public:
  static constexpr std::uint32_t npos = std::numeric_limits<std::uint32_t>::max();

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  bool contains(std::uint32_t instance) const {
    return instance < position_.size() && position_[instance] != npos;
  }

  /// The member with the largest order (the most recently created). Precondition: !empty().
  std::uint32_t top() const { return heap_.front().instance; }

  /// Adds `instance` with creation order `order`; orders are unique (larger = newer).
  void insert(std::uint32_t instance, std::uint64_t order) {
    if (contains(instance)) throw std::logic_error("InstancePool: instance already in the pool");
    if (instance >= position_.size()) position_.resize(static_cast<std::size_t>(instance) + 1, npos);
    heap_.push_back({order, instance});
    sift_up(heap_.size() - 1);
  }

  /// Removes `instance` if it is a member; returns whether it was.
  bool erase(std::uint32_t instance) {
    if (!contains(instance)) return false;
    const std::size_t index = position_[instance];
    position_[instance] = npos;
    const Entry last = heap_.back();
    heap_.pop_back();
    if (index < heap_.size()) {
      heap_[index] = last;
      position_[last.instance] = static_cast<std::uint32_t>(index);
      if (index > 0 && heap_[parent(index)].order < last.order)
        sift_up(index);
      else
        sift_down(index);
    }
    return true;
  }

  /// Removes and returns the most recent member. Precondition: !empty().
  std::uint32_t pop() {
    const std::uint32_t instance = top();
    erase(instance);
    return instance;
  }

  void clear() {
    for (const Entry& entry : heap_) position_[entry.instance] = npos;
    heap_.clear();
  }

 private:
  struct Entry {
    std::uint64_t order;
    std::uint32_t instance;
  };
  static std::size_t parent(std::size_t index) { return (index - 1) / 2; }

  void place(std::size_t index, const Entry& entry) {
    heap_[index] = entry;
    position_[entry.instance] = static_cast<std::uint32_t>(index);
  }
  void sift_up(std::size_t index) {
    const Entry entry = heap_[index];
    while (index > 0 && heap_[parent(index)].order < entry.order) {
      place(index, heap_[parent(index)]);
      index = parent(index);
    }
    place(index, entry);
  }
  void sift_down(std::size_t index) {
    const Entry entry = heap_[index];
    const std::size_t n = heap_.size();
    for (;;) {
      std::size_t child = 2 * index + 1;
      if (child >= n) break;
      if (child + 1 < n && heap_[child].order < heap_[child + 1].order) ++child;
      if (!(entry.order < heap_[child].order)) break;
      place(index, heap_[child]);
      index = child;
    }
    place(index, entry);
  }

  std::vector<Entry> heap_;
  std::vector<std::uint32_t> position_;  // heap index of each instance, npos when absent
};

}  // namespace continuum
