// Tests of make_engine's model mapping, over CPU tasks.
#include <gtest/gtest.h>

#include <memory>

#include "engine_fixture.hpp"
#include "exec/range_source.hpp"
#include "workload/cpu/kernels.hpp"

namespace fanout {
namespace {

using namespace testing_engines;

TaskFn ok_task() {
  return [](TaskId) { return ErrorClass::none; };
}

TEST(MakeEngine, MapsEveryModel) {
  auto serial = make_for_model(Model::serial, 4, ok_task());
  EXPECT_NE(dynamic_cast<SerialEngine*>(serial.get()), nullptr);
  auto processes = make_for_model(Model::processes, 4, ok_task());
  EXPECT_NE(dynamic_cast<SerialEngine*>(processes.get()), nullptr);
  EXPECT_EQ(processes->workers(), 1);

  auto threads = make_for_model(Model::threads, 3, ok_task());
  ASSERT_NE(dynamic_cast<PoolEngine*>(threads.get()), nullptr);
  EXPECT_EQ(threads->workers(), 3);
  auto hybrid = make_for_model(Model::processes_threads, 2, ok_task());
  ASSERT_NE(dynamic_cast<PoolEngine*>(hybrid.get()), nullptr);
  EXPECT_EQ(hybrid->workers(), 2);

  auto async = make_for_model(Model::async, 1, ok_task());
  EXPECT_NE(dynamic_cast<LoopEngine*>(async.get()), nullptr);
  auto processes_async = make_for_model(Model::processes_async, 5, ok_task());
  EXPECT_NE(dynamic_cast<LoopEngine*>(processes_async.get()), nullptr);
  EXPECT_EQ(processes_async->workers(), 5) << "slots";
  EXPECT_EQ(make_for_model(Model::threads, 0, ok_task())->workers(), 1) << "fewer than 1 is 1";
}

TEST(MakeEngine, APoolIsNoWiderThanItsTasks) {
  EXPECT_EQ(make_for_model(Model::threads, 5000, ok_task(), {}, 100)->workers(), 100);
  EXPECT_EQ(make_for_model(Model::processes_threads, 8, ok_task(), {}, 3)->workers(), 3);
  EXPECT_EQ(make_for_model(Model::threads, 4, ok_task(), {}, 100)->workers(), 4);
}

TEST(MakeEngine, RunsACpuTasksUnderEveryModel) {
  CpuSpec spec;
  spec.kernel = "primes";
  spec.count = 40;
  spec.width = 2000;
  const auto workload = std::make_shared<const CpuTasks>(spec);
  for (Model m : {Model::serial, Model::threads, Model::async, Model::processes,
                  Model::processes_threads, Model::processes_async}) {
    auto exec = make_for_model(m, 2, [workload](TaskId id) { return workload->run(id); });
    RangeSource source({0, workload->count()}, 3);
    const auto samples = exec->run(source, RunContext{Clock::now(), 0});
    ASSERT_EQ(samples.size(), workload->count()) << to_string(m);
    for (const Sample& s : samples) EXPECT_TRUE(s.ok()) << to_string(m) << " task " << s.id;
  }
}

}  // namespace
}  // namespace fanout
