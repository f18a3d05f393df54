// Which engine each model name means.
#include "exec/engines.hpp"

#include <algorithm>

#include "exec/loop_engine.hpp"
#include "exec/pool_engine.hpp"
#include "exec/serial_engine.hpp"

namespace fanout {

std::unique_ptr<Executor> make_engine(Model model, int workers, TaskId tasks,
                                      const WorkMaker& make) {
  workers = std::max(1, workers);
  switch (model) {
    case Model::serial:
    case Model::processes:
      return std::make_unique<SerialEngine>(make.blocking(1));
    case Model::threads:
    case Model::processes_threads: {
      // A thread per task at most: io.concurrency 5000 over 100 requests started 5000 threads.
      const int threads = tasks > 0 ? static_cast<int>(std::min<TaskId>(workers, tasks)) : workers;
      return std::make_unique<PoolEngine>(threads, make.blocking(threads));
    }
    case Model::async:
    case Model::processes_async:
      return std::make_unique<LoopEngine>(workers, tasks, make.slots());
  }
  return std::make_unique<SerialEngine>(make.blocking(1));
}

}  // namespace fanout
