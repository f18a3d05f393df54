// make_io_executor: the I/O engine of each model, curl transfers plugged into the engine layer.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "exec/model.hpp"
#include "workload/io/io_context.hpp"

namespace fanout {

/// serial, processes: the serial loop with one blocking easy handle; threads, processes+threads:
/// the OpenMP pool of min(workers, concurrency) threads, one handle each; async,
/// processes+async: the event loop with `workers` slots of curl transfers on one multi handle.
/// Each work gets a copy of `io`, whose plan, spec, directories and gate outlive the executor.
/// `tasks`: the job's task count (the plan's, or an open-loop staircase's).
std::unique_ptr<Executor> make_io_executor(Model model, int workers, TaskId tasks,
                                           const IoContext& io);

}  // namespace fanout
