// The serial loop: ask the feed for a task, run it, repeat.
#include "exec/serial_engine.hpp"

#include <stdexcept>

#include "exec/sample_storage.hpp"
#include "exec/task_feed.hpp"

namespace fanout {

SerialEngine::SerialEngine(std::unique_ptr<BlockingWork> work) : work_(std::move(work)) {
  if (!work_) throw std::invalid_argument("SerialEngine: no work");
}

void SerialEngine::prepare() { work_->prepare_worker(0); }

std::vector<Sample> SerialEngine::run(TaskSource& source, const RunContext& ctx) {
  std::vector<Sample> samples;
  TaskFeed feed(source, ctx.stop);
  while (const std::optional<TaskId> id = feed.next()) {
    append_sample(samples, run_timed(*work_, *id, 0, ctx), ctx.sink);
  }
  return samples;
}

}  // namespace fanout
