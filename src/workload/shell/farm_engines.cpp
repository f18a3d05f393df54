// Which child work each engine runs.
#include "workload/shell/farm_engines.hpp"

#include "exec/engines.hpp"
#include "workload/shell/child_blocking_work.hpp"
#include "workload/shell/child_slot_work.hpp"

namespace fanout {

std::unique_ptr<Executor> make_farm_executor(Model model, int workers,
                                             std::shared_ptr<const FarmSetup> setup) {
  const TaskId tasks = setup->plan.count();
  auto runner = std::make_shared<FarmRunner>(std::move(setup), workers);
  return make_engine(model, workers, tasks,
                     {[runner](int) -> std::unique_ptr<BlockingWork> {
                        return std::make_unique<ChildBlockingWork>(runner);
                      },
                      [runner]() -> std::unique_ptr<SlotWork> {
                        return std::make_unique<ChildSlotWork>(runner);
                      }});
}

}  // namespace fanout
