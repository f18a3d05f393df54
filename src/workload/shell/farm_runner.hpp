// FarmRunner: what one executor's works share while they run the farm's tasks — how an attempt
// starts and ends, where its logs and joblog line go, retries, timeouts and the halt rule.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "exec/error_log.hpp"
#include "exec/executor.hpp"
#include "timing/clock.hpp"
#include "workload/shell/child.hpp"
#include "workload/shell/joblog.hpp"
#include "workload/shell/launcher_watch.hpp"
#include "workload/shell/log_lock.hpp"
#include "workload/shell/logs_dir.hpp"
#include "workload/shell/output_log.hpp"
#include "workload/shell/output_spools.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/start_journal.hpp"
#include "workload/shell/task_list.hpp"
#include "workload/shell/task_plan.hpp"
#include "workload/shell/walltime_gate.hpp"

namespace fanout {

/// What every executor of a rank's farm shares, fixed once bound.
struct FarmSetup {
  ShellSpec spec;
  std::shared_ptr<const TaskList> list;
  TaskPlan plan{0};
  ChildSetup child;
  std::shared_ptr<JoblogWriter> joblog;  ///< null: no joblog (compare)
  /// Held while this process may append to the joblog: no second farm writes to it meanwhile.
  std::shared_ptr<LogLock> joblog_lock;
  /// The launcher that started this rank; once it is gone, no task starts.
  LauncherWatch launcher;
  std::string logs_dir;
  /// This rank's file of output records (spec.output = records), where each attempt's stdout and
  /// stderr are appended as it ends; null with files.
  std::shared_ptr<RankOutputLog> output;
  std::string host;  ///< this rank's host, for the joblog
  /// {%} and FANOUT_SLOT count the slots of a node: this rank's first is node_rank x slots + 1.
  int node_rank = 0;
  /// What a halt rule's P% is of, as in GNU parallel: the farm's tasks (the list less what
  /// shell.count cuts, those a resume skips included; a sample's own), here this rank's share of
  /// them, since each rank counts its own failures.
  double halt_tasks = 0;
  /// This rank's GPUs, handed out spec.gpus_per_task to each slot; empty: none handed out.
  std::vector<std::string> gpus;
  /// Whether a task still ends before the allocation does; null when its end is not known.
  std::shared_ptr<WalltimeGate> walltime;
  /// This rank's journal of the attempts it starts (farm-explain); null: none kept.
  std::shared_ptr<StartJournal> starts;
};

/// A task's attempts so far, kept by the work that runs it.
struct FarmTask {
  TaskId id = 0;              ///< the run's task id (TaskPlan::index maps it onto the list)
  int slot = 1;               ///< 1-based on the node: {%} and FANOUT_SLOT
  int worker = 0;             ///< 0-based in this executor: its output spools
  std::string gpus;           ///< its slot's GPUs (CUDA_VISIBLE_DEVICES); "" none
  int attempt = 0;            ///< attempts started
  Clock::time_point started;  ///< the first attempt's start
  double start_epoch_s = 0;   ///< the same, as seconds since 1970 (UTC)
  Clock::time_point attempt_started;
  Clock::time_point signalled;   ///< when timed_out or stopped was set
  double user_s = 0, sys_s = 0;  ///< summed over attempts
  long max_rss_kib = 0;
  Child child;
  bool timed_out = false;  ///< this attempt's timeout sent it SIGTERM
  bool stopped = false;    ///< the run's stop sent it its signal
  bool killed = false;     ///< SIGKILL sent after the grace period
  /// An attempt's output could not be appended to the rank's records: no joblog line, so that a
  /// resume runs it again.
  bool output_lost = false;
};

/// Thread-safe: the pool's threads share one; the event loop uses one alone.
class FarmRunner {
 public:
  /// `slots`: this executor's workers (for the node's slot numbers, and a pair of output spools
  /// each with records). Throws ConfigError when the spools cannot be made.
  FarmRunner(std::shared_ptr<const FarmSetup> setup, int slots);

  const ShellSpec& spec() const { return setup_->spec; }

  /// Task `id` in this executor's slot `worker` (0-based), before its first attempt.
  FarmTask begin(TaskId id, int worker) const;
  /// Starts the next attempt of `t`. False when it could not start: `failure` then holds the
  /// task's result (not_started; stopped when the launcher is gone or the walltime near), and
  /// the reason is in the error log.
  bool start_attempt(FarmTask& t, Sample& failure, const RunContext& ctx);
  /// True once this rank's launcher is gone (LauncherWatch): the first call that sees it asks the
  /// run to stop as a SIGHUP would (no task starts, those in flight get SIGHUP, then SIGKILL after
  /// the grace period, and are not logged: a resume runs them). Called before every start and on
  /// every tick while tasks run.
  bool launcher_lost(const RunContext& ctx);
  /// True when the allocation ends before a task started now would (WalltimeGate): the first
  /// call that sees it says why and asks the run to stop at its walltime (no task starts, those
  /// in flight finish). Called before every start.
  bool past_walltime(const RunContext& ctx);
  /// Reaps the attempt's exited child and adds its usage to `t`, and with records appends its
  /// stdout and stderr (those not empty) to the rank's records: the Sample the task ends with
  /// unless it is retried. A task that did not end well while the run is being stopped counts as
  /// stopped, not failed, whoever signalled it (a batch system signals the whole job's processes).
  Sample end_attempt(FarmTask& t, const RunContext& ctx);
  /// A batch system's stop signals every process of the job at once, so a task may die of it a
  /// moment before fanout's own handler runs. True for a task a stop signal ended (SIGTERM,
  /// SIGINT, SIGHUP, or its shell's exit 128 + those) while the run is not stopping: the work then
  /// waits up to kStopWait for the run's stop before recording it, and settle() decides.
  bool awaits_stop(const Sample& s, const RunContext& ctx) const;
  /// Such a task counts as stopped (it runs again on resume) when the run's stop came meanwhile.
  void settle(Sample& s, const RunContext& ctx) const;
  static constexpr std::chrono::milliseconds kStopWait{500};

  /// True when `s` failed in a way another attempt may mend, attempts are left, and no stop
  /// was asked for.
  bool should_retry(const Sample& s, const FarmTask& t, const RunContext& ctx) const;
  /// The task is done: its joblog line (unless the run's stop ended it: a resume runs it again),
  /// its error message, and the halt rule, which may ask the run to stop.
  void record(const Sample& s, const FarmTask& t, const RunContext& ctx);

  /// When the attempt in flight must be signalled now: its timeout passed, or the run's stop
  /// ends tasks in flight. Sends SIGTERM (the stop's own signal for a stop) to its process group,
  /// and SIGKILL once the grace period after that passed. Returns when to look again (never()
  /// when nothing is pending).
  Clock::time_point police(FarmTask& t, const RunContext& ctx, Clock::time_point now);

  std::vector<std::string> error_messages() const { return errors_.messages(); }

 private:
  /// Where attempt `t` of task `seq` writes: its spools, or its files (bucket made). False, with
  /// `error`, when the bucket cannot be made.
  bool output_of(const FarmTask& t, std::uint64_t seq, ChildOutput& out, std::string& error);
  /// Appends the attempt's spooled output to the rank's records and empties the spools: its
  /// stdout and stderr bytes.
  std::pair<std::uint64_t, std::uint64_t> keep_output(FarmTask& t, std::uint64_t seq,
                                                      const RunContext& ctx);
  /// Where an error message sends the user for task `seq`'s stderr.
  std::string stderr_hint(std::uint64_t seq) const;

  std::shared_ptr<const FarmSetup> setup_;
  int slots_ = 1;
  std::unique_ptr<OutputSpools> spools_;  ///< with records
  std::unique_ptr<LogBuckets> buckets_;   ///< with files
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<bool> launcher_lost_{false};
  ErrorLog errors_;
};

/// When a stop ends the tasks in flight: for a signal and for "halt now", not for "halt soon" or
/// walltime.
bool stop_ends_tasks(const RunContext& ctx);

}  // namespace fanout
