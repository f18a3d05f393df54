// MultiEvents: drives a curl multi handle from epoll through curl's socket API (O(1) per event).
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

/// Installs CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION on `multi` and watches the sockets
/// curl names in an epoll set (curl's hiperfifo shape, without libevent). A wake-up costs the
/// sockets that are ready, not every transfer: curl_multi_perform + curl_multi_poll walk every
/// easy handle and every socket on each wake-up, which with 1000 transfers in flight made the
/// loop quadratic. Linux only (epoll). One per multi handle and thread; uninstalls itself on
/// destruction, so it must die before the multi handle is cleaned up.
class MultiEvents {
 public:
  /// Throws std::runtime_error if epoll or the callbacks cannot be set up.
  explicit MultiEvents(CURLM* multi);
  ~MultiEvents();
  MultiEvents(const MultiEvents&) = delete;
  MultiEvents& operator=(const MultiEvents&) = delete;

  /// Waits for ready sockets or curl's timer, at most `max_wait`, then lets curl act on every
  /// ready socket and on its timer if due. Finished transfers are then in curl_multi_info_read.
  /// Throws std::runtime_error if a curl_multi_* or epoll call fails.
  void wait_and_act(std::chrono::milliseconds max_wait);

 private:
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  int watch(curl_socket_t s, int what);
  /// epoll_ctl for `s` to `events` (skipped if already so, unless `renew`); false (and
  /// callback_error_) on failure.
  bool set_interest(curl_socket_t s, std::uint32_t events, bool renew);
  void act(curl_socket_t s, int flags);

  CURLM* multi_;
  int epoll_fd_ = -1;
  /// When curl wants curl_multi_socket_action(CURL_SOCKET_TIMEOUT); none: no timer set.
  std::optional<std::chrono::steady_clock::time_point> timer_due_;
  /// By descriptor: the events it is registered for, kNotWatched if not in the set. A socket curl
  /// stops watching (a finished transfer's connection going back to the pool) stays registered,
  /// "parked", so the next transfer on it costs no EPOLL_CTL_DEL + EPOLL_CTL_ADD; a parked
  /// socket that becomes ready is taken out then.
  std::vector<std::uint32_t> interest_;
  std::vector<bool> parked_;
  /// An epoll_ctl failure inside the socket callback, thrown once curl has returned.
  std::string callback_error_;
};

}  // namespace fanout
