// CurlSockets: a curl multi handle driven by the engine's EventLoop through curl's socket API.
#pragma once

#include <curl/curl.h>

#include <string>

#include "exec/event_loop.hpp"

namespace fanout {

/// Installs CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION on `multi`, watches the sockets curl
/// names on `loop` and arms an alarm for curl's timer (curl's hiperfifo shape, without libevent).
/// A wake-up costs the sockets that are ready, not every transfer. A socket curl stops watching
/// (a finished transfer's connection going back to the pool) is parked in the loop; for the easy
/// handles given to adopt(), whose sockets the loop sees opened and closed, the next transfer on a
/// parked connection costs no epoll_ctl. Uninstalls itself on destruction, so it must die before
/// the multi handle is cleaned up; `loop` must outlive it.
class CurlSockets : public EventLoop::Watcher, public EventLoop::Alarm {
 public:
  /// Throws std::runtime_error if the callbacks cannot be installed.
  CurlSockets(CURLM* multi, EventLoop& loop);
  ~CurlSockets() override;
  CurlSockets(const CurlSockets&) = delete;
  CurlSockets& operator=(const CurlSockets&) = delete;

  /// Opens and closes `easy`'s sockets through the loop (CURLOPT_OPENSOCKETFUNCTION and
  /// CURLOPT_CLOSESOCKETFUNCTION), so their registrations survive a pooled connection's idle time.
  /// The loop must outlive `easy`'s connections (the multi handle's cleanup closes the pooled
  /// ones). Throws std::runtime_error if curl refuses the options.
  void adopt(CURL* easy);

  /// A socket curl watches is ready: curl acts on it.
  void on_ready(int fd, std::uint32_t events) override;
  /// curl's timer is due: curl acts on its timeouts.
  void on_due() override;

 private:
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  static curl_socket_t on_open(void* loop, curlsocktype purpose, struct curl_sockaddr* address);
  static int on_close(void* loop, curl_socket_t s);
  void act(curl_socket_t s, int flags);

  CURLM* multi_;
  EventLoop& loop_;
  /// A failure inside a callback (epoll refusing a socket), thrown once curl has returned.
  std::string callback_error_;
};

}  // namespace fanout
