// Tests for the serial loop, the OpenMP pool and the event loop over CPU tasks: every task exactly
// once, errors as data, threads used.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine_fixture.hpp"
#include "exec/error_log.hpp"
#include "exec/range_source.hpp"

namespace fanout {
namespace {

using namespace testing_engines;

struct Case {
  Kind kind;
  int threads;
  TaskId begin;
  TaskId count;
  TaskId chunk;
};

std::string case_name(const testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  return kind_name(c.kind) + "_t" + std::to_string(c.threads) + "_from" + std::to_string(c.begin) +
         "_n" + std::to_string(c.count) + "_chunk" + std::to_string(c.chunk);
}

class EveryTaskOnce : public testing::TestWithParam<Case> {};

TEST_P(EveryTaskOnce, RunsEachTaskExactlyOnceAndRecordsIt) {
  const Case c = GetParam();
  std::vector<std::atomic<int>> calls(c.count);
  auto exec = make(c.kind, c.threads, [&](TaskId id) {
    calls.at(id - c.begin).fetch_add(1, std::memory_order_relaxed);
    return ErrorClass::none;
  });
  RangeSource source({c.begin, c.begin + c.count}, c.chunk);
  const RunContext ctx{Clock::now(), 7};
  const std::vector<Sample> samples = exec->run(source, ctx);

  ASSERT_EQ(samples.size(), c.count);
  for (TaskId i = 0; i < c.count; ++i) EXPECT_EQ(calls[i].load(), 1) << "task " << c.begin + i;
  std::vector<TaskId> ids;
  for (const Sample& s : samples) {
    ids.push_back(s.id);
    EXPECT_EQ(s.rank, 7);
    EXPECT_GE(s.worker, 0);
    EXPECT_LT(s.worker, exec->workers());
    EXPECT_GE(s.start_s, 0.0);
    EXPECT_GE(s.duration_s, 0.0);
    EXPECT_TRUE(s.ok());
  }
  std::sort(ids.begin(), ids.end());
  for (TaskId i = 0; i < c.count; ++i) EXPECT_EQ(ids[i], c.begin + i);
  EXPECT_TRUE(exec->error_messages().empty());
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (Kind kind : {Kind::serial, Kind::threads, Kind::async}) {
    const std::vector<int> thread_counts =
        kind == Kind::threads ? std::vector<int>{1, 2, 4, 16} : std::vector<int>{1};
    for (int threads : thread_counts) {
      for (TaskId count : {0ull, 1ull, 3ull, 1000ull}) {
        for (TaskId chunk : {0ull, 1ull, 7ull, 5000ull})
          out.push_back({kind, threads, 0, count, chunk});
      }
      out.push_back({kind, threads, 123456789, 257, 16});
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Executors, EveryTaskOnce, testing::ValuesIn(cases()), case_name);

class SinkOfTheRun : public testing::TestWithParam<Kind> {};

// The run's sink takes the full vectors while the engine runs (from its worker threads), so each
// worker holds at most about kSpillSamples; every task reaches the sink or run()'s result, once.
TEST_P(SinkOfTheRun, TakesFullVectorsAndLosesNoTask) {
  constexpr TaskId kTasks = 4 * kSpillSamples + 77;
  auto exec = make(GetParam(), 4, [](TaskId) { return ErrorClass::none; });
  RangeSource source({0, kTasks}, 64);
  std::mutex seen_mutex;
  std::vector<int> seen(kTasks, 0);
  std::size_t batches = 0, largest = 0;
  RunContext ctx{Clock::now(), 0};
  ctx.sink = [&](std::span<const Sample> batch) {
    std::lock_guard lock(seen_mutex);
    ++batches;
    largest = std::max(largest, batch.size());
    for (const Sample& s : batch) ++seen.at(s.id);
  };
  const std::vector<Sample> rest = exec->run(source, ctx);
  for (const Sample& s : rest) ++seen.at(s.id);
  EXPECT_GE(batches, 1u);
  EXPECT_LE(largest, 2 * kSpillSamples);
  EXPECT_LT(rest.size(), kTasks);
  for (TaskId id = 0; id < kTasks; ++id) ASSERT_EQ(seen[id], 1) << "task " << id;
}

INSTANTIATE_TEST_SUITE_P(Executors, SinkOfTheRun,
                         testing::Values(Kind::serial, Kind::threads, Kind::async),
                         [](const auto& info) { return kind_name(info.param); });

class ErrorsAreData : public testing::TestWithParam<Kind> {};

TEST_P(ErrorsAreData, ExceptionsAndWrongResultsBecomeSampleErrors) {
  auto exec = make(GetParam(), 4, [](TaskId id) {
    if (id % 10 == 3) throw std::runtime_error("boom " + std::to_string(id));
    if (id % 10 == 5) throw 42;
    if (id % 10 == 7) return ErrorClass::wrong_result;
    return ErrorClass::none;
  });
  RangeSource source({0, 100}, 3);
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0});
  ASSERT_EQ(samples.size(), 100u);
  for (const Sample& s : samples) {
    const ErrorClass want = s.id % 10 == 3 || s.id % 10 == 5 ? ErrorClass::exception
                            : s.id % 10 == 7                 ? ErrorClass::wrong_result
                                                             : ErrorClass::none;
    EXPECT_EQ(s.error, want) << "task " << s.id;
  }
  const std::vector<std::string> messages = exec->error_messages();
  // Distinct messages: "boom 3" ... "boom 93" and one "unknown exception"; ten are kept.
  ASSERT_EQ(messages.size(), ErrorLog::kMaxMessages + 1);
  EXPECT_EQ(messages.back(), "... and 1 other error");
  for (std::size_t i = 0; i < ErrorLog::kMaxMessages; ++i) {
    EXPECT_TRUE(messages[i].find("boom") != std::string::npos ||
                messages[i].find("unknown exception") != std::string::npos)
        << messages[i];
  }
}

INSTANTIATE_TEST_SUITE_P(Executors, ErrorsAreData,
                         testing::Values(Kind::serial, Kind::threads, Kind::async),
                         [](const testing::TestParamInfo<Kind>& i) { return kind_name(i.param); });

// A source that fails on its third call, like a dynamic dispatcher whose rank 0 went away.
class FailingSource : public TaskSource {
 public:
  std::optional<TaskRange> next() override {
    const int call = calls_.fetch_add(1);
    if (call >= 2) throw std::runtime_error("dispatcher lost");
    return TaskRange{static_cast<TaskId>(call) * 10, static_cast<TaskId>(call) * 10 + 10};
  }

 private:
  std::atomic<int> calls_{0};
};

TEST(PoolEngine, SourceFailureIsRethrownAfterTheRegion) {
  auto exec = make(Kind::threads, 4, [](TaskId) { return ErrorClass::none; });
  FailingSource source;
  EXPECT_THROW(exec->run(source, RunContext{Clock::now(), 0}), std::runtime_error);
}

TEST(PoolEngine, RunsTheRequestedTeamAndNamesWorkersByOmpNumber) {
  constexpr int kThreads = 3;
  std::mutex mutex;
  std::set<int> team_sizes;
  std::vector<std::pair<TaskId, int>> seen;
  auto exec = make(Kind::threads, kThreads, [&](TaskId id) {
    std::lock_guard lock(mutex);
    team_sizes.insert(omp_get_num_threads());
    seen.emplace_back(id, omp_get_thread_num());
    return ErrorClass::none;
  });
  EXPECT_EQ(exec->workers(), kThreads);
  RangeSource source({0, 200}, 1);
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0});
  EXPECT_EQ(team_sizes, std::set<int>{kThreads});
  std::sort(seen.begin(), seen.end());
  ASSERT_EQ(seen.size(), samples.size());
  std::vector<std::pair<TaskId, int>> recorded;
  for (const Sample& s : samples) recorded.emplace_back(s.id, s.worker);
  std::sort(recorded.begin(), recorded.end());
  EXPECT_EQ(recorded, seen);
}

TEST(PoolEngine, RejectsZeroThreads) {
  EXPECT_THROW(make(Kind::threads, 0, [](TaskId) { return ErrorClass::none; }),
               std::invalid_argument);
}

TEST(LoopEngine, RunsEveryCpuTaskOnTheCallingThread) {
  std::set<std::thread::id> ids;
  auto exec = make(Kind::async, 1, [&](TaskId) {
    ids.insert(std::this_thread::get_id());
    return ErrorClass::none;
  });
  EXPECT_EQ(exec->workers(), 1);
  RangeSource source({0, 500}, 8);
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0});
  ASSERT_EQ(samples.size(), 500u);
  EXPECT_EQ(ids, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(SerialEngine, RunsInSourceOrderOnTheCallingThread) {
  std::vector<TaskId> order;
  std::set<std::thread::id> ids;
  auto exec = make(Kind::serial, 1, [&](TaskId id) {
    order.push_back(id);
    ids.insert(std::this_thread::get_id());
    return ErrorClass::none;
  });
  RangeSource source({10, 60}, 4);
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0});
  ASSERT_EQ(samples.size(), 50u);
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(order[i], 10 + i);
    EXPECT_EQ(samples[i].id, 10 + i);
  }
  EXPECT_EQ(ids, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(Engines, StartTimesFollowTheCommonStart) {
  auto exec = make(Kind::serial, 1, [](TaskId) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return ErrorClass::none;
  });
  RangeSource source({0, 3}, 1);
  const std::vector<Sample> samples = exec->run(source, RunContext{Clock::now(), 0});
  ASSERT_EQ(samples.size(), 3u);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    EXPECT_GE(samples[i].start_s, samples[i - 1].start_s + samples[i - 1].duration_s);
  }
  EXPECT_GE(samples[0].duration_s, 0.002);
}

}  // namespace
}  // namespace fanout
