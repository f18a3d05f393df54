// Host name, core counts and thread defaults from the operating system and the environment.
#include "launch/host.hpp"

#include <sched.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "cli/text.hpp"

namespace fanout {

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  std::string h(buf);
  if (const auto dot = h.find('.'); dot != std::string::npos) h.resize(dot);
  return h;
}

int online_cores() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

std::vector<int> affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

int affinity_cores() {
  if (const auto n = static_cast<int>(affinity_cpus().size()); n > 0) return n;
  // More CPUs than a cpu_set_t holds, or no affinity support: the machine's count is the best left.
  const unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

int default_threads() {
  if (const char* env = std::getenv("OMP_NUM_THREADS")) {
    // OMP_NUM_THREADS may list one count per nesting level; the outer level is ours.
    std::string_view text(env);
    text = trim(text.substr(0, text.find(',')));
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && n > 0) return n;
  }
  return affinity_cores();
}

}  // namespace fanout
