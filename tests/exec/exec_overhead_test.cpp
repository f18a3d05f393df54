// Prints the per-task scheduling overhead of the executors on 1M no-op tasks (measured, never asserted).
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "exec/async_executor.hpp"
#include "exec/range_source.hpp"
#include "exec/serial_executor.hpp"
#include "exec/threads_executor.hpp"
#include "timing/clock.hpp"
#include "workload/cpu_kernels.hpp"

namespace fanout {
namespace {

constexpr TaskId kTasks = 1'000'000;

// Runs kTasks noop tasks through `exec` and prints wall and CPU time per task (CPU summed over
// the workers, so it stays meaningful when other processes share the cores); checks only that
// every task ran.
void measure(const char* label, Executor& exec, TaskId chunk) {
  RangeSource source({0, kTasks}, chunk);
  const CpuTimes cpu0 = process_cpu_times();
  const Clock::time_point t0 = Clock::now();
  const std::vector<Sample> samples = exec.run(source, RunContext{t0, 0});
  const double wall_s = seconds_between(t0, Clock::now());
  const CpuTimes cpu1 = process_cpu_times();
  ASSERT_EQ(samples.size(), kTasks);
  const double cpu_s = (cpu1.user_s - cpu0.user_s) + (cpu1.sys_s - cpu0.sys_s);
  const double per_task = 1e9 / static_cast<double>(kTasks);
  std::printf("[overhead] %-7s workers=%d chunk=%-5llu wall %7.1f ns/task  cpu %7.1f ns/task\n",
              label, exec.workers(), static_cast<unsigned long long>(chunk), wall_s * per_task,
              cpu_s * per_task);
}

TEST(ExecOverhead, OneMillionNoopTasks) {
  CpuSpec spec;
  spec.kernel = "noop";
  spec.count = kTasks;
  const auto workload = std::make_shared<const CpuWorkload>(spec);
  const TaskFn fn = [workload](TaskId id) { return workload->run(id); };
  SerialExecutor serial(fn);
  ThreadsExecutor threads1(1, fn);
  ThreadsExecutor threads2(2, fn);
  AsyncExecutor async(fn);
  for (TaskId chunk : {TaskId{1}, TaskId{1000}}) {
    measure("serial", serial, chunk);
    measure("threads", threads1, chunk);
    measure("threads", threads2, chunk);
    measure("async", async, chunk);
  }
}

}  // namespace
}  // namespace fanout
