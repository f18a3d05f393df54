// The farm's tasks planned where the list is read: in this process, or on rank 0 for all ranks.
#include "workload/shell/farm_tasks.hpp"

#include <optional>
#include <utility>

#include "mpi/agree.hpp"
#include "mpi/shared_bytes.hpp"

namespace fanout {

FarmTasks plan_farm(std::shared_ptr<const TaskList> list, const ShellSpec& spec,
                    TaskId then_sample) {
  FarmTasks t;
  // Without a resume the joblog is not read: bind refuses one that records tasks.
  ShellSpec for_plan = spec;
  if (!spec.resume && !spec.resume_failed) for_plan.joblog.clear();
  t.plan =
      sample_tasks(sample_tasks(plan_tasks(*list, for_plan, t.resumed), spec.sample), then_sample);
  t.list = std::move(list);
  return t;
}

FarmTasks load_farm_tasks(World& world, const ShellSpec& spec, const std::string& list_flag,
                          TaskId then_sample) {
  std::optional<TaskList::Reading> read;
  agreed(world, true, [&] {
    try {
      read = TaskList::read(spec);
    } catch (const TaskListError& e) {
      if (e.key.empty()) throw;
      throw ConfigError(list_flag + ": " + e.what());
    }
  });
  // Laid out in place, in the memory rank 0's node shares: the list is never twice on rank 0.
  const std::shared_ptr<const SharedBytes> shared =
      share_bytes(world, read ? read->bytes() : 0, [&](char* into) {
        read->write(into);
        read.reset();
      });
  FarmTasks t;
  t.list = std::make_shared<const TaskList>(spec, shared, shared->view());
  std::string plan;
  agreed(world, true, [&] {
    const FarmTasks planned = plan_farm(t.list, spec, then_sample);
    plan = plan_bytes(planned.plan, planned.list->size(), planned.resumed);
  });
  t.plan = plan_from_bytes(world.bcast_string(plan), t.list->size(), t.resumed);
  return t;
}

}  // namespace fanout
