// Engines over a plain task function, for the engine tests: the three kinds by name, and the
// model mapping of make_engine.
#pragma once

#include <memory>
#include <string>

#include "exec/engines.hpp"
#include "exec/function_work.hpp"
#include "exec/loop_engine.hpp"
#include "exec/pool_engine.hpp"
#include "exec/serial_engine.hpp"

namespace fanout::testing_engines {

enum class Kind { serial, threads, async };

inline std::string kind_name(Kind k) {
  return k == Kind::serial ? "serial" : k == Kind::threads ? "threads" : "async";
}

/// The serial loop, an OpenMP pool of `threads`, or the event loop with one slot, running `fn`.
inline std::unique_ptr<Executor> make(Kind kind, int threads, TaskFn fn, WorkerInitFn init = {}) {
  auto work = std::make_unique<FunctionWork>(std::move(fn), std::move(init));
  switch (kind) {
    case Kind::serial:
      return std::make_unique<SerialEngine>(std::move(work));
    case Kind::threads:
      return std::make_unique<PoolEngine>(threads, std::move(work));
    case Kind::async:
      return std::make_unique<LoopEngine>(1, 0, std::move(work));
  }
  return nullptr;
}

/// make_engine for `model` over `fn`, as the cpu kind binds it (`tasks` 0: a count not known).
inline std::unique_ptr<Executor> make_for_model(Model model, int workers, TaskFn fn,
                                                WorkerInitFn init = {}, TaskId tasks = 0) {
  const auto work = [fn, init] { return std::make_unique<FunctionWork>(fn, init); };
  return make_engine(model, workers, tasks,
                     {[work](int) -> std::unique_ptr<BlockingWork> { return work(); },
                      [work]() -> std::unique_ptr<SlotWork> { return work(); }});
}

}  // namespace fanout::testing_engines
