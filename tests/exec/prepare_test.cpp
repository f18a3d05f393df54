// Tests for Executor::prepare: per-worker set-up runs once on each thread that later runs tasks,
// never inside run().
#include <gtest/gtest.h>
#include <omp.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine_fixture.hpp"
#include "exec/range_source.hpp"
#include "workload/cpu/kernels.hpp"

namespace fanout {
namespace {

using namespace testing_engines;

// Which threads ran the init function and how often, and which threads ran tasks without it.
class InitLog {
 public:
  WorkerInitFn init() {
    return [this] {
      std::lock_guard lock(mutex_);
      ++inits_[std::this_thread::get_id()];
    };
  }
  TaskFn task() {
    return [this](TaskId) {
      std::lock_guard lock(mutex_);
      task_threads_.insert(std::this_thread::get_id());
      return ErrorClass::none;
    };
  }
  std::map<std::thread::id, int> inits() const {
    std::lock_guard lock(mutex_);
    return inits_;
  }
  std::set<std::thread::id> task_threads() const {
    std::lock_guard lock(mutex_);
    return task_threads_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::thread::id, int> inits_;
  std::set<std::thread::id> task_threads_;
};

std::vector<Sample> run_all(Executor& exec, TaskId count) {
  RangeSource source({0, count}, 1);
  return exec.run(source, RunContext{Clock::now(), 0});
}

void expect_every_task_thread_prepared_once(const InitLog& log, std::size_t workers) {
  const std::map<std::thread::id, int> inits = log.inits();
  EXPECT_EQ(inits.size(), workers);
  for (const auto& [thread, count] : inits) EXPECT_EQ(count, 1);
  for (const std::thread::id& t : log.task_threads()) {
    EXPECT_EQ(inits.count(t), 1u) << "a task ran on a thread that prepare() never set up";
  }
}

TEST(Prepare, SerialRunsInitOnceOnTheCallingThread) {
  InitLog log;
  auto owned = make(Kind::serial, 1, log.task(), log.init());
  Executor& exec = *owned;
  exec.prepare();
  ASSERT_EQ(log.inits().count(std::this_thread::get_id()), 1u);
  EXPECT_EQ(run_all(exec, 50).size(), 50u);
  expect_every_task_thread_prepared_once(log, 1);
}

TEST(Prepare, AsyncRunsInitOnceOnTheLoopThread) {
  InitLog log;
  auto owned = make(Kind::async, 1, log.task(), log.init());
  Executor& exec = *owned;
  exec.prepare();
  ASSERT_EQ(log.inits().count(std::this_thread::get_id()), 1u);
  EXPECT_EQ(run_all(exec, 50).size(), 50u);
  expect_every_task_thread_prepared_once(log, 1);
}

TEST(Prepare, ThreadsRunInitOnceOnEveryTeamThreadAndRunReusesThem) {
  for (int threads : {1, 2, 3, 4}) {
    InitLog log;
    auto owned = make(Kind::threads, threads, log.task(), log.init());
    Executor& exec = *owned;
    exec.prepare();
    EXPECT_EQ(log.inits().size(), static_cast<std::size_t>(threads));
    // Enough tasks that every thread of the team takes some.
    EXPECT_EQ(run_all(exec, 2000).size(), 2000u);
    expect_every_task_thread_prepared_once(log, static_cast<std::size_t>(threads));
  }
}

TEST(Prepare, RepeatedPrepareAndRunStayOnTheSameThreads) {
  // compare --repeat N prepares a new executor per repetition; the pool must not change under it.
  InitLog log;
  auto owned = make(Kind::threads, 2, log.task(), log.init());
  Executor& exec = *owned;
  for (int rep = 0; rep < 3; ++rep) {
    exec.prepare();
    run_all(exec, 500);
  }
  const std::map<std::thread::id, int> inits = log.inits();
  EXPECT_EQ(inits.size(), 2u);
  for (const auto& [thread, count] : inits) EXPECT_EQ(count, 3);
  for (const std::thread::id& t : log.task_threads()) EXPECT_EQ(inits.count(t), 1u);
}

TEST(Prepare, WithoutInitIsANoOp) {
  for (Model m : {Model::serial, Model::threads, Model::async}) {
    auto exec = make_for_model(m, 2, [](TaskId) { return ErrorClass::none; });
    exec->prepare();
    EXPECT_EQ(run_all(*exec, 10).size(), 10u) << to_string(m);
  }
}

TEST(Prepare, InitFailureIsRethrownFromPrepare) {
  const WorkerInitFn failing = [] { throw std::runtime_error("no buffers"); };
  const TaskFn ok = [](TaskId) { return ErrorClass::none; };
  for (Model m : {Model::serial, Model::threads, Model::async}) {
    auto exec = make_for_model(m, 3, ok, failing);
    EXPECT_THROW(exec->prepare(), std::runtime_error) << to_string(m);
  }
  // One failing thread of the team is enough, and the region still ends normally.
  auto exec = make_for_model(Model::threads, 3, ok, [] {
    if (omp_get_thread_num() == 2) throw std::runtime_error("thread 2");
  });
  EXPECT_THROW(exec->prepare(), std::runtime_error);
}

CpuSpec triad_spec(std::uint64_t array_bytes) {
  CpuSpec spec;
  spec.kernel = "triad";
  spec.count = 40;
  spec.array_bytes = array_bytes;
  spec.sweeps = 1;
  return spec;
}

std::set<int> threads_of(const std::vector<Sample>& samples) {
  std::set<int> threads;
  for (const Sample& s : samples) threads.insert(s.worker);
  return threads;
}

TEST(Prepare, TriadArraysAreSetUpBeforeTheFirstTaskUnderEveryModel) {
  // A size no other test uses, so the thread-local arrays left by earlier tests do not count.
  const auto workload = std::make_shared<const CpuTasks>(triad_spec(96 * 1024 + 8));
  for (Model m :
       {Model::serial, Model::threads, Model::async, Model::processes, Model::processes_threads}) {
    auto exec = make_for_model(
        m, 2, [workload](TaskId id) { return workload->run(id); },
        [workload] { workload->prepare_worker(); });
    exec->prepare();
    const auto samples = run_all(*exec, workload->count());
    ASSERT_EQ(samples.size(), workload->count()) << to_string(m);
    for (const Sample& s : samples) EXPECT_TRUE(s.ok()) << to_string(m) << " task " << s.id;
    EXPECT_EQ(workload->setups_in_tasks(), 0u) << to_string(m);
  }
}

TEST(Prepare, WithoutPrepareTheFirstTaskOnEachThreadPaysTheSetUp) {
  // The control for the test above: the counter does see set-up inside tasks.
  const auto workload = std::make_shared<const CpuTasks>(triad_spec(80 * 1024 + 8));
  auto exec = make_for_model(
      Model::threads, 2, [workload](TaskId id) { return workload->run(id); },
      [workload] { workload->prepare_worker(); });
  const auto samples = run_all(*exec, workload->count());
  for (const Sample& s : samples) EXPECT_TRUE(s.ok()) << s.id;
  EXPECT_EQ(workload->setups_in_tasks(), threads_of(samples).size());
}

TEST(Prepare, PrepareWorkerIsANoOpForTheOtherKernels) {
  for (const char* name : {"fib", "primes", "noop"}) {
    CpuSpec spec;
    spec.kernel = name;
    spec.n = 10;
    spec.count = 3;
    spec.width = 100;
    CpuTasks w(spec);
    w.prepare_worker();
    for (TaskId id = 0; id < w.count(); ++id) EXPECT_EQ(w.run(id), ErrorClass::none) << name;
    EXPECT_EQ(w.setups_in_tasks(), 0u) << name;
  }
}

TEST(Prepare, PrepareWorkerCoversOnlyTheCallingThread) {
  const CpuTasks w(triad_spec(72 * 1024 + 8));
  w.prepare_worker();
  EXPECT_EQ(w.run(0), ErrorClass::none);
  EXPECT_EQ(w.setups_in_tasks(), 0u);
  std::thread other([&w] { EXPECT_EQ(w.run(1), ErrorClass::none); });
  other.join();
  EXPECT_EQ(w.setups_in_tasks(), 1u);
}

}  // namespace
}  // namespace fanout
