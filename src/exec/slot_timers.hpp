// SlotTimers: at most one pending time per slot, earliest first, in an indexed binary heap.
#pragma once

#include <cstddef>
#include <vector>

#include "timing/clock.hpp"

namespace fanout {

/// Retries and deadlines of the event-loop engine. Arming a slot that is armed moves its time;
/// disarming takes it out at once (O(log n)), so a million tasks that end before their deadline
/// leave nothing behind.
class SlotTimers {
 public:
  explicit SlotTimers(int slots) : pos_(static_cast<std::size_t>(slots), kNone) {}

  void arm(int slot, Clock::time_point due);
  void disarm(int slot);
  bool armed(int slot) const { return pos_[static_cast<std::size_t>(slot)] != kNone; }
  bool empty() const { return heap_.empty(); }
  /// The earliest armed time; call only when not empty().
  Clock::time_point earliest() const { return heap_.front().due; }
  /// The slot of the earliest time, disarmed; call only when not empty().
  int pop();

 private:
  struct Item {
    Clock::time_point due;
    int slot;
  };
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  void place(std::size_t at, Item item);
  void sift_up(std::size_t at);
  void sift_down(std::size_t at);
  void remove_at(std::size_t at);

  std::vector<Item> heap_;
  std::vector<std::size_t> pos_;  ///< by slot: index in heap_, kNone when not armed
};

}  // namespace fanout
