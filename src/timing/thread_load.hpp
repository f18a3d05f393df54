// How busy the calling thread is: the share of wall time it ran on a CPU and the share it waited,
// runnable, for one, over a short window, from its own CPU clock and /proc/thread-self/schedstat.
#pragma once

#include <cstdint>
#include <optional>

#include "timing/clock.hpp"

namespace fanout {

/// The calling thread's CPU time and scheduler run delay so far, seconds.
struct ThreadTimes {
  double cpu_s = 0;
  /// Time spent runnable but waiting for a CPU (schedstat's second field); nullopt where the
  /// kernel does not say (no /proc/thread-self/schedstat).
  std::optional<double> run_wait_s;
};
ThreadTimes read_thread_times();

/// A thread's load over a window, whole percent of its wall time (0 .. 100 each).
struct ThreadLoad {
  std::uint8_t cpu_pct = 0;   ///< running on a CPU
  std::uint8_t wait_pct = 0;  ///< runnable, waiting for a CPU (0 where unknown)
};

/// The load between two readings `wall_s` apart; zero when no time passed.
ThreadLoad load_between(const ThreadTimes& from, const ThreadTimes& to, double wall_s);

/// Windows this long or longer: a whole window of a busy loop is many of its wake-ups, and the
/// two reads per window cost a few microseconds in tens of milliseconds.
inline constexpr double kLoadWindowS = 0.02;

/// The calling thread's load over its last complete window of at least kLoadWindowS (its first
/// call starts a window and says zero). Cheap between windows: one comparison of `now`.
ThreadLoad current_thread_load(Clock::time_point now);

}  // namespace fanout
