// FarmTasks: the farm's list, the plan of what runs and what the joblog held, made by the process
// that reads the list, or by rank 0 alone for every rank of a launched job.
#pragma once

#include <memory>
#include <string>

#include "exec/task.hpp"
#include "mpi/world.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/task_list.hpp"
#include "workload/shell/task_plan.hpp"

namespace fanout {

struct FarmTasks {
  std::shared_ptr<const TaskList> list;  ///< null until read
  TaskPlan plan{0};
  ResumeState resumed;
};

/// The plan of `list` for `spec`: its first shell.count tasks, less what the joblog records when
/// it resumes (the joblog is read only then), a sample of shell.sample of those, and of that a
/// sample of `then_sample` (compare's; 0: none). Throws ConfigError as plan_tasks does.
FarmTasks plan_farm(std::shared_ptr<const TaskList> list, const ShellSpec& spec,
                    TaskId then_sample);

/// Collective: plan_farm's result on every rank, of which rank 0 alone reads the list and the
/// joblog. The list's bytes go once to each node and are held there once (share_bytes), the plan
/// as a bitmap. Bad input: every rank throws AgreedFailure (exit 2) with rank 0's message, a
/// file:line, or `list_flag` (the list's option as the job gave it, "--shell.tasks 'a.txt'") and
/// what is wrong with the file.
FarmTasks load_farm_tasks(World& world, const ShellSpec& spec, const std::string& list_flag,
                          TaskId then_sample);

}  // namespace fanout
