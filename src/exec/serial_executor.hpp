// SerialExecutor: the base case, every task one after another on the calling thread.
#pragma once

#include "exec/error_log.hpp"
#include "exec/executor.hpp"
#include "exec/task_runner.hpp"

namespace fanout {

class SerialExecutor : public Executor {
 public:
  /// `init`, if given, runs on the calling thread in prepare().
  explicit SerialExecutor(TaskFn fn, WorkerInitFn init = {});

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
