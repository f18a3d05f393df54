// epoll with cached interest, parked descriptors and alarms.
#include "exec/event_loop.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace fanout {
namespace {

/// Ready descriptors taken per epoll_wait; more simply wait for the next call, which does not
/// block.
constexpr int kMaxEvents = 512;

std::runtime_error sys_error(const char* what) {
  return std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

EventLoop::EventLoop() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) throw sys_error("epoll_create1");
}

EventLoop::~EventLoop() { ::close(epoll_fd_); }

EventLoop::Entry& EventLoop::entry(int fd) {
  const auto i = static_cast<std::size_t>(fd);
  if (i >= entries_.size()) entries_.resize(std::max(i + 1, 2 * entries_.size()));
  return entries_[i];
}

void EventLoop::watch(int fd, std::uint32_t events, Watcher* watcher) {
  Entry& e = entry(fd);
  e.watcher = watcher;
  // An untracked parked number may have been closed (which took it out of the set) and reused
  // since, so its registration is renewed even when the events are the same.
  const bool renew = e.parked && !e.tracked;
  e.parked = false;
  if (e.registered && e.events == events && !renew) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  int op = e.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  if (::epoll_ctl(epoll_fd_, op, fd, &ev) != 0) {
    op = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
    if (op < 0 || ::epoll_ctl(epoll_fd_, op, fd, &ev) != 0) {
      e.registered = false;
      throw sys_error("epoll_ctl");
    }
  }
  e.registered = true;
  e.events = events;
}

void EventLoop::unwatch(int fd, bool lazy) {
  if (fd < 0 || static_cast<std::size_t>(fd) >= entries_.size()) return;
  Entry& e = entries_[static_cast<std::size_t>(fd)];
  e.watcher = nullptr;
  if (!e.registered) return;
  if (lazy) {
    e.parked = true;
    return;
  }
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  const bool tracked = e.tracked;
  e = Entry{};
  e.tracked = tracked;
}

void EventLoop::opened(int fd) {
  if (fd < 0) return;
  Entry& e = entry(fd);
  e = Entry{};
  e.tracked = true;
}

void EventLoop::closing(int fd) {
  if (fd < 0 || static_cast<std::size_t>(fd) >= entries_.size()) return;
  Entry& e = entries_[static_cast<std::size_t>(fd)];
  if (e.registered) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  e = Entry{};
}

void EventLoop::add_alarm(Alarm* alarm) { alarms_.push_back(alarm); }

void EventLoop::remove_alarm(Alarm* alarm) { std::erase(alarms_, alarm); }

void EventLoop::run_once(std::chrono::milliseconds max_wait) {
  using namespace std::chrono;
  auto wait = std::max(max_wait, milliseconds(0));
  const Clock::time_point now = Clock::now();
  for (const Alarm* a : alarms_) {
    if (a->due == never()) continue;
    wait = std::clamp(ceil<milliseconds>(a->due - now), milliseconds(0), wait);
  }
  epoll_event events[kMaxEvents];
  const int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>(wait.count()));
  if (n < 0 && errno != EINTR) throw sys_error("epoll_wait");
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    Entry& e = entries_[static_cast<std::size_t>(fd)];
    if (e.parked || e.watcher == nullptr) {
      // Parked and ready: the peer closed it or sent something unasked. Whoever watches it next
      // checks it then; until then, stop the wake-ups.
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      const bool tracked = e.tracked;
      e = Entry{};
      e.tracked = tracked;
      continue;
    }
    e.watcher->on_ready(fd, events[i].events);
  }
  const Clock::time_point after = Clock::now();
  for (std::size_t i = 0; i < alarms_.size(); ++i) {
    Alarm* a = alarms_[i];
    if (a->due != never() && a->due <= after) {
      a->due = never();
      a->on_due();
    }
  }
}

}  // namespace fanout
