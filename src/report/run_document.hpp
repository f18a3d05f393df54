// The run document (--json FILE): one JSON document per invocation, written here and read back
// here (by scale, collect and status), schema below.
//
// Times are seconds, rates per second, sizes bytes. An undefined statistic (no samples, a cv of one
// repetition, no base case) is null. Keys are always present unless marked "(io only)".
//
//   fanout_version   string
//   command          string        "run" | "compare"
//   incomplete       bool          true if not every planned measurement is in: stopped by a signal
//                                  (stopped_by), or written while the run went on (after each
//                                  measurement; stopped_by null: if the run is over, it was killed
//                                  without a chance to finish). The figures cover what was
//                                  measured.
//   stopped_by       string|null   "SIGTERM" | "SIGINT": the signal that ended the run before every
//                                  planned measurement (job.run.repeat repetitions of each run) was
//                                  done; the process then exits 128 + its number (143, 130)
//   job              object        the resolved job (job/job_json.hpp): name, source, workload (its
//                                  kind, "cpu"|"io"), the kind's section under its name, e.g.
//                                  cpu {kernel, n, count, width, array_bytes, sweeps} or
//                                  io {urls[], url_file, repeat, concurrency, timeout_s,
//                                      connect_timeout_s, retries, backoff_s, max_body, output_dir,
//                                      http2, insecure, max_redirects, driver_per_rank, serve,
//                                      serve_delay_s, serve_size},
//                                  run {model, threads, schedule, chunk, repeat, models[],
//                                  json_path,
//                                       csv_path, trace_path, quiet}
//   environment      object        hosts[] (one per rank), world_size, nodes, cores_per_node
//                                  (rank 0's node), cores_by_host ({host: online cores} of every
//                                  node), cores_available, binding, mpi_library, compiler, openmp,
//                                  fanout_version, started_at, command_line, clock_resolution_s,
//                                  allocation (string|null: the Slurm or PBS job it ran in, e.g.
//                                  "Slurm job 18: 1 node, 2 tasks, 1 CPU per task")
//   base_case        object|null   {model, wall_s, measured (bool: in this invocation or given),
//                                   repetitions}
//   runs[]           one per model run:
//     model            string      "serial" | "threads" | "async" | "processes" |
//                                  "processes+threads" | "processes+async"
//     ranks            int         ranks that ran tasks
//     workers_per_rank int         threads, or transfers in flight for async I/O
//     schedule         string      "static" | "dynamic"
//     chunk            int         dynamic chunk size (0 for static)
//     tasks            int         tasks per repetition
//     repetitions      int         complete repetitions (job.run.repeat unless incomplete); the
//                                  only ones behind every statistic of the run
//     task_runs        int         samples over every repetition (tasks x repetitions)
//     failed           int         failed task runs over every repetition
//     wall_s           number      median over repetitions of the wall (common start after a
//                                  barrier to the last task's end, max over ranks)
//     wall_s_reps      number[]    every repetition's wall, in order
//     wall_min_s, wall_max_s  number
//     wall_cv          number|null stddev / mean of wall_s_reps (null with one repetition)
//     wall_ci95        object      {lower, upper, level}: distribution-free interval of the median
//                                  wall; level is the coverage achieved (below 0.95 for < 6 reps)
//     speedup          number|null base_case.wall_s / wall_s
//     efficiency       number|null speedup / (ranks x workers_per_rank); null for async models,
//                                  whose workers are transfers in flight, not cores
//     imbalance        number|null max / mean busy over worker slots where per-thread samples
//     exist,
//                                  else over ranks (1 = balanced)
//     imbalance_ranks  number|null max / mean busy over ranks
//     imbalance_workers number|null max / mean busy over (rank, thread) slots; null for async
//     task_duration_s  object      {mean, median, p90, p99, max} over every repetition's tasks;
//                                  mean and max exact, the percentiles within 0.78 % of the exact
//                                  ones where rank 0 holds no records (DurationSketch)
//     errors_by_class  object      failed task runs per error class the kind can produce, every
//                                  repetition: cpu {wrong_result, exception}; io {connect, timeout,
//                                  http_4xx, http_5xx, other}
//     error_messages   string[]    first distinct failure messages
//     median_repetition int        index into wall_s_reps of the repetition per_rank describes
//     per_rank[]       object      {rank, host, workers, tasks, failed, busy_s, idle_s, wall_s,
//                                   cpu_user_s, cpu_sys_s} of the median repetition
//     partial_repetition object|null the repetition a stop signal cut short, not in any statistic
//                                  above: {rep (its 0-based index, = repetitions; the CSV rep
//                                  column), tasks_done, tasks_stopped (a farm's tasks the stop
//                                  ended in flight, not done), tasks_planned (= tasks), failed,
//                                  wall_s (common start to the stop, max over ranks)}; its tasks
//                                  are in the CSV joblog with partial = 1. A farm's figures come
//                                  from it when no repetition completed
//                                  (figures_from_partial_repetition: true), and details holds its
//                                  slowest tasks and tasks per host
//   and the kind's figures (Workload::summarise), from the median repetition:
//     requests         int         (io) requests of the median repetition, failed included
//     bytes            int         (io) body bytes of the median repetition
//     requests_per_s   number      (io) requests / that repetition's wall
//     bytes_per_s      number      (io)
//     latency_s        object      (io) {count, p50, p90, p99, p999, max}: nearest-rank
//                                  percentiles of a log-linear histogram (< 0.8 % error) over every
//                                  repetition's requests that got an HTTP response
//     bytes_moved      int         (cpu, kernel triad) bytes the kernel moved in the median
//                                  repetition's successful tasks, STREAM's count: 24 per element
//                                  per sweep (b and c read, a written); the check is not counted
//     gigabytes_per_s  number      (cpu, kernel triad) bytes_moved / that repetition's wall / 1e9
//   warnings[]       {kind, model, message}: kind "incomplete" (why, repetitions done per model,
//                    which one a stop cut at how many tasks) | "setup" (the launcher's notes
//                    on the set-up) | "high_cv" (wall cv > 5 %) |
//                    "too_short" (wall < 10 ms or 100 clock steps) | "oversubscribed" (a node's
//                    ranks x threads > its cores) | "failed_tasks"; model "" for the whole report
//   recommendation   object|null   {bound ("cpu"|"io"), cpu_fraction, fastest, speedup, why}
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "report/run_report.hpp"

namespace fanout {

/// The document described above.
nlohmann::json json_document(const RunReport& report);
/// json_document(report), indented by two spaces, with a trailing newline.
std::string render_json(const RunReport& report);

/// What a run document says, read back: what a study and `fanout status` need of it.
struct RunDocument {
  bool incomplete = false;
  std::string stopped_by;  ///< "" when not stopped
  Environment environment;
  struct Run {
    std::string model;
    std::uint64_t tasks = 0;
    std::vector<double> walls_s;  ///< wall_s_reps
    std::uint64_t failed = 0;
    std::vector<std::string> hosts;  ///< distinct hosts of per_rank, in rank order
  };
  std::vector<Run> runs;
  struct Warning {
    std::string kind;
    std::string message;
  };
  std::vector<Warning> warnings;
};

/// Reads a document of the shape above. Throws std::runtime_error naming the key when it has
/// another shape.
RunDocument read_run_document(const nlohmann::json& doc);
/// Largest run document read back: documents hold no per-task data, so a few MiB at most.
inline constexpr std::uint64_t kMaxRunDocumentBytes = 64ull << 20;
/// Reads the file; throws std::runtime_error when it is missing, not JSON or of another shape.
RunDocument read_run_document_file(const std::string& path);

/// A figure as these documents write it: NaN and absent values become null rather than a number
/// that is not one.
nlohmann::json json_number(double v);
nlohmann::json json_number(std::optional<double> v);

/// The document's `environment` object, and back.
nlohmann::json environment_json(const Environment& env);
Environment environment_from_json(const nlohmann::json& env);

}  // namespace fanout
