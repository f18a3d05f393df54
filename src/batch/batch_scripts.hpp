// Renders the job scripts of a batch study from its templates: one per point (or one job array)
// and the dependent collect job. Pure: text in, text out; submit_command.cpp writes and submits.
#pragma once

#include <string>
#include <vector>

#include "batch/batch_plan.hpp"
#include "batch/script_template.hpp"
#include "batch/templates.hpp"
#include "launch/launch_line.hpp"

namespace fanout {

/// Where the scripts run and what they call; every path absolute.
struct ScriptContext {
  std::string fanout_exe;  ///< this fanout binary, so every job runs the same one
  std::string workdir;     ///< where fanout submit ran: jobs cd there, so relative paths hold
  std::string out_dir;     ///< the study directory (--out)
  bool as_root = false;    ///< Open MPI's mpirun refuses root without --allow-run-as-root
};

struct Script {
  std::string file;  ///< relative to the study directory, e.g. "jobs/n1-r2-t1.sbatch"
  std::string text;
};

/// What starts the ranks of a job; `nodes`, `ranks`, `per_node`, `threads` are literal numbers
/// or, in an array script, shell expansions of the element's entry.
LaunchLine job_launch(const BatchSpec& spec, const ScriptContext& ctx, const Word& nodes,
                      const Word& ranks, const Word& per_node, const Word& threads);

/// The variables every template may use: time, partition, account, exclusive, place, modules,
/// setup, workdir, out_dir, fanout.
TemplateVars common_vars(const BatchSpec& spec, const ScriptContext& ctx);

/// One script per point, in plan order.
std::vector<Script> render_point_scripts(const BatchSpec& spec, const JobSpec& job,
                                         const ScriptContext& ctx,
                                         const std::vector<BatchPoint>& points,
                                         const TemplateSet& templates);

/// One job array over every point; element i runs points[i].
Script render_array_script(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx,
                           const std::vector<BatchPoint>& points, const TemplateSet& templates);

/// The collect job, to run after `dependency` (dependency_on's text).
Script render_collect_script(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx,
                             const TemplateSet& templates, const std::string& dependency);

/// "afterany:101:102" for Slurm's --dependency and PBS's -W depend alike.
std::string dependency_on(const std::vector<std::string>& job_ids);

/// The log a point's job writes: "runs/n1-r2-t1.log"; for element i of an array,
/// "runs/array-I.log".
std::string point_log_file(const BatchPoint& point, bool array, std::size_t index);

/// The command a point runs inside its job, as the report shows it (launcher, then fanout run).
std::vector<std::string> point_command(const BatchSpec& spec, const JobSpec& job,
                                       const ScriptContext& ctx, const BatchPoint& point);

/// The point command with placeholders, for the report's launch_template.
std::string batch_launch_template(const BatchSpec& spec, const JobSpec& job,
                                  const ScriptContext& ctx);

}  // namespace fanout
