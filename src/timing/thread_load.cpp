// Reading a thread's CPU time and run delay, and its load over windows of kLoadWindowS.
#include "timing/thread_load.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace fanout {
namespace {

std::uint8_t percent(double part_s, double wall_s) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(part_s / wall_s, 0.0, 1.0) * 100));
}

/// A thread's window: when it began, what the thread had used by then, and the last whole one.
struct Window {
  bool started = false;
  Clock::time_point began{};
  ThreadTimes times;
  ThreadLoad last;
};

}  // namespace

ThreadTimes read_thread_times() {
  ThreadTimes out;
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) {
    out.cpu_s = static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  if (std::FILE* f = std::fopen("/proc/thread-self/schedstat", "r")) {
    unsigned long long on_cpu_ns = 0, wait_ns = 0;
    if (std::fscanf(f, "%llu %llu", &on_cpu_ns, &wait_ns) == 2) {
      out.run_wait_s = static_cast<double>(wait_ns) * 1e-9;
    }
    std::fclose(f);
  }
  return out;
}

ThreadLoad load_between(const ThreadTimes& from, const ThreadTimes& to, double wall_s) {
  if (!(wall_s > 0)) return {};
  ThreadLoad out;
  out.cpu_pct = percent(to.cpu_s - from.cpu_s, wall_s);
  if (from.run_wait_s && to.run_wait_s) {
    out.wait_pct = percent(*to.run_wait_s - *from.run_wait_s, wall_s);
  }
  return out;
}

ThreadLoad current_thread_load(Clock::time_point now) {
  thread_local Window w;
  if (!w.started) {
    w = {true, now, read_thread_times(), {}};
    return {};
  }
  const double wall_s = seconds_between(w.began, now);
  if (wall_s < kLoadWindowS) return w.last;
  const ThreadTimes times = read_thread_times();
  w.last = load_between(w.times, times, wall_s);
  w.began = now;
  w.times = times;
  return w.last;
}

}  // namespace fanout
