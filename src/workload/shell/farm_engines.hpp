// make_farm_executor: the engine each model runs a farm on — child processes, one per slot.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "exec/model.hpp"
#include "workload/shell/farm_runner.hpp"

namespace fanout {

/// serial and processes: one child at a time; threads models: one per pool thread, each waiting
/// on its child's pidfd; async models: `workers` children in flight on one event loop.
std::unique_ptr<Executor> make_farm_executor(Model model, int workers,
                                             std::shared_ptr<const FarmSetup> setup);

}  // namespace fanout
