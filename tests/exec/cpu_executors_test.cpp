// Tests for make_cpu_executor's model mapping and the thread-count defaults.
#include "exec/cpu_executors.hpp"

#include <sched.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "exec/async_executor.hpp"
#include "exec/range_source.hpp"
#include "exec/serial_executor.hpp"
#include "exec/threads_executor.hpp"
#include "workload/cpu_kernels.hpp"

namespace fanout {
namespace {

// Sets OMP_NUM_THREADS (or unsets it for nullopt) for one test and restores it afterwards.
class ScopedOmpNumThreads {
 public:
  explicit ScopedOmpNumThreads(std::optional<std::string> value) {
    if (const char* old = std::getenv("OMP_NUM_THREADS")) old_ = old;
    if (value) {
      setenv("OMP_NUM_THREADS", value->c_str(), 1);
    } else {
      unsetenv("OMP_NUM_THREADS");
    }
  }
  ~ScopedOmpNumThreads() {
    if (old_) {
      setenv("OMP_NUM_THREADS", old_->c_str(), 1);
    } else {
      unsetenv("OMP_NUM_THREADS");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(WorkerCount, DefaultThreadsHonoursOmpNumThreads) {
  {
    ScopedOmpNumThreads env("3");
    EXPECT_EQ(default_threads(), 3);
  }
  {
    ScopedOmpNumThreads env("5,2");
    EXPECT_EQ(default_threads(), 5);
  }
  {
    ScopedOmpNumThreads env(" 6 ");
    EXPECT_EQ(default_threads(), 6);
  }
}

TEST(WorkerCount, InvalidOrMissingOmpNumThreadsFallsBackToAffinity) {
  for (const char* bad : {"", "0", "-2", "abc", "4x", "99999999999999"}) {
    ScopedOmpNumThreads env(std::string{bad});
    EXPECT_EQ(default_threads(), affinity_cores()) << "'" << bad << "'";
  }
  ScopedOmpNumThreads env(std::nullopt);
  EXPECT_EQ(default_threads(), affinity_cores());
}

TEST(WorkerCount, AffinityCoresFollowsTheMask) {
  cpu_set_t original;
  ASSERT_EQ(sched_getaffinity(0, sizeof(original), &original), 0);
  EXPECT_EQ(affinity_cores(), CPU_COUNT(&original));
  int first = 0;
  while (!CPU_ISSET(first, &original)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  EXPECT_EQ(affinity_cores(), 1);
  ScopedOmpNumThreads env(std::nullopt);
  EXPECT_EQ(default_threads(), 1);
  ASSERT_EQ(sched_setaffinity(0, sizeof(original), &original), 0);
}

TaskFn ok_task() {
  return [](TaskId) { return ErrorClass::none; };
}

TEST(MakeCpuExecutor, MapsEveryModel) {
  auto serial = make_cpu_executor(Model::serial, 4, ok_task());
  EXPECT_NE(dynamic_cast<SerialExecutor*>(serial.get()), nullptr);
  auto processes = make_cpu_executor(Model::processes, 4, ok_task());
  EXPECT_NE(dynamic_cast<SerialExecutor*>(processes.get()), nullptr);
  EXPECT_EQ(processes->workers(), 1);

  auto threads = make_cpu_executor(Model::threads, 3, ok_task());
  ASSERT_NE(dynamic_cast<ThreadsExecutor*>(threads.get()), nullptr);
  EXPECT_EQ(threads->workers(), 3);
  auto hybrid = make_cpu_executor(Model::processes_threads, 2, ok_task());
  ASSERT_NE(dynamic_cast<ThreadsExecutor*>(hybrid.get()), nullptr);
  EXPECT_EQ(hybrid->workers(), 2);

  auto async = make_cpu_executor(Model::async, 4, ok_task());
  EXPECT_NE(dynamic_cast<AsyncExecutor*>(async.get()), nullptr);
  auto processes_async = make_cpu_executor(Model::processes_async, 4, ok_task());
  EXPECT_NE(dynamic_cast<AsyncExecutor*>(processes_async.get()), nullptr);
  EXPECT_EQ(processes_async->workers(), 1);
}

TEST(MakeCpuExecutor, ZeroThreadsMeansDefaultThreads) {
  ScopedOmpNumThreads env("3");
  EXPECT_EQ(make_cpu_executor(Model::threads, 0, ok_task())->workers(), 3);
  EXPECT_EQ(make_cpu_executor(Model::processes_threads, -1, ok_task())->workers(), 3);
}

TEST(MakeCpuExecutor, RunsACpuWorkloadUnderEveryModel) {
  CpuSpec spec;
  spec.kernel = "primes";
  spec.count = 40;
  spec.width = 2000;
  const auto workload = std::make_shared<const CpuWorkload>(spec);
  for (Model m : {Model::serial, Model::threads, Model::async, Model::processes,
                  Model::processes_threads, Model::processes_async}) {
    auto exec = make_cpu_executor(m, 2, [workload](TaskId id) { return workload->run(id); });
    RangeSource source({0, workload->count()}, 3);
    const auto samples = exec->run(source, RunContext{Clock::now(), 0});
    ASSERT_EQ(samples.size(), workload->count()) << to_string(m);
    for (const Sample& s : samples) EXPECT_TRUE(s.ok()) << to_string(m) << " task " << s.id;
  }
}

}  // namespace
}  // namespace fanout
