// The epoll side of curl's socket API: curl says which sockets to watch, the loop says which are
// ready.
#include "workload/io/curl_sockets.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <utility>

namespace fanout {
namespace {

void check(CURLMcode rc, const char* what) {
  if (rc != CURLM_OK) throw std::runtime_error(std::string(what) + ": " + curl_multi_strerror(rc));
}

std::uint32_t to_epoll(int what) {
  std::uint32_t events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= EPOLLIN;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= EPOLLOUT;
  return events;
}

int to_curl(std::uint32_t events) {
  int flags = 0;
  // A hang-up is read as end of stream, which is how curl notices a closed connection.
  if (events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) flags |= CURL_CSELECT_IN;
  if (events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
  if (events & EPOLLERR) flags |= CURL_CSELECT_ERR;
  return flags;
}

}  // namespace

CurlSockets::CurlSockets(CURLM* multi, EventLoop& loop) : multi_(multi), loop_(loop) {
  if (curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlSockets::on_socket) != CURLM_OK ||
      curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this) != CURLM_OK ||
      curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlSockets::on_timer) != CURLM_OK ||
      curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this) != CURLM_OK) {
    throw std::runtime_error("curl_multi_setopt: cannot install the socket and timer callbacks");
  }
  loop_.add_alarm(this);
}

CurlSockets::~CurlSockets() {
  // curl_multi_cleanup closes pooled connections and would report them to a dead object.
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, nullptr);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, nullptr);
  loop_.remove_alarm(this);
}

void CurlSockets::adopt(CURL* easy) {
  if (curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &CurlSockets::on_open) != CURLE_OK ||
      curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &loop_) != CURLE_OK ||
      curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlSockets::on_close) != CURLE_OK ||
      curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, &loop_) != CURLE_OK) {
    throw std::runtime_error(
        "curl_easy_setopt: cannot install the socket open and close callbacks");
  }
}

void CurlSockets::on_ready(int fd, std::uint32_t events) { act(fd, to_curl(events)); }

void CurlSockets::on_due() { act(CURL_SOCKET_TIMEOUT, 0); }

void CurlSockets::act(curl_socket_t s, int flags) {
  int running = 0;
  const CURLMcode rc = curl_multi_socket_action(multi_, s, flags, &running);
  if (!callback_error_.empty()) throw std::runtime_error(std::exchange(callback_error_, {}));
  check(rc, "curl_multi_socket_action");
}

int CurlSockets::on_socket(CURL*, curl_socket_t s, int what, void* self_ptr, void*) {
  auto* self = static_cast<CurlSockets*>(self_ptr);
  if (s < 0) return 0;
  if (what == CURL_POLL_REMOVE) {
    // curl reports REMOVE before it closes a socket, and also when a connection goes back to the
    // pool: keep it in the set then, the next request on it will want it again.
    self->loop_.unwatch(s, true);
    return 0;
  }
  try {
    self->loop_.watch(s, to_epoll(what), self);
  } catch (const std::exception& e) {
    // Nothing may be thrown through curl; act() throws it once curl has returned.
    self->callback_error_ = e.what();
    return -1;
  }
  return 0;
}

int CurlSockets::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<CurlSockets*>(self_ptr);
  self->due =
      timeout_ms < 0 ? EventLoop::never() : Clock::now() + std::chrono::milliseconds(timeout_ms);
  return 0;
}

// curl's own default (socket(2) with the address's family, type and protocol), told to the loop.
curl_socket_t CurlSockets::on_open(void* loop, curlsocktype, struct curl_sockaddr* address) {
  const int s = ::socket(address->family, address->socktype, address->protocol);
  if (s >= 0) static_cast<EventLoop*>(loop)->opened(s);
  return s >= 0 ? s : CURL_SOCKET_BAD;
}

int CurlSockets::on_close(void* loop, curl_socket_t s) {
  static_cast<EventLoop*>(loop)->closing(s);
  return ::close(s);
}

}  // namespace fanout
