// Process CPU time from getrusage, for the per-rank user+sys figures, and the clock's resolution.
#include "timing/clock.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>

namespace fanout {

CpuTimes process_cpu_times() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec * 1e-6; };
  return {secs(ru.ru_utime), secs(ru.ru_stime)};
}

double clock_resolution_s() {
  double best = std::numeric_limits<double>::infinity();
  auto prev = Clock::now();
  for (int i = 0; i < 5000; ++i) {
    const auto now = Clock::now();
    if (now != prev) best = std::min(best, seconds_between(prev, now));
    prev = now;
  }
  return std::isinf(best) ? std::chrono::duration<double>(Clock::duration(1)).count() : best;
}

}  // namespace fanout

namespace fanout {

std::string utc_now_iso8601() { return utc_iso8601(static_cast<double>(std::time(nullptr))); }

std::string utc_iso8601(double epoch_s) {
  const auto t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double epoch_now_s() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace fanout
