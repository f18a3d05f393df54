// Turns per host: the next start the rate allows, and the end of a Retry-After pause.
#include "workload/io/host_gate.hpp"

#include <algorithm>

namespace fanout {

std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  return std::string(url);
}

double HostGate::admit(const std::string& host) {
  const Clock::time_point now = Clock::now();
  std::lock_guard lock(mutex_);
  State& s = hosts_[host];
  Clock::time_point start = std::max({now, s.next_start, s.paused_until});
  if (interval_s_ > 0) {
    s.next_start = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(interval_s_));
  }
  return std::chrono::duration<double>(start - now).count();
}

void HostGate::back_off(const std::string& host, double seconds) {
  if (seconds <= 0) return;
  const Clock::time_point until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(seconds));
  std::lock_guard lock(mutex_);
  State& s = hosts_[host];
  s.paused_until = std::max(s.paused_until, until);
}

}  // namespace fanout
