// study.json, the document of a scaling study (fanout scale --out DIR), schema below.
//
// Times are seconds. An undefined figure (no base case, one repetition, a failed point) is null.
//
//   fanout_version      string
//   command             "scale", or "collect" for a study that ran as batch jobs (fanout submit)
//   batch               object|null  collect only: {scheduler ("slurm"|"pbs"), submitted_at,
//                                 submit_command_line, array (bool), time_limit ("HH:MM:SS"),
//                                 partition, account (null: the scheduler's default),
//                                 collect_job_id}
//   incomplete          bool      true if stopped before every point ran (signal); partial files
//                                 are written after every point with incomplete = true
//   started_at          string    ISO 8601, UTC, when the study started
//   command_line        string    of fanout scale
//   mode                string    "strong" | "weak"
//   work_scaling        string    strong: the work is fixed; weak: the workload's weak knob
//                                 (Workload::study) times p, p = workers
//   repetitions         int       repetitions inside every point's run
//   efficiency_threshold number   "stops paying off" below this efficiency
//   launcher            string    "mpirun" | "srun"
//   launch_template     string    the command of a point, R/T/M/P as placeholders
//   measurement         string    how every time was measured and summarised, in words
//   job                 object    the resolved job (job/job_json.hpp)
//   environment         object    the base run's environment (report/json_report.hpp: hosts,
//                                 cores_per_node, binding, mpi_library, compiler, openmp, ...)
//                                 plus driver_host and driver_cores, where fanout scale ran
//   base_case           object|null  {key, ranks, threads, workers, model, tasks, wall_s,
//                                 wall_ci95 {lower, upper, level}, repetitions}: the 1 x 1 point
//   points[]            one per point, in the order they ran (by workers, then threads):
//     key               string    "r2-t1"; "n2-r4-t1" for a batch point on 2 nodes
//     nodes             int|null  nodes of the point's batch job; null for fanout scale
//     ranks, threads    int       threads per rank as requested
//     workers           int       p: ranks x threads, or ranks for async models
//     model             string    the model the point ran
//     work_factor       int       weak: p (the work multiplier); strong: 1
//     status            string    "ok" | "failed" | "not_run" (study stopped before it)
//     job_id            string|null  the point's batch job (collect only)
//     job_state         string|null  the scheduler's state of that job when collected, e.g.
//                                 "COMPLETED", "TIMEOUT", "FAILED", "PENDING"; null if unknown
//     exit_code         int       the launcher's exit status (128 + N for signal N)
//     error             string    why it failed ("" when ok)
//     command           string    the launched command, shell-quoted
//     run_json          string    its run's JSON document, relative to DIR (runs/rR-tT.json)
//     log               string|null  runs/rR-tT.log when the launch printed anything
//     launch_s          number    wall of the whole launch, start-up included
//     tasks             int       tasks per repetition
//     repetitions       int
//     wall_s            number|null  median wall over the repetitions
//     wall_s_reps       number[]  every repetition's wall
//     wall_ci95         object    {lower, upper, level}: distribution-free interval of the median;
//                                 level = coverage achieved (below 0.95 under 6 repetitions)
//     wall_cv           number|null  stddev / mean of wall_s_reps
//     speedup           number|null  strong: T(base) / wall_s; weak: workers x T(base) / wall_s
//     efficiency        number|null  speedup / workers
//     karp_flatt        number|null  (1/S - 1/p) / (1 - 1/p); strong mode, p > 1
//     failed_tasks      int       failed task runs over every repetition
//     hosts             string[]  distinct hosts that ran tasks
//   fit                 object|null  {law ("amdahl" | "gustafson"), serial_fraction, r_squared,
//                                 samples, max_speedup (Amdahl: 1/f, null for f = 0 or Gustafson)}
//   stops_paying_off    object|null  {key, ranks, threads, workers, efficiency, threshold}: the
//                                 first point (in the order above) whose efficiency is below the
//                                 threshold; null when none is
//   warnings[]          {kind, point, message}: kind "high_cv" | "too_short" | "oversubscribed" |
//                       "setup" | "failed_tasks" (from the point's run) | "failed_point" |
//                       "ended_early" |
//                       "idle_workers" | "few_repetitions" | "no_base" | "poor_fit" | "incomplete";
//                       point "" for the whole study
//   plots               string[]  plot files written, relative to DIR
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "study/study_report.hpp"

namespace fanout {

nlohmann::json study_json_document(const StudyReport& report);
/// The document, indented by two spaces, with a trailing newline.
std::string render_study_json(const StudyReport& report);

}  // namespace fanout
