// The one seam every concurrency model sits behind: an Executor runs the tasks a TaskSource yields.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/sample_storage.hpp"
#include "exec/stop_flag.hpp"
#include "exec/task.hpp"
#include "timing/clock.hpp"

namespace fanout {

/// Hands out ranges of task ids to the workers of one rank. Thread-safe: any worker may call
/// next(). A static source yields this rank's block in chunks; a dynamic one (src/mpi) asks rank 0.
class TaskSource {
 public:
  virtual ~TaskSource() = default;
  /// The next range to run, or nullopt once no task is left for this rank.
  virtual std::optional<TaskRange> next() = 0;
};

/// What an executor needs to know about the run it is part of.
struct RunContext {
  Clock::time_point t0;  ///< the common start, taken right after a barrier
  int rank = 0;
  /// When set, the executor starts no further task (checked before each one); tasks in flight
  /// finish. Null: never stops early. A workload may set it too (its halt rule), with a
  /// StopReason that says so.
  StopFlag* stop = nullptr;
  /// Where the engines hand their full sample vectors while they run (append_sample), from any
  /// worker thread, so that no engine holds more than kSpillSamples per worker; what run()
  /// returns is the rest. Empty: the engines keep every sample and run() returns them all.
  SampleSink sink{};
};

/// A concurrency model inside one rank: the serial loop, the OpenMP pool or the event loop
/// (src/exec/engines.hpp), running what a workload kind gives it. MPI is not an executor: src/mpi
/// decides which tasks a rank gets and wraps an executor.
class Executor {
 public:
  virtual ~Executor() = default;
  /// Concurrent workers inside the rank (threads, or slots of tasks in flight for the event loop).
  virtual int workers() const = 0;
  /// Called on every participating rank before the barrier that starts the clock: per-worker
  /// set-up (buffers, first touch, thread pools, connections) that no measurement should include.
  virtual void prepare() {}
  /// Runs every task the source yields, or until ctx.stop is set (checked before every task), and
  /// returns one Sample per task run that it did not hand to ctx.sink, in any order. Per-task
  /// failures are recorded in the Sample; this throws only for broken set-up.
  virtual std::vector<Sample> run(TaskSource& source, const RunContext& ctx) = 0;
  /// First distinct error messages seen (capped), for the report; per-task detail is in the
  /// samples.
  virtual std::vector<std::string> error_messages() const { return {}; }
};

}  // namespace fanout
