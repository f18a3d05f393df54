// make_engine: the engine each concurrency model runs inside one rank, over a kind's work.
#pragma once

#include <functional>
#include <memory>

#include "exec/model.hpp"
#include "exec/work.hpp"

namespace fanout {

/// How a workload kind makes what the engines run: blocking work for `workers` workers (the
/// serial loop has 1, the pool one per thread), and slot work for the event loop.
struct WorkMaker {
  std::function<std::unique_ptr<BlockingWork>(int workers)> blocking;
  std::function<std::unique_ptr<SlotWork>()> slots;
};

/// serial, processes -> the serial loop; threads, processes+threads -> the OpenMP pool of
/// `workers` threads; async, processes+async -> the event loop with `workers` slots. `tasks`
/// bounds what the event loop sets up ahead. `workers` < 1 counts as 1.
std::unique_ptr<Executor> make_engine(Model model, int workers, TaskId tasks,
                                      const WorkMaker& make);

}  // namespace fanout
