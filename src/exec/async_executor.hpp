// AsyncExecutor: one thread running an event loop, one posted handler per task, as asyncio runs coroutines.
#pragma once

#include "exec/error_log.hpp"
#include "exec/executor.hpp"
#include "exec/task_runner.hpp"

namespace fanout {

/// For CPU-bound tasks an event loop interleaves but never overlaps them: expect about 1x against
/// serial (plus the loop's own overhead). That is the lesson, so there are no hidden threads: the
/// loop runs on the thread that calls run().
class AsyncExecutor : public Executor {
 public:
  /// `init`, if given, runs on the calling thread (the one that will run the loop) in prepare().
  explicit AsyncExecutor(TaskFn fn, WorkerInitFn init = {});

  int workers() const override { return 1; }
  void prepare() override;
  /// Samples come back in the order the tasks ran; thread is always 0.
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  TaskFn fn_;
  WorkerInitFn init_;
  ErrorLog errors_;
};

}  // namespace fanout
