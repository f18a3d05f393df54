// The epoll side of curl's socket API: curl says which sockets to watch, epoll says which are
// ready.
#include "http/multi_events.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace fanout {
namespace {

/// Ready sockets taken per epoll_wait; more simply wait for the next call, which does not block.
constexpr int kMaxEvents = 512;
/// interest_ of a descriptor that is not in the epoll set.
constexpr std::uint32_t kNotWatched = ~0u;

std::runtime_error sys_error(const char* what) {
  return std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

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

MultiEvents::MultiEvents(CURLM* multi) : multi_(multi), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) throw sys_error("epoll_create1");
  if (curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &MultiEvents::on_socket) != CURLM_OK ||
      curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this) != CURLM_OK ||
      curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &MultiEvents::on_timer) != CURLM_OK ||
      curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this) != CURLM_OK) {
    ::close(epoll_fd_);
    throw std::runtime_error("curl_multi_setopt: cannot install the socket and timer callbacks");
  }
}

MultiEvents::~MultiEvents() {
  // curl_multi_cleanup closes pooled connections and would report them to a dead object.
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, nullptr);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, nullptr);
  ::close(epoll_fd_);
}

void MultiEvents::wait_and_act(std::chrono::milliseconds max_wait) {
  using namespace std::chrono;
  auto wait = std::max(max_wait, milliseconds(0));
  if (timer_due_) {
    const auto until_timer = ceil<milliseconds>(*timer_due_ - steady_clock::now());
    wait = std::clamp(until_timer, milliseconds(0), wait);
  }
  epoll_event events[kMaxEvents];
  const int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>(wait.count()));
  if (n < 0 && errno != EINTR) throw sys_error("epoll_wait");
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (static_cast<std::size_t>(fd) < parked_.size() && parked_[fd]) {
      // Pooled and idle: the server closed it or sent something unasked. curl checks a pooled
      // connection before reusing it, so only stop the wake-ups.
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      parked_[fd] = false;
      interest_[fd] = kNotWatched;
      continue;
    }
    // A socket closed by an earlier action in this batch is unknown to curl, which ignores it.
    act(fd, to_curl(events[i].events));
  }
  if (timer_due_ && *timer_due_ <= steady_clock::now()) {
    timer_due_.reset();  // before acting: the action may set the next timer
    act(CURL_SOCKET_TIMEOUT, 0);
  }
}

void MultiEvents::act(curl_socket_t s, int flags) {
  int running = 0;
  const CURLMcode rc = curl_multi_socket_action(multi_, s, flags, &running);
  if (!callback_error_.empty()) throw std::runtime_error(std::exchange(callback_error_, {}));
  check(rc, "curl_multi_socket_action");
}

int MultiEvents::on_socket(CURL*, curl_socket_t s, int what, void* self, void*) {
  return static_cast<MultiEvents*>(self)->watch(s, what);
}

int MultiEvents::on_timer(CURLM*, long timeout_ms, void* self) {
  auto* me = static_cast<MultiEvents*>(self);
  if (timeout_ms < 0) {
    me->timer_due_.reset();
  } else {
    me->timer_due_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

int MultiEvents::watch(curl_socket_t s, int what) {
  if (s < 0) return 0;
  const auto fd = static_cast<std::size_t>(s);
  if (fd >= interest_.size()) {
    interest_.resize(fd + 1, kNotWatched);
    parked_.resize(fd + 1, false);
  }
  if (what == CURL_POLL_REMOVE) {
    if (interest_[fd] != kNotWatched) parked_[fd] = true;
    return 0;
  }
  // A parked number may have been closed (which took it out of the set) and reused by now, so
  // its registration is renewed even when the events are the same.
  const bool renew = parked_[fd];
  parked_[fd] = false;
  return set_interest(s, to_epoll(what), renew) ? 0 : -1;
}

bool MultiEvents::set_interest(curl_socket_t s, std::uint32_t events, bool renew) {
  std::uint32_t& current = interest_[static_cast<std::size_t>(s)];
  // curl reports REMOVE before it closes a socket it watches, so an unparked entry is current.
  if (current == events && !renew) return true;
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = s;
  int op = current == kNotWatched ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (::epoll_ctl(epoll_fd_, op, s, &ev) != 0) {
    op = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
    if (op < 0 || ::epoll_ctl(epoll_fd_, op, s, &ev) != 0) {
      callback_error_ = std::string("epoll_ctl: ") + std::strerror(errno);
      current = kNotWatched;
      return false;
    }
  }
  current = events;
  return true;
}

}  // namespace fanout
