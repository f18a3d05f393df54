// The indexed heap behind the event-loop engine's retries and deadlines.
#include "exec/slot_timers.hpp"

namespace fanout {

void SlotTimers::place(std::size_t at, Item item) {
  heap_[at] = item;
  pos_[static_cast<std::size_t>(item.slot)] = at;
}

void SlotTimers::sift_up(std::size_t at) {
  const Item item = heap_[at];
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (!(item.due < heap_[parent].due)) break;
    place(at, heap_[parent]);
    at = parent;
  }
  place(at, item);
}

void SlotTimers::sift_down(std::size_t at) {
  const Item item = heap_[at];
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child >= heap_.size()) break;
    if (child + 1 < heap_.size() && heap_[child + 1].due < heap_[child].due) ++child;
    if (!(heap_[child].due < item.due)) break;
    place(at, heap_[child]);
    at = child;
  }
  place(at, item);
}

void SlotTimers::remove_at(std::size_t at) {
  pos_[static_cast<std::size_t>(heap_[at].slot)] = kNone;
  const Item last = heap_.back();
  heap_.pop_back();
  if (at == heap_.size()) return;
  place(at, last);
  sift_down(at);
  sift_up(pos_[static_cast<std::size_t>(last.slot)]);
}

void SlotTimers::arm(int slot, Clock::time_point due) {
  if (armed(slot)) remove_at(pos_[static_cast<std::size_t>(slot)]);
  heap_.push_back({due, slot});
  pos_[static_cast<std::size_t>(slot)] = heap_.size() - 1;
  sift_up(heap_.size() - 1);
}

void SlotTimers::disarm(int slot) {
  if (armed(slot)) remove_at(pos_[static_cast<std::size_t>(slot)]);
}

int SlotTimers::pop() {
  const int slot = heap_.front().slot;
  remove_at(0);
  return slot;
}

}  // namespace fanout
