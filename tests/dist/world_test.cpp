// World under mpirun: node layout, reductions, broadcast, agree_error, and that idle_barrier sleeps.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <string>
#include <thread>

#include "mpi_test.hpp"
#include "timing/clock.hpp"

namespace fanout {
namespace {

using test::world;

TEST(World, RanksHostsAndNodes) {
  auto& w = world();
  const double leaders = w.reduce_sum(w.node_rank() == 0 ? 1.0 : 0.0);
  const double max_node = w.reduce_max(w.node_index());
  EXPECT_GE(w.rank(), 0);
  EXPECT_LT(w.rank(), w.size());
  EXPECT_EQ(w.is_root(), w.rank() == 0);
  ASSERT_EQ(static_cast<int>(w.hosts().size()), w.size());
  EXPECT_EQ(w.hosts()[static_cast<std::size_t>(w.rank())], w.host());
  EXPECT_FALSE(w.host().empty());
  EXPECT_EQ(w.host().find('.'), std::string::npos);
  EXPECT_GE(w.node_count(), 1);
  EXPECT_LT(w.node_index(), w.node_count());
  EXPECT_LT(w.node_rank(), w.node_size());
  EXPECT_LE(w.node_size(), w.size());
  if (w.is_root()) {
    EXPECT_EQ(w.node_index(), 0);  // nodes are numbered by their lowest rank
    EXPECT_EQ(w.node_rank(), 0);
    EXPECT_EQ(leaders, w.node_count());
    EXPECT_EQ(max_node, w.node_count() - 1);
  }
}

TEST(World, Reductions) {
  auto& w = world();
  const double mx = w.reduce_max(w.rank());
  const double mn = w.reduce_min(w.rank() + 1.5);
  const double sum = w.reduce_sum(w.rank());
  const auto buckets = w.reduce_sum(std::vector<std::uint64_t>{1, static_cast<std::uint64_t>(w.rank()), 0, 7});
  if (!w.is_root()) return;
  const int n = w.size();
  EXPECT_EQ(mx, n - 1);
  EXPECT_EQ(mn, 1.5);
  EXPECT_EQ(sum, n * (n - 1) / 2.0);
  EXPECT_EQ(buckets, (std::vector<std::uint64_t>{static_cast<std::uint64_t>(n),
                                                 static_cast<std::uint64_t>(n * (n - 1) / 2), 0,
                                                 7u * static_cast<std::uint64_t>(n)}));
}

TEST(World, BcastString) {
  auto& w = world();
  std::string big(1 << 20, 'x');
  big[12345] = 'y';
  const std::string mine = w.is_root() ? big : "ignored on rank " + std::to_string(w.rank());
  EXPECT_EQ(w.bcast_string(mine), big);
  EXPECT_EQ(w.bcast_string(w.is_root() ? std::string() : std::string("junk")), "");
}

TEST(World, AgreeErrorNone) {
  EXPECT_EQ(world().agree_error(std::nullopt), std::nullopt);
}

TEST(World, AgreeErrorTakesTheLowestFailingRank) {
  auto& w = world();
  const int last = w.size() - 1;
  const auto only_last = w.agree_error(w.rank() == last ? std::optional<std::string>("rank " + std::to_string(last))
                                                        : std::nullopt);
  EXPECT_EQ(only_last, "rank " + std::to_string(last));

  // Ranks 1 and up fail (or only rank 0 with one rank); the lowest of them wins everywhere.
  const int lowest = w.size() > 1 ? 1 : 0;
  const auto many = w.agree_error(w.rank() >= lowest ? std::optional<std::string>("bad on " + std::to_string(w.rank()))
                                                     : std::nullopt);
  EXPECT_EQ(many, "bad on " + std::to_string(lowest));

  EXPECT_EQ(w.agree_error(std::string()), "");  // an empty message is still an error
}

TEST(World, AgreeMaxReachesEveryRank) {
  auto& w = world();
  const int last = w.size() - 1;
  EXPECT_EQ(w.agree_max(0), 0);
  // One rank saw a signal (the last), or rank 0 alone decides: every rank gets the value.
  EXPECT_EQ(w.agree_max(w.rank() == last ? 15 : 0), 15);
  EXPECT_EQ(w.agree_max(w.is_root() ? 2 : 0), 2);
  EXPECT_EQ(w.agree_max(w.rank()), last);
}

double process_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// A rank kept waiting in idle_barrier must not burn its core: that is the point of the idle
// pattern. This asserts CPU use relative to the time waited, never a wall time.
TEST(World, IdleBarrierSleepsWhileWaiting) {
  auto& w = world();
  w.idle_barrier();
  if (w.is_root()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    w.idle_barrier();
    return;
  }
  const double cpu0 = process_cpu_s();
  const auto t0 = Clock::now();
  w.idle_barrier();
  const double waited_s = seconds_between(t0, Clock::now());
  const double cpu_s = process_cpu_s() - cpu0;
  EXPECT_GE(waited_s, 0.25);  // rank 0 slept 0.5 s after the first barrier
  EXPECT_LT(cpu_s, 0.2 * waited_s) << "waited " << waited_s << " s, used " << cpu_s << " s of CPU";
}

}  // namespace
}  // namespace fanout
