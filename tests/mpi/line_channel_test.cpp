// LineChannel under mpirun: the lines every other rank posts from several threads reach rank 0
// once each and whole, and a rank's flush() returns once rank 0's commit holds all of them.
#include "mpi/line_channel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mpi_test.hpp"

namespace fanout {
namespace {

using test::world;

TEST(LineChannel, EveryRanksLinesReachRankZeroOnceAndFlushWaitsForTheCommit) {
  World& w = world();
  constexpr int kThreads = 3, kEach = 400;
  std::mutex mutex;
  std::string delivered, committed;
  int commits = 0;
  std::atomic<int> before_sends{0};
  bool flushed = false;
  {
    LineChannel::Root root{[&](std::string_view lines) {
                             std::lock_guard lock(mutex);
                             delivered.append(lines);
                           },
                           [&] {
                             std::lock_guard lock(mutex);
                             committed = delivered;
                             ++commits;
                             return true;
                           }};
    LineChannel channel(
        w, root, [&] { return ++before_sends > 0; }, std::chrono::milliseconds(5));
    if (!w.is_root()) {
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < kEach; ++i) {
            channel.post(std::to_string(w.rank()) + ":" + std::to_string(t) + ":" +
                         std::to_string(i) + ":" + std::string(100, 'z') + "\n");
          }
        });
      }
      for (auto& th : threads) th.join();
      flushed = channel.flush();
      EXPECT_TRUE(flushed);
      EXPECT_FALSE(channel.failed());
      EXPECT_GT(before_sends.load(), 0) << "each batch is sent after the hook";
    }
    // Every flush is answered before rank 0 stops its drain.
    w.idle_barrier();
  }
  if (!w.is_root()) return;
  std::istringstream in(committed);
  std::set<std::string> seen;
  for (std::string line; std::getline(in, line);) {
    ASSERT_EQ(line.size(), line.rfind(':') + 1 + 100) << "a torn line";
    EXPECT_TRUE(seen.insert(line).second) << "twice: " << line.substr(0, 20);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>((w.size() - 1) * kThreads * kEach))
      << "the commit that answered the last flush holds every rank's lines";
  EXPECT_EQ(commits, w.size() - 1) << "one commit per flush";
}

}  // namespace
}  // namespace fanout
