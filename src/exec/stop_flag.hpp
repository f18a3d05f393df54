// StopFlag: a request to stop taking new tasks, set from a signal handler, read by every worker.
#pragma once

#include <atomic>

namespace fanout {

/// Set once (by a SIGTERM/SIGINT handler, or a test); task sources then hand out nothing more and
/// executors start no further task, so a run ends after the tasks already in flight. Every member
/// is a lock-free atomic access, safe from a signal handler and from any thread.
class StopFlag {
 public:
  /// Records why (a nonzero reason, e.g. the signal number). The first reason stays.
  void request(int reason) noexcept {
    int none = 0;
    reason_.compare_exchange_strong(none, reason, std::memory_order_relaxed);
  }
  /// Relaxed: the flag publishes no data, it only has to be seen soon, and it costs one load
  /// of a line nobody writes on the per-task path.
  bool requested() const noexcept { return reason_.load(std::memory_order_relaxed) != 0; }
  /// The first reason given to request(), or 0.
  int reason() const noexcept { return reason_.load(std::memory_order_relaxed); }
  /// Back to "not requested" (a new run in the same process, a test).
  void clear() noexcept { reason_.store(0, std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may only touch lock-free atomics");
  std::atomic<int> reason_{0};
};

/// Reasons besides a signal's number: a workload's halt rule asked the run to stop, letting the
/// tasks in flight finish (soon) or ending them (now). Above every signal number, so that when
/// ranks agree on the largest reason a halt wins.
inline constexpr int kStopHaltSoon = 1000;
inline constexpr int kStopHaltNow = 1001;

/// True when `flag` is given and set: the check sources and executors make between tasks.
inline bool stop_requested(const StopFlag* flag) noexcept { return flag != nullptr && flag->requested(); }

}  // namespace fanout
