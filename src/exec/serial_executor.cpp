// The serial loop: pull a range, run its tasks in order, repeat until the source is empty.
#include "exec/serial_executor.hpp"

#include <stdexcept>
#include <utility>

namespace fanout {

SerialExecutor::SerialExecutor(TaskFn fn, WorkerInitFn init)
    : fn_(std::move(fn)), init_(std::move(init)) {
  if (!fn_) throw std::invalid_argument("SerialExecutor: empty task function");
}

void SerialExecutor::prepare() {
  if (init_) init_();
}

std::vector<Sample> SerialExecutor::run(TaskSource& source, const RunContext& ctx) {
  errors_.clear();
  std::vector<Sample> samples;
  while (const std::optional<TaskRange> range = source.next()) {
    reserve_samples(samples, range->size());
    for (TaskId id = range->begin; id < range->end; ++id) {
      if (stop_requested(ctx.stop)) return samples;
      samples.push_back(run_task(fn_, id, ctx, 0, errors_));
    }
  }
  return samples;
}

}  // namespace fanout
