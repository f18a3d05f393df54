// make_cpu_executor: the executor that runs CPU tasks inside one rank for each concurrency model.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "exec/task_runner.hpp"
#include "exec/worker_count.hpp"
#include "job/job_spec.hpp"

namespace fanout {

/// The in-rank executor for `model`:
///   serial, processes                  -> SerialExecutor (a process is one worker)
///   threads, processes+threads         -> ThreadsExecutor with `threads` threads
///   async, processes+async             -> AsyncExecutor (one event loop per rank; for CPU work a
///                                         loop adds no concurrency, so processes+async is
///                                         processes plus the loop's overhead)
/// `threads` < 1 means default_threads(); it is ignored by the single-worker models.
/// `init`, if given, is the workload's per-worker set-up: the executor's prepare() runs it once on
/// every thread that will run tasks, before the clock starts.
std::unique_ptr<Executor> make_cpu_executor(Model model, int threads, TaskFn fn,
                                            WorkerInitFn init = {});

}  // namespace fanout
