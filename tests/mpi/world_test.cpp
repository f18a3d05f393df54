// World under mpirun: node layout, reductions, broadcast, agree_error, and that idle_barrier
// sleeps.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "mpi/gather.hpp"
#include "mpi_test.hpp"
#include "timing/clock.hpp"

namespace fanout {
namespace {

using test::world;

TEST(World, RanksHostsAndNodes) {
  auto& w = world();
  const auto leader_flags = w.reduce_sum(std::vector<std::uint64_t>{w.node_rank() == 0 ? 1u : 0u});
  const auto node_of = gather_values(w, w.node_index());
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
    EXPECT_EQ(static_cast<int>(leader_flags[0]), w.node_count());
    EXPECT_EQ(*std::max_element(node_of.begin(), node_of.end()), w.node_count() - 1);
  }
}

TEST(World, Reductions) {
  auto& w = world();
  const auto buckets =
      w.reduce_sum(std::vector<std::uint64_t>{1, static_cast<std::uint64_t>(w.rank()), 0, 7});
  if (!w.is_root()) return;
  const std::uint64_t n = static_cast<std::uint64_t>(w.size());
  EXPECT_EQ(buckets, (std::vector<std::uint64_t>{n, n * (n - 1) / 2, 0, 7 * n}));
}

TEST(World, BcastString) {
  auto& w = world();
  std::string big(1 << 20, 'x');
  big[12345] = 'y';
  const std::string mine = w.is_root() ? big : "ignored on rank " + std::to_string(w.rank());
  EXPECT_EQ(w.bcast_string(mine), big);
  EXPECT_EQ(w.bcast_string(w.is_root() ? std::string() : std::string("junk")), "");
}

TEST(World, AgreeErrorNone) { EXPECT_EQ(world().agree_error(std::nullopt), std::nullopt); }

TEST(World, AgreeErrorTakesTheLowestFailingRank) {
  auto& w = world();
  const int last = w.size() - 1;
  const auto only_last = w.agree_error(
      w.rank() == last ? std::optional<std::string>("rank " + std::to_string(last)) : std::nullopt);
  EXPECT_EQ(only_last, "rank " + std::to_string(last));

  // Ranks 1 and up fail (or only rank 0 with one rank); the lowest of them wins everywhere.
  const int lowest = w.size() > 1 ? 1 : 0;
  const auto many = w.agree_error(
      w.rank() >= lowest ? std::optional<std::string>("bad on " + std::to_string(w.rank()))
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

}  // namespace
}  // namespace fanout
