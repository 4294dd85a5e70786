#include "sim/engine/event_queue.hpp"

#include <cassert>
#include <stdexcept>

namespace continuum {

void EventQueue::reserve(std::size_t events) {
  heap_.reserve(events);
  slots_.reserve(events);
  free_slots_.reserve(events);
}

EventHandle EventQueue::push(SimTime time, EventHandler* target, std::uint32_t kind, std::uint64_t payload) {
  if (next_sequence_ > max_sequence) throw std::overflow_error("event queue: sequence numbers exhausted");
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slots_.size() > slot_mask) throw std::length_error("event queue: more than 2^24 pending events");
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& entry = slots_[slot];
  entry.target = target;
  entry.kind = kind;
  entry.payload = payload;
  heap_.emplace_back();
  sift_up(heap_.size() - 1, Key{time, (next_sequence_++ << slot_bits) | slot});
  return EventHandle{slot, entry.generation};
}

bool EventQueue::is_pending(EventHandle handle) const {
  return handle.valid() && handle.slot < slots_.size() &&
         slots_[handle.slot].generation == handle.generation && slots_[handle.slot].heap_index != not_in_heap;
}

bool EventQueue::cancel(EventHandle handle) {
  if (!is_pending(handle)) return false;
  const std::uint32_t index = slots_[handle.slot].heap_index;
  release(handle.slot);
  remove_at(index);
  return true;
}

FiredEvent EventQueue::pop() {
  assert(!heap_.empty());
  const Key top = heap_.front();
  const Slot& slot = slots_[top.slot()];
  const FiredEvent fired{top.time, slot.target, slot.kind, slot.payload};
  release(top.slot());
  remove_at(0);
  return fired;
}

void EventQueue::clear() {
  for (const Key& key : heap_) release(key.slot());
  heap_.clear();
}

void EventQueue::release(std::uint32_t slot) {
  Slot& entry = slots_[slot];
  entry.heap_index = not_in_heap;
  ++entry.generation;  // invalidates outstanding handles to this slot
  free_slots_.push_back(slot);
}

void EventQueue::remove_at(std::size_t index) {
  // The last key fills the hole, moving up or down from it; keys are written once per level.
  const Key last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;
  if (index > 0 && last < heap_[(index - 1) / arity]) {
    sift_up(index, last);
  } else {
    sift_down(index, last);
  }
}

void EventQueue::sift_up(std::size_t index, Key key) {
  while (index > 0) {
    const std::size_t parent = (index - 1) / arity;
    if (!(key < heap_[parent])) break;
    place(index, heap_[parent]);
    index = parent;
  }
  place(index, key);
}

void EventQueue::sift_down(std::size_t index, Key key) {
  const std::size_t size = heap_.size();
  for (;;) {
    const std::size_t first = index * arity + 1;
    if (first >= size) break;
    std::size_t best = first;
    const std::size_t last = first + arity < size ? first + arity : size;
    for (std::size_t child = first + 1; child < last; ++child)
      if (heap_[child] < heap_[best]) best = child;
    if (!(heap_[best] < key)) break;
    place(index, heap_[best]);
    index = best;
  }
  place(index, key);
}

}  // namespace continuum
