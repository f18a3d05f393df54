// StopFlag in the task sources and executors: once it is set no new task starts, tasks in flight finish.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "exec/range_source.hpp"
#include "engine_fixture.hpp"
#include "exec/stop_flag.hpp"

namespace fanout {
namespace {

using namespace testing_engines;

TEST(StopFlag, FirstReasonStaysUntilCleared) {
  StopFlag flag;
  EXPECT_FALSE(flag.requested());
  EXPECT_EQ(flag.reason(), 0);
  EXPECT_FALSE(stop_requested(&flag));
  EXPECT_FALSE(stop_requested(nullptr));
  flag.request(15);
  flag.request(2);
  EXPECT_TRUE(flag.requested());
  EXPECT_TRUE(stop_requested(&flag));
  EXPECT_EQ(flag.reason(), 15);
  flag.clear();
  EXPECT_FALSE(flag.requested());
}

TEST(RangeSource, YieldsNothingOnceStopped) {
  StopFlag flag;
  RangeSource source({0, 100}, 10, &flag);
  ASSERT_EQ(source.next(), (TaskRange{0, 10}));
  flag.request(15);
  EXPECT_EQ(source.next(), std::nullopt);
  EXPECT_EQ(source.next(), std::nullopt);

  StopFlag set_before;
  set_before.request(2);
  RangeSource never({0, 100}, 10, &set_before);
  EXPECT_EQ(never.next(), std::nullopt);
}

std::unique_ptr<Executor> make(Kind kind, TaskFn fn) { return testing_engines::make(kind, 4, std::move(fn)); }

class StopInExecutor : public testing::TestWithParam<Kind> {};

// The whole range is one chunk, so only the executor's check between tasks can stop it early.
TEST_P(StopInExecutor, StopsInsideAChunkAfterTheTaskInFlight) {
  constexpr TaskId kTotal = 100000;
  constexpr TaskId kStopAt = 50;
  StopFlag flag;
  std::atomic<TaskId> started{0};
  auto exec = make(GetParam(), [&](TaskId id) {
    started.fetch_add(1, std::memory_order_relaxed);
    if (id == kStopAt) flag.request(15);  // as if the signal arrived while this task ran
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
    flag.request(2);
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

INSTANTIATE_TEST_SUITE_P(Executors, StopInExecutor, testing::Values(Kind::serial, Kind::threads, Kind::async),
                         [](const testing::TestParamInfo<Kind>& i) { return kind_name(i.param); });

}  // namespace
}  // namespace fanout
