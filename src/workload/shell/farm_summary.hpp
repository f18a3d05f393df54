// The farm's figures and details from a run's FarmTally: tasks ok, failed, timed out, stopped and
// skipped; tasks per second; slot utilisation; speedup over running the tasks one by one; the
// tasks' CPU share; the slowest tasks; tasks per host.
#pragma once

#include <optional>
#include <vector>

#include "workload/shell/farm_tally.hpp"
#include "workload/shell/task_list.hpp"
#include "workload/shell/task_plan.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// From in.median_tally, a FarmTally.
std::vector<Figure> farm_figures(const FigureInput& in);

/// The five slowest tasks (seq, seconds, exit, host, command) and tasks and failures per host.
RunDetails farm_details(const FigureInput& in, const TaskList& list);

}  // namespace fanout
