// StopFlag: a request to stop taking new tasks, set from a signal handler, a workload's halt rule
// or its walltime, read by every worker; StopReason says which of them asked.
#pragma once

#include <atomic>
#include <cstdint>

namespace fanout {

/// Why a run stops taking new tasks: a signal (its number), a workload's halt rule that lets the
/// tasks in flight finish (halt soon) or ends them (halt now), or the allocation's end, before
/// which the next task would not finish (walltime: the tasks in flight finish, the next job of a
/// chain runs the rest).
class StopReason {
 public:
  enum class Kind : std::uint8_t { none, walltime, signal, halt_soon, halt_now };

  constexpr StopReason() = default;
  static constexpr StopReason walltime() { return StopReason(Kind::walltime, 0); }
  static constexpr StopReason signal(int number) { return StopReason(Kind::signal, number); }
  static constexpr StopReason halt_soon() { return StopReason(Kind::halt_soon, 0); }
  static constexpr StopReason halt_now() { return StopReason(Kind::halt_now, 0); }

  constexpr Kind kind() const { return kind_; }
  /// The signal's number for Kind::signal, else 0.
  constexpr int signal_number() const { return kind_ == Kind::signal ? number_ : 0; }
  constexpr bool is_halt() const { return kind_ == Kind::halt_soon || kind_ == Kind::halt_now; }
  /// True when the tasks in flight are ended too (a signal, halt now), not left to finish.
  constexpr bool ends_tasks() const { return kind_ == Kind::signal || kind_ == Kind::halt_now; }
  constexpr explicit operator bool() const { return kind_ != Kind::none; }
  friend constexpr bool operator==(StopReason, StopReason) = default;

  /// The reason as one int, for a lock-free atomic and for ranks that agree on the largest
  /// (MPI MAX): 0 for none, 1 for walltime, a signal's number plus one, and halts above every
  /// signal, so that any signal wins over walltime, a halt over a signal and halt now over halt
  /// soon.
  constexpr int code() const {
    switch (kind_) {
      case Kind::none:
        return 0;
      case Kind::walltime:
        return kWalltimeCode;
      case Kind::signal:
        return number_ > 0 && number_ < kHaltCode - 1 ? number_ + 1 : kHaltCode - 1;
      case Kind::halt_soon:
        return kHaltCode;
      case Kind::halt_now:
        return kHaltCode + 1;
    }
    return 0;
  }
  /// The reason code() gave (none for 0 or less).
  static constexpr StopReason from_code(int code) {
    if (code <= 0) return {};
    if (code == kWalltimeCode) return walltime();
    if (code < kHaltCode) return signal(code - 1);
    return code == kHaltCode ? halt_soon() : halt_now();
  }

 private:
  static constexpr int kWalltimeCode = 1;
  static constexpr int kHaltCode = 1 << 16;
  constexpr StopReason(Kind kind, int number) : kind_(kind), number_(number) {}
  Kind kind_ = Kind::none;
  int number_ = 0;
};

/// Set once (by a SIGTERM/SIGINT handler, a workload's halt rule or walltime, or a test); task
/// sources then hand out nothing more and executors start no further task, so a run ends after
/// the tasks already in flight. Every member is a lock-free atomic access, safe from a signal
/// handler and from any thread.
class StopFlag {
 public:
  /// Records why. The first reason stays, except walltime, which any other reason replaces (a
  /// signal or a halt then still ends the tasks that walltime let finish); an empty one is
  /// ignored.
  void request(StopReason reason) noexcept {
    const int code = reason.code();
    if (code == 0) return;
    int current = 0;
    while (!code_.compare_exchange_weak(current, code, std::memory_order_relaxed)) {
      if (current != StopReason::walltime().code() || code == current) return;
    }
  }
  /// Relaxed: the flag publishes no data, it only has to be seen soon, and it costs one load
  /// of a line nobody writes on the per-task path.
  bool requested() const noexcept { return code_.load(std::memory_order_relaxed) != 0; }
  /// The first reason given to request(), or none.
  StopReason reason() const noexcept {
    return StopReason::from_code(code_.load(std::memory_order_relaxed));
  }
  /// Back to "not requested" (a new run in the same process, a test).
  void clear() noexcept { code_.store(0, std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<int>::is_always_lock_free,
                "a signal handler may only touch lock-free atomics");
  std::atomic<int> code_{0};
};

/// True when `flag` is given and set: the check sources and executors make between tasks.
inline bool stop_requested(const StopFlag* flag) noexcept {
  return flag != nullptr && flag->requested();
}

}  // namespace fanout
