// StopFlag in the task sources and executors: once it is set no new task starts, tasks in flight
// finish.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "engine_fixture.hpp"
#include "exec/range_source.hpp"
#include "exec/stop_flag.hpp"

namespace fanout {
namespace {

using namespace testing_engines;

TEST(StopFlag, FirstReasonStaysUntilCleared) {
  StopFlag flag;
  EXPECT_FALSE(flag.requested());
  EXPECT_EQ(flag.reason(), StopReason{});
  EXPECT_FALSE(stop_requested(&flag));
  EXPECT_FALSE(stop_requested(nullptr));
  flag.request(StopReason::signal(15));
  flag.request(StopReason::signal(2));
  EXPECT_TRUE(flag.requested());
  EXPECT_TRUE(stop_requested(&flag));
  EXPECT_EQ(flag.reason(), StopReason::signal(15));
  flag.clear();
  EXPECT_FALSE(flag.requested());
}

TEST(StopReason, KeepsItsKindThroughTheCodeRanksAgreeOn) {
  for (const StopReason r :
       {StopReason{}, StopReason::walltime(), StopReason::signal(1), StopReason::signal(2),
        StopReason::signal(15), StopReason::halt_soon(), StopReason::halt_now()}) {
    EXPECT_EQ(StopReason::from_code(r.code()), r);
  }
  EXPECT_EQ(StopReason::signal(15).signal_number(), 15);
  EXPECT_EQ(StopReason::halt_now().signal_number(), 0);
  EXPECT_TRUE(StopReason::halt_soon().is_halt());
  EXPECT_FALSE(StopReason::signal(15).is_halt());
  EXPECT_FALSE(StopReason{});
  // The largest code wins when ranks agree: a halt over any signal, halt now over halt soon.
  EXPECT_GT(StopReason::halt_soon().code(), StopReason::signal(64).code());
  EXPECT_GT(StopReason::halt_now().code(), StopReason::halt_soon().code());
  EXPECT_GT(StopReason::signal(15).code(), StopReason::signal(2).code());
  // Walltime below every signal: a signal on any rank ends the tasks walltime lets finish.
  EXPECT_GT(StopReason::signal(1).code(), StopReason::walltime().code());
  EXPECT_GT(StopReason::walltime().code(), StopReason{}.code());
  EXPECT_TRUE(StopReason::signal(15).ends_tasks());
  EXPECT_TRUE(StopReason::halt_now().ends_tasks());
  EXPECT_FALSE(StopReason::halt_soon().ends_tasks());
  EXPECT_FALSE(StopReason::walltime().ends_tasks());

  StopFlag flag;
  flag.request(StopReason{});
  EXPECT_FALSE(flag.requested()) << "an empty reason requests nothing";
  flag.request(StopReason::halt_now());
  flag.request(StopReason::signal(15));
  EXPECT_EQ(flag.reason(), StopReason::halt_now());
}

TEST(StopFlag, AnyOtherReasonReplacesWalltimeAndNothingReplacesTheRest) {
  StopFlag flag;
  flag.request(StopReason::walltime());
  flag.request(StopReason::walltime());
  EXPECT_EQ(flag.reason(), StopReason::walltime());
  flag.request(StopReason::signal(15));
  EXPECT_EQ(flag.reason(), StopReason::signal(15)) << "Slurm's SIGTERM after the farm's walltime";
  flag.request(StopReason::walltime());
  flag.request(StopReason::halt_now());
  EXPECT_EQ(flag.reason(), StopReason::signal(15));

  StopFlag halted;
  halted.request(StopReason::walltime());
  halted.request(StopReason::halt_soon());
  EXPECT_EQ(halted.reason(), StopReason::halt_soon());
}

TEST(RangeSource, YieldsNothingOnceStopped) {
  StopFlag flag;
  RangeSource source({0, 100}, 10, &flag);
  ASSERT_EQ(source.next(), (TaskRange{0, 10}));
  flag.request(StopReason::signal(15));
  EXPECT_EQ(source.next(), std::nullopt);
  EXPECT_EQ(source.next(), std::nullopt);

  StopFlag set_before;
  set_before.request(StopReason::signal(2));
  RangeSource never({0, 100}, 10, &set_before);
  EXPECT_EQ(never.next(), std::nullopt);
}

std::unique_ptr<Executor> make(Kind kind, TaskFn fn) {
  return testing_engines::make(kind, 4, std::move(fn));
}

class StopInExecutor : public testing::TestWithParam<Kind> {};

// The whole range is one chunk, so only the executor's check between tasks can stop it early.
TEST_P(StopInExecutor, StopsInsideAChunkAfterTheTaskInFlight) {
  constexpr TaskId kTotal = 100000;
  constexpr TaskId kStopAt = 50;
  StopFlag flag;
  std::atomic<TaskId> started{0};
  auto exec = make(GetParam(), [&](TaskId id) {
    started.fetch_add(1, std::memory_order_relaxed);
    // As if the signal arrived while this task ran.
    if (id == kStopAt) flag.request(StopReason::signal(15));
    return ErrorClass::none;
  });
  RangeSource source({0, kTotal}, kTotal);
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0, &flag});
  EXPECT_EQ(samples.size(), started.load()) << "every task started has its sample";
  EXPECT_LT(samples.size(), kTotal / 10);
  std::set<TaskId> ids;
  for (const Sample& s : samples) ids.insert(s.id);
  EXPECT_EQ(ids.size(), samples.size());
  EXPECT_TRUE(ids.count(kStopAt)) << "the task in flight when the stop came finished";
  EXPECT_EQ(samples.size(), kStopAt + 1) << "one thread holds the only chunk and runs it in order";
}

// The stop comes from another thread (a signal handler runs on any thread) while workers run.
TEST_P(StopInExecutor, StopFromAnotherThread) {
  constexpr TaskId kTotal = 1000000;
  StopFlag flag;
  std::atomic<bool> running{false};
  auto exec = make(GetParam(), [&](TaskId) {
    running.store(true, std::memory_order_relaxed);
    std::this_thread::sleep_for(std::chrono::microseconds(20));
    return ErrorClass::none;
  });
  RangeSource source({0, kTotal}, 64, &flag);
  std::thread signaller([&] {
    while (!running.load(std::memory_order_relaxed)) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    flag.request(StopReason::signal(2));
  });
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0, &flag});
  signaller.join();
  EXPECT_GT(samples.size(), 0u);
  EXPECT_LT(samples.size(), kTotal / 10) << "the run went on after the stop";
}

TEST_P(StopInExecutor, NoStopFlagRunsEverything) {
  auto exec = make(GetParam(), [](TaskId) { return ErrorClass::none; });
  StopFlag unset;
  RangeSource source({0, 1000}, 7, &unset);
  EXPECT_EQ(exec->run(source, RunContext{Clock::now(), 0, &unset}).size(), 1000u);
}

INSTANTIATE_TEST_SUITE_P(Executors, StopInExecutor,
                         testing::Values(Kind::serial, Kind::threads, Kind::async),
                         [](const testing::TestParamInfo<Kind>& i) { return kind_name(i.param); });

}  // namespace
}  // namespace fanout
