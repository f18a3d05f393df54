// A thread's load: CPU and run-delay shares from two readings, and the calling thread's own.
#include "timing/thread_load.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace fanout {
namespace {

TEST(ThreadLoad, SharesOfTheWallTime) {
  const ThreadTimes from{1.0, 2.0};
  const ThreadTimes to{1.015, 2.004};
  const ThreadLoad l = load_between(from, to, 0.02);
  EXPECT_EQ(l.cpu_pct, 75);
  EXPECT_EQ(l.wait_pct, 20);
}

TEST(ThreadLoad, ClampedAndZeroWithoutTime) {
  // Clocks read a little apart can give more than the wall: never over 100 %.
  const ThreadLoad over = load_between({0, 0.0}, {0.03, 0.0}, 0.02);
  EXPECT_EQ(over.cpu_pct, 100);
  EXPECT_EQ(over.wait_pct, 0);
  const ThreadLoad none = load_between({0, 0.0}, {1, 1.0}, 0);
  EXPECT_EQ(none.cpu_pct, 0);
  EXPECT_EQ(none.wait_pct, 0);
}

TEST(ThreadLoad, UnknownRunDelayIsZero) {
  const ThreadLoad l = load_between({0, std::nullopt}, {0.01, std::nullopt}, 0.02);
  EXPECT_EQ(l.cpu_pct, 50);
  EXPECT_EQ(l.wait_pct, 0);
}

TEST(ThreadLoad, ThisThreadReadsItsOwnClock) {
  const ThreadTimes a = read_thread_times();
  volatile double x = 0;
  for (int i = 0; i < 2'000'000; ++i) x = x + 1e-9 * i;
  const ThreadTimes b = read_thread_times();
  EXPECT_GT(b.cpu_s, a.cpu_s);
  if (a.run_wait_s && b.run_wait_s) {
    EXPECT_GE(*b.run_wait_s, *a.run_wait_s);
  }
}

TEST(ThreadLoad, ASleepingThreadIsNotBusy) {
  // On a thread of its own, so its first call starts a window; a thread that slept through the
  // next reads under half busy (its CPU went to the reads and the sleep's wake-up).
  ThreadLoad first{1, 1}, slept{100, 100};
  std::thread t([&] {
    first = current_thread_load(Clock::now());
    std::this_thread::sleep_for(std::chrono::duration<double>(2 * kLoadWindowS));
    slept = current_thread_load(Clock::now());
  });
  t.join();
  EXPECT_EQ(first.cpu_pct, 0);
  EXPECT_EQ(first.wait_pct, 0);
  EXPECT_LT(slept.cpu_pct, 50);
}

}  // namespace
}  // namespace fanout
