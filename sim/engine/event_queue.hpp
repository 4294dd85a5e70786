#pragma once
// The pending-event set: a flat 4-ary min-heap of 16-byte keys over a slot pool.
//
// Cost (n pending events): push O(log4 n), pop O(log4 n), cancel O(log4 n) (eager removal by the
// heap index kept in the slot, as OMNeT++'s cEventHeap does), top O(1). Memory: 16 B per heap
// key + 32 B per slot; both vectors only grow, so a warmed-up run does no allocation per event.
// Order: (time, insertion sequence) — events at equal times fire first-in first-out.
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/engine/sim_time.hpp"

namespace continuum {

class Simulation;

/// Whatever reacts to events implements this: one virtual call per event, no std::function.
class EventHandler {
 public:
  virtual void on_event(Simulation& simulation, std::uint32_t kind, std::uint64_t payload) = 0;

 protected:
  ~EventHandler() = default;
};

/// Identifies one scheduled event so that it can be cancelled. A stale handle (the event fired or
/// was cancelled, and its slot reused) is detected by the generation counter.
struct EventHandle {
  std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t generation = 0;
  bool valid() const { return slot != std::numeric_limits<std::uint32_t>::max(); }
};

struct FiredEvent {
  SimTime time;
  EventHandler* target;
  std::uint32_t kind;
  std::uint64_t payload;
};

class EventQueue {
 public:
  EventQueue() = default;
  void reserve(std::size_t events);

  EventHandle push(SimTime time, EventHandler* target, std::uint32_t kind, std::uint64_t payload);
  /// Removes the event if it is still pending; returns whether it was.
  bool cancel(EventHandle handle);
  bool is_pending(EventHandle handle) const;
  /// Removes and returns the earliest event. Precondition: !empty().
  FiredEvent pop();

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  SimTime top_time() const { return heap_.empty() ? time_infinity : heap_.front().time; }
  void clear();

 private:
  // The sequence number takes the high 40 bits of `order`, the slot the low 24: comparing `order`
  // compares sequence numbers (unique), so the key stays 16 bytes and four siblings share a cache line.
  static constexpr int slot_bits = 24;
  static constexpr std::uint64_t slot_mask = (std::uint64_t{1} << slot_bits) - 1;
  static constexpr std::uint64_t max_sequence = (std::uint64_t{1} << (64 - slot_bits)) - 1;
  static constexpr std::size_t arity = 4;
  static constexpr std::uint32_t not_in_heap = std::numeric_limits<std::uint32_t>::max();

  struct Key {
    SimTime time;
    std::uint64_t order;
    bool operator<(const Key& other) const {
      return time < other.time || (time == other.time && order < other.order);
    }
    std::uint32_t slot() const { return static_cast<std::uint32_t>(order & slot_mask); }
  };
  struct Slot {
    EventHandler* target = nullptr;
    std::uint64_t payload = 0;
    std::uint32_t kind = 0;
    std::uint32_t heap_index = not_in_heap;
    std::uint32_t generation = 0;
  };

  void sift_up(std::size_t index, Key key);
  void sift_down(std::size_t index, Key key);
  void place(std::size_t index, const Key& key) {
    heap_[index] = key;
    slots_[key.slot()].heap_index = static_cast<std::uint32_t>(index);
  }
  void remove_at(std::size_t index);
  void release(std::uint32_t slot);

  std::vector<Key> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace continuum
