// The farm's tasks planned where the list is read: in this process, or on rank 0 for all ranks.
#include "workload/shell/farm_tasks.hpp"

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
  std::string bytes, plan;
  agreed(world, true, [&] {
    try {
      auto mine = std::make_shared<std::string>(TaskList::read_bytes(spec));
      FarmTasks t =
          plan_farm(std::make_shared<const TaskList>(spec, mine, *mine), spec, then_sample);
      plan = plan_bytes(t.plan, t.list->size(), t.resumed);
      t = FarmTasks{};
      bytes = std::move(*mine);
    } catch (const TaskListError& e) {
      if (e.key.empty()) throw;
      throw ConfigError(list_flag + ": " + e.what());
    }
  });
  FarmTasks t;
  const std::shared_ptr<const SharedBytes> shared = share_bytes(world, std::move(bytes));
  t.list = std::make_shared<const TaskList>(spec, shared, shared->view());
  t.plan = plan_from_bytes(world.bcast_string(plan), t.list->size(), t.resumed);
  return t;
}

}  // namespace fanout
