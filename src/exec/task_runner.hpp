// Runs one CPU task into its Sample: the timing, error class and exception capture every executor shares.
#pragma once

#include <exception>
#include <functional>

#include "exec/error_log.hpp"
#include "exec/executor.hpp"
#include "exec/sample_storage.hpp"

namespace fanout {

/// A task: runs task `id` and says whether it succeeded. May throw; the executor records that
/// as ErrorClass::exception.
using TaskFn = std::function<ErrorClass(TaskId)>;

/// Per-worker set-up, run by Executor::prepare() once on each thread that will run tasks, before
/// the clock starts (buffers allocated and first-touched by the thread that uses them). Empty
/// means nothing to set up. May throw; prepare() passes that on as a set-up failure.
using WorkerInitFn = std::function<void()>;

/// Runs `fn(id)` between two clock reads and returns its Sample. Exceptions become
/// ErrorClass::exception, their message goes to `errors`. Inline: this is the per-task hot path.
inline Sample run_task(const TaskFn& fn, TaskId id, const RunContext& ctx, int thread,
                       ErrorLog& errors) noexcept {
  Sample s;
  s.id = id;
  s.rank = ctx.rank;
  s.thread = thread;
  const Clock::time_point start = Clock::now();
  try {
    s.error = fn(id);
  } catch (const std::exception& e) {
    s.error = ErrorClass::exception;
    errors.add(id, e.what());
  } catch (...) {
    s.error = ErrorClass::exception;
    errors.add(id, "unknown exception");
  }
  const Clock::time_point end = Clock::now();
  s.start_s = seconds_between(ctx.t0, start);
  s.duration_s = seconds_between(start, end);
  return s;
}

}  // namespace fanout
