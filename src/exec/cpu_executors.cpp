// Maps a concurrency model to the executor that runs CPU tasks inside one rank.
#include "exec/cpu_executors.hpp"

#include <stdexcept>
#include <utility>

#include "exec/async_executor.hpp"
#include "exec/serial_executor.hpp"
#include "exec/threads_executor.hpp"

namespace fanout {

std::unique_ptr<Executor> make_cpu_executor(Model model, int threads, TaskFn fn,
                                            WorkerInitFn init) {
  switch (model) {
    case Model::serial:
    case Model::processes:
      return std::make_unique<SerialExecutor>(std::move(fn), std::move(init));
    case Model::threads:
    case Model::processes_threads:
      return std::make_unique<ThreadsExecutor>(threads < 1 ? default_threads() : threads,
                                               std::move(fn), std::move(init));
    case Model::async:
    case Model::processes_async:
      return std::make_unique<AsyncExecutor>(std::move(fn), std::move(init));
  }
  throw std::invalid_argument("make_cpu_executor: unknown model");
}

}  // namespace fanout
