// StudyReport: everything `fanout scale` knows after its sweep, the one input of its renderers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/run_report.hpp"
#include "study/scaling_fit.hpp"
#include "study/study_spec.hpp"
#include "timing/statistics.hpp"

namespace fanout {

/// One point of the sweep: how many ranks and threads, under which model.
struct StudyPoint {
  /// Nodes the point's batch job asks for (fanout submit); 0: the point ran where the study ran.
  int nodes = 0;
  int ranks = 1;
  int threads = 1;  ///< threads per rank as requested (--threads)
  Model model = Model::processes;
  /// Workers p the point's speedup is measured against: ranks x threads for the threaded models,
  /// ranks for the others (an async rank is one event loop, however many transfers it has in
  /// flight).
  int workers = 1;
  /// Weak mode: the factor the base work is multiplied by (= workers); 1 in strong mode.
  int work_factor = 1;
  /// "r2-t1" ("n2-r4-t1" with nodes): names the point's files under runs/ and the point in
  /// warnings.
  std::string key() const;
};

/// A warning of the study report; kinds as in report/summary.hpp ("high_cv", "too_short",
/// "oversubscribed", "setup", "failed_tasks", "incomplete") plus "failed_point", "ended_early"
/// (a point kept some repetitions, but its launch failed or was stopped), "idle_workers",
/// "few_repetitions" and "no_base".
struct StudyWarning {
  std::string kind;
  std::string point;  ///< key of the point it concerns, "" for the whole study
  std::string message;
};

/// What the launch of one point produced and what it means.
struct PointResult {
  StudyPoint point;
  std::vector<std::string> command;  ///< the argv that was launched
  bool launched = false;             ///< false: not reached (the study was stopped)
  bool ok = false;                   ///< a readable run JSON with at least one repetition
  int exit_code = 0;                 ///< of the launcher; 128 + signal when killed by one
  /// Why the point failed, from its log or the JSON; for a point that kept some repetitions
  /// (ok), why its launch still ended early.
  std::string error;
  std::string run_json;   ///< "runs/r2-t1.json", relative to the output directory
  std::string log;        ///< "runs/r2-t1.log" when the launch printed anything
  double launch_s = 0;    ///< wall time of the whole launch, start-up included
  std::string job_id;     ///< the point's batch job (fanout submit), "" for scale
  std::string job_state;  ///< the scheduler's last word on that job, e.g. "TIMEOUT"

  std::uint64_t tasks = 0;                 ///< tasks of each repetition
  std::vector<double> walls_s;             ///< wall of every repetition, as the run measured it
  double wall_s = 0;                       ///< median of walls_s
  ConfidenceInterval wall_ci;              ///< median_ci95(walls_s)
  double wall_cv = 0;                      ///< NaN with one repetition
  std::uint64_t failed_tasks = 0;          ///< failed task runs over every repetition
  std::vector<std::string> hosts;          ///< distinct hosts of the ranks that ran tasks
  std::vector<StudyWarning> run_warnings;  ///< the run's own warnings (report/summary.hpp)
  Environment environment;                 ///< as the run recorded it

  std::optional<double> speedup;     ///< strong: T(base) / T; weak: workers x T(base) / T
  std::optional<double> efficiency;  ///< speedup / workers
  std::optional<double> karp_flatt;  ///< strong mode and workers > 1 only
};

/// How a study went through a batch scheduler (fanout submit, then fanout collect).
struct BatchInfo {
  std::string scheduler;            ///< "slurm" | "pbs"
  std::string submitted_at;         ///< ISO 8601, UTC
  std::string submit_command_line;  ///< of fanout submit
  bool array = false;               ///< one job array rather than one job per point
  std::string time_limit;           ///< HH:MM:SS asked for every point
  std::string partition;            ///< "" when the scheduler's default was used
  std::string account;
  std::string collect_job_id;  ///< the dependent job that ran fanout collect
};

struct StudyReport {
  /// "scale", or "collect" when the points ran as batch jobs (then `batch` says how).
  std::string command = "scale";
  std::optional<BatchInfo> batch;
  StudySpec spec;
  JobSpec job;                           ///< the job as resolved from the job file and flags
  std::string command_line;              ///< of `fanout scale`
  std::string started_at;                ///< ISO 8601, UTC
  Launcher launcher = Launcher::mpirun;  ///< resolved (never automatic)
  std::string launch_template;           ///< e.g. "mpirun -np R --bind-to none -q fanout run ..."
  std::string driver_host;               ///< where `fanout scale` ran
  int driver_cores = 0;  ///< online cores there (oversubscription is judged against them)
  /// Points in the order they ran: by workers, then by threads; the base case (1 x 1) first.
  std::vector<PointResult> points;
  std::optional<std::size_t> base_index;  ///< the 1-rank, 1-thread point, if it succeeded
  std::optional<LawFit> fit;              ///< Amdahl (strong) or Gustafson (weak)
  std::optional<std::size_t> stop_index;  ///< first point under the efficiency threshold
  std::vector<StudyWarning> warnings;
  std::vector<std::string> plots;  ///< plot files written, relative to the output directory
  bool incomplete = false;         ///< stopped before every point ran
};

}  // namespace fanout
