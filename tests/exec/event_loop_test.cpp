// EventLoop's cached interest: parked descriptors, tracked ones (opened/closing), and reused
// numbers.
#include "exec/event_loop.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

namespace fanout {
namespace {

/// Records which descriptors woke it.
class Recorder : public EventLoop::Watcher {
 public:
  std::vector<int> woken;
  void on_ready(int fd, std::uint32_t) override { woken.push_back(fd); }
};

/// An eventfd that is readable from the start.
int ready_fd() {
  const int fd = ::eventfd(1, EFD_NONBLOCK | EFD_CLOEXEC);
  EXPECT_GE(fd, 0);
  return fd;
}

TEST(EventLoop, ParkedTrackedDescriptorWakesItsNextWatcher) {
  EventLoop loop;
  Recorder first, second;
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  loop.opened(fd);
  loop.watch(fd, EPOLLIN, &first);
  loop.unwatch(fd, true);
  // Ready while parked would take it out; it becomes ready only once watched again.
  loop.watch(fd, EPOLLIN, &second);
  const std::uint64_t one = 1;
  ASSERT_EQ(::write(fd, &one, sizeof one), static_cast<ssize_t>(sizeof one));
  loop.run_once(std::chrono::milliseconds(1000));
  EXPECT_TRUE(first.woken.empty());
  EXPECT_EQ(second.woken, std::vector<int>{fd});
  loop.closing(fd);
  ::close(fd);
}

TEST(EventLoop, ClosedTrackedNumberReusedByAnUntrackedDescriptorIsRegisteredAgain) {
  EventLoop loop;
  Recorder r;
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  loop.opened(fd);
  loop.watch(fd, EPOLLIN, &r);
  loop.unwatch(fd, true);
  loop.closing(fd);
  ::close(fd);
  // The lowest free number: the one just closed.
  const int again = ready_fd();
  ASSERT_EQ(again, fd);
  loop.watch(again, EPOLLIN, &r);
  loop.run_once(std::chrono::milliseconds(1000));
  EXPECT_EQ(r.woken, std::vector<int>{again});
  loop.unwatch(again);
  ::close(again);
}

TEST(EventLoop, ParkedUntrackedNumberClosedAndReusedIsRegisteredAgain) {
  EventLoop loop;
  Recorder r;
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  loop.watch(fd, EPOLLIN, &r);
  loop.unwatch(fd, true);
  // Closed without a word to the loop: the kernel drops it from the set.
  ::close(fd);
  const int again = ready_fd();
  ASSERT_EQ(again, fd);
  loop.watch(again, EPOLLIN, &r);
  loop.run_once(std::chrono::milliseconds(1000));
  EXPECT_EQ(r.woken, std::vector<int>{again});
  loop.unwatch(again);
  ::close(again);
}

TEST(EventLoop, OpenedForgetsWhatWasCachedForTheNumber) {
  EventLoop loop;
  Recorder r;
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  loop.opened(fd);
  loop.watch(fd, EPOLLIN, &r);
  loop.unwatch(fd, true);
  ::close(fd);  // a closing() missed: opened() for the new descriptor still starts afresh
  const int again = ready_fd();
  ASSERT_EQ(again, fd);
  loop.opened(again);
  loop.watch(again, EPOLLIN, &r);
  loop.run_once(std::chrono::milliseconds(1000));
  EXPECT_EQ(r.woken, std::vector<int>{again});
  loop.closing(again);
  ::close(again);
}

}  // namespace
}  // namespace fanout
