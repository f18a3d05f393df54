// Thread-count defaults from the environment and the affinity mask.
#include "exec/worker_count.hpp"

#include <sched.h>

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace fanout {

int affinity_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  // More CPUs than a cpu_set_t holds, or no affinity support: the machine's count is the best left.
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

int default_threads() {
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    // OMP_NUM_THREADS may list one count per nesting level; the outer level is ours.
    std::string_view text(env);
    text = text.substr(0, text.find(','));
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && n > 0) return n;
  }
  return affinity_cores();
}

}  // namespace fanout
