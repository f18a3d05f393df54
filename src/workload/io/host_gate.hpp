// HostGate: politeness per host inside one rank: a request-rate limit (the rank's share of
// io.rate-per-host) and a pause after a 429 or 503 for as long as its Retry-After says, for that
// host only, while other hosts' transfers go on.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fanout {

/// "host:port" of an http(s) URL as it is written (userinfo dropped), "" when it has none.
std::string url_host(std::string_view url);

/// Thread-safe; shared by every worker of a rank.
class HostGate {
 public:
  using Clock = std::chrono::steady_clock;
  /// `rate_per_s`: requests per second this rank may start to one host; 0: no limit.
  explicit HostGate(double rate_per_s) { set_rate(rate_per_s); }
  /// A new rate from now on (this rank's part of the job's, for the next measurement).
  void set_rate(double rate_per_s) {
    std::lock_guard lock(mutex_);
    interval_s_ = rate_per_s > 0 ? 1.0 / rate_per_s : 0;
  }
  /// A request to `host` wants to start now: reserves its turn and returns how many seconds to
  /// wait for it (0: go now).
  double admit(const std::string& host);
  /// `host` answered 429 or 503: no request to it starts for `seconds`.
  void back_off(const std::string& host, double seconds);

 private:
  struct State {
    Clock::time_point next_start{};    ///< the rate limit's next free turn
    Clock::time_point paused_until{};  ///< Retry-After
  };
  double interval_s_ = 0;
  std::mutex mutex_;
  std::unordered_map<std::string, State> hosts_;
};

}  // namespace fanout
