// Process CPU time from getrusage, for the per-rank user+sys figures.
#include "timing/clock.hpp"

#include <sys/resource.h>

namespace fanout {

CpuTimes process_cpu_times() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec * 1e-6; };
  return {secs(ru.ru_utime), secs(ru.ru_stime)};
}

}  // namespace fanout
