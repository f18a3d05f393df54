// Benchmark: what each engine costs per task, 1M noop tasks through the serial loop, the OpenMP
// pool and the event loop; wall and CPU per task, printed, never asserted.
// Usage: engine_overhead [TASKS]
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "exec/function_work.hpp"
#include "exec/loop_engine.hpp"
#include "exec/pool_engine.hpp"
#include "exec/range_source.hpp"
#include "exec/serial_engine.hpp"
#include "timing/clock.hpp"

namespace {

using namespace fanout;

/// Runs `tasks` noop tasks through `engine` in chunks of `chunk`; one line of figures.
bool measure(const char* label, Executor& engine, TaskId tasks, TaskId chunk) {
  RangeSource source({0, tasks}, chunk);
  engine.prepare();
  const CpuTimes cpu0 = process_cpu_times();
  const Clock::time_point t0 = Clock::now();
  const std::vector<Sample> samples = engine.run(source, RunContext{t0, 0});
  const double wall_s = seconds_between(t0, Clock::now());
  const CpuTimes cpu1 = process_cpu_times();
  const double cpu_s = (cpu1.user_s - cpu0.user_s) + (cpu1.sys_s - cpu0.sys_s);
  const double per_task = 1e9 / static_cast<double>(tasks);
  std::printf("engine %-7s workers=%d chunk=%-5llu wall_ns_per_task=%.1f cpu_ns_per_task=%.1f\n",
              label, engine.workers(), static_cast<unsigned long long>(chunk), wall_s * per_task,
              cpu_s * per_task);
  return samples.size() == tasks;
}

std::unique_ptr<FunctionWork> noop() {
  return std::make_unique<FunctionWork>([](TaskId) { return ErrorClass::none; });
}

}  // namespace

int main(int argc, char** argv) {
  const TaskId tasks = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  bool ok = true;
  for (TaskId chunk : {TaskId{1}, TaskId{1000}}) {
    SerialEngine serial(noop());
    PoolEngine pool1(1, noop()), pool2(2, noop());
    LoopEngine loop(1, tasks, noop());
    ok = measure("serial", serial, tasks, chunk) && ok;
    ok = measure("threads", pool1, tasks, chunk) && ok;
    ok = measure("threads", pool2, tasks, chunk) && ok;
    ok = measure("async", loop, tasks, chunk) && ok;
  }
  if (!ok) std::fprintf(stderr, "engine_overhead: an engine lost tasks\n");
  return ok ? 0 : 1;
}
