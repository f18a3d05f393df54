// EventLoop: one epoll set and a few alarms, woken by ready descriptors or the earliest due time.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "timing/clock.hpp"

namespace fanout {

/// The wait at the heart of the event-loop engine, shared by what its slots run (curl's sockets,
/// child processes' pidfds). Linux only (epoll). One per thread; not thread-safe.
///
/// Interest is cached per descriptor, so watching a descriptor again for the same events costs no
/// system call; a descriptor unwatched with `lazy` stays in the set, "parked", and is taken out
/// when it becomes ready while parked. A parked descriptor the loop was told of opening (opened())
/// costs nothing when it is watched again (a pooled connection's next request): the loop hears of
/// its closing (closing()). Any other parked one is registered again, as its number may have been
/// closed and reused meanwhile.
class EventLoop {
 public:
  /// Woken when a watched descriptor is ready.
  class Watcher {
   public:
    virtual ~Watcher() = default;
    /// `events` are epoll's (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, ...).
    virtual void on_ready(int fd, std::uint32_t events) = 0;
  };
  /// Woken once its `due` time has passed; due = never() means not armed. Read at every wait.
  class Alarm {
   public:
    virtual ~Alarm() = default;
    Clock::time_point due = never();
    /// Called with due reset to never() first, so it may arm itself again.
    virtual void on_due() = 0;
  };
  static constexpr Clock::time_point never() { return Clock::time_point::max(); }

  /// Throws std::runtime_error if epoll cannot be created.
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  /// Watches `fd` for `events` (EPOLLIN and/or EPOLLOUT), waking `watcher`; a second call changes
  /// the events or the watcher. Throws std::runtime_error if epoll refuses.
  void watch(int fd, std::uint32_t events, Watcher* watcher);
  /// Stops waking anyone for `fd`. `lazy`: keep it in the set until it is watched again or becomes
  /// ready (for a descriptor that stays open and will likely be watched again); otherwise take it
  /// out now (before the descriptor is closed, or when it will not be watched again).
  void unwatch(int fd, bool lazy = false);

  /// `fd` was just opened by someone who calls closing() before closing it; forgets anything cached
  /// for an earlier descriptor of that number.
  void opened(int fd);

  /// `fd` is about to be closed: stops watching it and takes it out of the set.
  void closing(int fd);
  /// Adds an alarm; it must outlive the loop or be removed.
  void add_alarm(Alarm* alarm);
  void remove_alarm(Alarm* alarm);

  /// Waits for ready descriptors or the earliest armed alarm, at most `max_wait`, then wakes the
  /// watchers of the ready descriptors and the alarms that are due. Throws std::runtime_error if
  /// epoll fails.
  void run_once(std::chrono::milliseconds max_wait);

 private:
  struct Entry {
    std::uint32_t events = 0;
    Watcher* watcher = nullptr;
    bool registered = false;
    bool parked = false;
    bool tracked = false;  ///< opened() was called: closing() will be too
  };
  Entry& entry(int fd);

  int epoll_fd_ = -1;
  std::vector<Entry> entries_;  ///< by descriptor
  std::vector<Alarm*> alarms_;
};

}  // namespace fanout
