// The one clock every measurement uses, and seconds as double.
#pragma once

#include <chrono>
#include <string>

namespace fanout {

using Clock = std::chrono::steady_clock;

inline double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// Process CPU time (user, system) in seconds, from getrusage(RUSAGE_SELF).
struct CpuTimes {
  double user_s = 0;
  double sys_s = 0;
};
CpuTimes process_cpu_times();

/// Wall-clock time now as ISO 8601 in UTC, e.g. "2026-11-24T21:08:20Z", for report headers.
std::string utc_now_iso8601();
/// The same of `epoch_s`, seconds since 1970 (whole seconds shown).
std::string utc_iso8601(double epoch_s);
/// Wall-clock time now, seconds since 1970 (UTC): what logs written for other tools record.
double epoch_now_s();

/// Observed resolution of Clock: the smallest positive step between consecutive now() calls over
/// a short probe (a few thousand calls). Runs shorter than ~100x this cannot be timed well.
double clock_resolution_s();

}  // namespace fanout
