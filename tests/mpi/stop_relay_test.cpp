// StopRelay under mpirun: a stop on any one rank, or on all at once, reaches every rank; rank 0's
// hook runs once; close() leaves no message behind, stopped or not.
#include "mpi/stop_relay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "mpi_test.hpp"

namespace fanout {
namespace {

using test::world;

/// Waits (up to 30 s: a loaded machine runs 3 ranks on fewer cores) for `flag` to be set.
bool wait_for_stop(const StopFlag& flag) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!flag.requested() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return flag.requested();
}

class StopRelayFrom : public testing::TestWithParam<int> {};

// The stop starts on rank 0, on the last rank, or on every rank at once (as Slurm signals).
TEST_P(StopRelayFrom, ReachesEveryRankWithItsReason) {
  World& w = world();
  const int from = GetParam();
  StopFlag flag;
  std::atomic<int> hook_calls{0};
  std::atomic<int> hook_reason{0};
  StopRelay relay(w, flag, [&](StopReason reason) {
    ++hook_calls;
    hook_reason = reason.signal_number();
  });
  w.idle_barrier();
  if (from == -1 || w.rank() == (from == 0 ? 0 : w.size() - 1)) {
    flag.request(StopReason::signal(15));
  }
  EXPECT_TRUE(wait_for_stop(flag)) << "rank " << w.rank() << " never heard of the stop";
  EXPECT_EQ(flag.reason(), StopReason::signal(15));
  // Rank 0's own flag may be set before its relay thread looks: the hook follows within a poll.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (w.is_root() && hook_calls == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  w.idle_barrier();
  relay.close();
  if (w.is_root()) {
    EXPECT_EQ(hook_calls.load(), 1);
    EXPECT_EQ(hook_reason.load(), 15);
  } else {
    EXPECT_EQ(hook_calls.load(), 0) << "the hook is rank 0's";
  }
}

INSTANTIATE_TEST_SUITE_P(Sources, StopRelayFrom, testing::Values(0, 1, -1));

TEST(StopRelay, NoStopNoMessageAndNoHook) {
  World& w = world();
  StopFlag flag;
  int hook_calls = 0;
  {
    StopRelay relay(w, flag, [&](StopReason) { ++hook_calls; });
    std::this_thread::sleep_for(StopRelay::kPoll * 3);
    relay.close();
  }
  EXPECT_FALSE(flag.requested());
  EXPECT_EQ(hook_calls, 0);
  // A stop after close() is not passed on: the channel is gone, and nothing waits on it.
  flag.request(StopReason::signal(2));
  w.idle_barrier();
}

// A stop set just before close(), before the thread looked: close() still passes it to rank 0,
// and leaves no message unmatched (the next relay on the same world would receive it otherwise).
TEST(StopRelay, CloseRightAfterAStopStillTellsRankZero) {
  World& w = world();
  StopFlag flag;
  StopRelay relay(w, flag);
  if (w.rank() == w.size() - 1) flag.request(StopReason::signal(2));
  relay.close();
  if (w.is_root()) {
    EXPECT_EQ(flag.reason(), StopReason::signal(2));
  }
  StopFlag next;
  StopRelay quiet(w, next);
  std::this_thread::sleep_for(StopRelay::kPoll * 3);
  quiet.close();
  EXPECT_FALSE(next.requested()) << "rank " << w.rank() << " got a message of the relay before";
}

/// Waits (up to 30 s) for `flag` to hold `reason`.
bool wait_for_reason(const StopFlag& flag, StopReason reason) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (flag.reason() != reason && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return flag.reason() == reason;
}

// Walltime on the last rank reaches every rank; a SIGTERM that then reaches only rank 1 (or 0 at
// np 1) replaces it everywhere, in a second round, and rank 0's hook runs once a round; close()
// leaves no message of either round unmatched.
TEST(StopRelay, ASignalAfterWalltimeMakesASecondRound) {
  World& w = world();
  StopFlag flag;
  std::atomic<int> hook_calls{0};
  std::atomic<int> last_hook{0};
  StopRelay relay(w, flag, [&](StopReason reason) {
    ++hook_calls;
    last_hook = reason.code();
  });
  w.idle_barrier();
  if (w.rank() == w.size() - 1) flag.request(StopReason::walltime());
  EXPECT_TRUE(wait_for_reason(flag, StopReason::walltime())) << "rank " << w.rank();
  // Rank 0's relay has passed the first round on before the signal comes (at np 1 it would
  // otherwise see the signal alone).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (w.is_root() && hook_calls < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  w.idle_barrier();
  if (w.rank() == std::min(1, w.size() - 1)) flag.request(StopReason::signal(15));
  EXPECT_TRUE(wait_for_reason(flag, StopReason::signal(15))) << "rank " << w.rank();
  while (w.is_root() && hook_calls < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  w.idle_barrier();
  relay.close();
  if (w.is_root()) {
    EXPECT_EQ(hook_calls.load(), 2);
    EXPECT_EQ(last_hook.load(), StopReason::signal(15).code());
  }
  StopFlag next;
  StopRelay quiet(w, next);
  std::this_thread::sleep_for(StopRelay::kPoll * 3);
  quiet.close();
  EXPECT_FALSE(next.requested()) << "rank " << w.rank() << " got a message of the relay before";
}

TEST(StopRelay, OneAfterAnotherOnTheSameWorld) {
  World& w = world();
  for (int round = 0; round < 3; ++round) {
    StopFlag flag;
    StopRelay relay(w, flag);
    if (w.rank() == round % w.size()) flag.request(StopReason::signal(2));
    EXPECT_TRUE(wait_for_stop(flag)) << "round " << round << ", rank " << w.rank();
    relay.close();
  }
}

}  // namespace
}  // namespace fanout
