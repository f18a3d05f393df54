// ThreadsExecutor: an OpenMP team inside one rank, each thread pulling ranges from the shared source.
#pragma once

#include "exec/error_log.hpp"
#include "exec/executor.hpp"
#include "exec/task_runner.hpp"

namespace fanout {

class ThreadsExecutor : public Executor {
 public:
  /// `threads` >= 1 OpenMP threads; throws std::invalid_argument otherwise. `init`, if given,
  /// runs once on every thread of the team in prepare().
  ThreadsExecutor(int threads, TaskFn fn, WorkerInitFn init = {});

  int workers() const override { return threads_; }
  /// Runs `init` in a parallel region of the same team size as run(). libgomp keeps its pool
  /// threads between regions and reuses them for the next team of that size, so the threads that
  /// run the tasks are the ones whose thread-local state was set up here. The first exception
  /// from `init` is rethrown after the region.
  void prepare() override;
  /// Each Sample's thread is the omp_get_thread_num() that ran it. Exceptions from tasks become
  /// ErrorClass::exception samples; nothing is thrown out of the parallel region. An exception
  /// from the source itself (a broken dynamic dispatcher) stops every thread and is rethrown
  /// here, after the region has ended.
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  int threads_;
  TaskFn fn_;
  WorkerInitFn init_;
  ErrorLog errors_;
};

}  // namespace fanout
