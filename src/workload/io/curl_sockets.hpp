// CurlSockets: a curl multi handle driven by the engine's EventLoop through curl's socket API.
#pragma once

#include <curl/curl.h>

#include <string>

#include "exec/event_loop.hpp"

namespace fanout {

/// Installs CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION on `multi`, watches the sockets curl
/// names on `loop` and arms an alarm for curl's timer (curl's hiperfifo shape, without libevent).
/// A wake-up costs the sockets that are ready, not every transfer. A socket curl stops watching
/// (a finished transfer's connection going back to the pool) is parked in the loop, so the next
/// transfer on it costs no epoll_ctl. Uninstalls itself on destruction, so it must die before the
/// multi handle is cleaned up; `loop` must outlive it.
class CurlSockets : public EventLoop::Watcher, public EventLoop::Alarm {
 public:
  /// Throws std::runtime_error if the callbacks cannot be installed.
  CurlSockets(CURLM* multi, EventLoop& loop);
  ~CurlSockets() override;
  CurlSockets(const CurlSockets&) = delete;
  CurlSockets& operator=(const CurlSockets&) = delete;

  /// A socket curl watches is ready: curl acts on it.
  void on_ready(int fd, std::uint32_t events) override;
  /// curl's timer is due: curl acts on its timeouts.
  void on_due() override;

 private:
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  void act(curl_socket_t s, int flags);

  CURLM* multi_;
  EventLoop& loop_;
  /// A failure inside a callback (epoll refusing a socket), thrown once curl has returned.
  std::string callback_error_;
};

}  // namespace fanout
