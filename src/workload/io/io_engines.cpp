// Which curl work each engine runs.
#include "workload/io/io_engines.hpp"

#include <algorithm>

#include "exec/engines.hpp"
#include "workload/io/curl_blocking_work.hpp"
#include "workload/io/curl_slot_work.hpp"

namespace fanout {

std::unique_ptr<Executor> make_io_executor(Model model, int workers, TaskId tasks,
                                           const IoContext& io) {
  // A pool never needs more threads than requests in flight the job allows.
  // Each thread holds one connection: io.per-host's share caps them too.
  int pool = std::min(workers, io.spec.concurrency);
  if (io.spec.host_connections > 0) pool = std::min(pool, io.spec.host_connections);
  return make_engine(
      model, threaded(model) ? pool : workers, tasks,
      {[io](int n) -> std::unique_ptr<BlockingWork> {
         return std::make_unique<CurlBlockingWork>(n, io);
       },
       [io]() -> std::unique_ptr<SlotWork> { return std::make_unique<CurlSlotWork>(io); }});
}

}  // namespace fanout
