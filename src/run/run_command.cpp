// The job commands' main line: parse -> plan -> run -> gather -> report.
#include "run/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "cli/config_error.hpp"
#include "launch/allocation.hpp"
#include "launch/launch_line.hpp"
#include "launch/launcher_env.hpp"
#include "launch/process.hpp"
#include "launch/stop_request.hpp"
#include "mpi/agree.hpp"
#include "mpi/environment.hpp"
#include "mpi/world.hpp"
#include "report/progress_line.hpp"
#include "report/summary.hpp"
#include "run/live_progress.hpp"
#include "run/outputs.hpp"
#include "run/recommend.hpp"
#include "run/run_options.hpp"
#include "run/session.hpp"
#include "timing/clock.hpp"
#include "workload/effects.hpp"

namespace fanout {
namespace {

/// Plain progress lines (stderr not a terminal) at most this often, so only long runs print them.
constexpr double kPlainProgressInterval_s = 10;

/// Measurements and tasks done so far, for the progress line.
ProgressState progress_state(const RunReport& so_far, const std::string& what, double elapsed_s) {
  ProgressState state;
  state.command = so_far.command;
  state.unit = "measurements";
  state.total = so_far.runs.size() * static_cast<std::size_t>(so_far.job.run.repeat);
  double tasks = 0;
  for (const auto& run : so_far.runs) {
    state.done += run.reps.size();
    tasks += static_cast<double>(run.reps.size() * run.tasks);
  }
  state.elapsed_s = elapsed_s;
  if (elapsed_s > 0) state.rate_per_s = tasks / elapsed_s;
  state.rate_unit = "tasks";
  state.last = what;
  return state;
}

/// True when a task of any measurement failed (a task the stop ended has not failed).
bool any_task_failed(const RunReport& report) {
  const auto failed = [](const Repetition& rep) { return rep.tally.failed_not_stopped() > 0; };
  for (const ModelRun& run : report.runs) {
    if (std::any_of(run.reps.begin(), run.reps.end(), failed)) return true;
    if (run.partial && failed(*run.partial)) return true;
  }
  return false;
}

/// A recommendation needs every model measured at least once; a stopped compare may lack some.
bool every_model_measured(const RunReport& report) {
  return std::all_of(report.runs.begin(), report.runs.end(),
                     [](const ModelRun& run) { return !run.reps.empty(); });
}

/// One line on stderr for the batch log: why the run ended early and where its results are.
void say_stopped(const RunReport& report, std::ostream& err) {
  const RunSpec& run = report.job.run;
  std::string files;
  for (const std::string* path : {&run.json_path, &run.csv_path, &run.trace_path}) {
    if (!path->empty()) files += (files.empty() ? "" : ", ") + *path;
  }
  const bool walltime = report.stopped_by == stop_name(StopReason::walltime());
  err << "fanout: stopped by " << report.stopped_by
      << (walltime ? " (no further task would end before the allocation does; --resume in a "
                     "later job runs the rest)"
                   : "")
      << ": "
      << (files.empty() ? std::string("no output files were requested")
                        : "what was measured is in " + files + " (marked incomplete)")
      << "\n";
}

/// `run` or `compare` typed inside an allocation (a batch script, salloc) runs as one process
/// unless started again over the allocation's tasks; this does that, in place of this process.
/// Returns only when there is nothing to do (or exec failed: then it throws).
void use_allocation(const RunCommand& cmd, const CommandArgs& args) {
  const Allocation allocation = detect_allocation();
  if (!allocation.present() || started_by_launcher()) return;
  default_threads_from_allocation(allocation);
  if (!cmd.use_allocation || std::getenv("FANOUT_RELAUNCHED")) return;
  std::vector<std::string> words{args.name};
  words.insert(words.end(), args.args.begin(), args.args.end());
  const auto relaunch = relaunch_argv(allocation, this_executable(), words, ::geteuid() == 0);
  if (relaunch.empty()) return;
  if (!cmd.job.run.quiet) {
    std::cerr << "fanout: inside " << (allocation.scheduler == "slurm" ? "Slurm" : "PBS") << " job "
              << allocation.job_id << " with " << allocation.tasks << " tasks: running as "
              << shell_join(relaunch) << " (--allocation ignore runs this one process)\n";
  }
  ::setenv("FANOUT_RELAUNCHED", "1", 1);
  std::vector<char*> argv;
  for (const auto& w : relaunch) argv.push_back(const_cast<char*>(w.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  throw ConfigError("--allocation use: cannot start " + relaunch[0] + ": " + std::strerror(errno) +
                    "; load the MPI module, or pass --allocation ignore");
}

int run_in_world(World& world, const RunCommand& cmd, StopFlag& stop) {
  const JobSpec& job = cmd.job;
  agreed(world, true, [&] { check_outputs(job); });

  std::unique_ptr<BoundWorkload> workload;
  agreed(world, false, [&] { workload = job.workload->bind(world); });

  Environment env = collect_environment(world, cmd.command_line);
  env.clock_resolution_s = clock_resolution_s();
  const bool show_progress = world.is_root() && !job.run.quiet;
  ProgressLine line(std::cerr,
                    progress_style(show_progress ? cmd.progress : ProgressMode::none,
                                   isatty(STDERR_FILENO) != 0, kPlainProgressInterval_s));
  std::mutex line_lock;
  // The per-task files, fed as the records reach rank 0 (nothing held in memory per task).
  RecordFiles records(job);
  SessionHooks hooks;
  hooks.progress = [&](const RunReport& so_far, const std::string& what) {
    {
      std::lock_guard lock(line_lock);
      line.update(progress_state(so_far, what, line.elapsed_s()));
    }
    // Partial results on disk after every measurement (the CSV's rows wait beside it until the
    // end or a stop): a run killed at its walltime keeps them.
    write_outputs(so_far, records, OutputPoint::progress);
  };
  hooks.stopped = [&](const RunReport& so_far) {
    write_outputs(so_far, records, OutputPoint::stop);
  };
  if (world.is_root() && records.wanted()) hooks.records = &records;
  SessionOutcome outcome;
  {
    // The farm's progress while its one long measurement runs, from its joblog.
    const LiveProgressThread live(*workload, line, line_lock, cmd.compare ? "compare" : "run");
    outcome = run_session(world, cmd, *workload, env, hooks, &stop);
  }
  line.finish();
  std::optional<std::string> failure;
  if (!outcome.error.empty()) failure = outcome.error;
  if (world.is_root()) {
    RunReport& report = outcome.report;
    try {
      if (cmd.compare && every_model_measured(report)) {
        report.recommendation = recommend(report);
      }
      std::optional<std::string> write_error;
      try {
        write_outputs(report, records, OutputPoint::end);
      } catch (const std::exception& e) {
        write_error = e.what();
      }
      // A plot that cannot be drawn leaves its script and data: a note, not a failure.
      if (!write_error) {
        for (const std::string& problem : draw_plots(report)) {
          if (!job.run.quiet) std::cerr << "fanout: note: " << problem << "\n";
        }
      }
      // The table shows what was measured even when a file could not be written.
      if (!job.run.quiet) print_report(report, std::cout);
      if (outcome.stop && !write_error && !failure) say_stopped(report, std::cerr);
      if (!failure) failure = write_error;
    } catch (const std::exception& e) {
      if (!failure) failure = e.what();
    }
  }
  // The other ranks wait (asleep) until rank 0 has written: one that ended first with a nonzero
  // status would make mpirun signal rank 0 in the middle of writing. A write error fails all.
  fail_together(world, failure);
  if (outcome.stop) return stopped_exit_status(outcome.stop);
  // Failed tasks are data for the kernels and URL lists timed (0); a farm's or a download's say
  // the run failed (1).
  return world.agree_max(world.is_root() && any_task_failed(outcome.report)
                             ? failed_tasks_exit_status(*job.workload)
                             : 0);
}

}  // namespace

int run_parsed(RunCommand cmd, const CommandArgs& args) {
  cmd.command_line = args.command_line;
  use_allocation(cmd, args);
  // First of all, so that a time limit's SIGTERM at any later point still ends in written
  // results. Open MPI leaves SIGTERM and SIGINT to the program (its own handlers are for
  // SIGSEGV, SIGBUS, SIGFPE, SIGABRT), before MPI_Init or after alike.
  StopRequest stop;
  // Before MPI: Open MPI may start threads, and libraries such as curl must be set up before any.
  const auto setups = workload_process_setups();
  World world(args.argc, args.argv);
  try {
    return run_in_world(world, cmd, stop.flag());
  } catch (const AgreedFailure& e) {
    if (world.is_root()) std::cerr << "fanout: error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    const bool config = dynamic_cast<const ConfigError*>(&e) != nullptr;
    if (world.size() == 1) {
      std::cerr << "fanout: error: " << e.what() << "\n";
      return config ? 2 : 1;
    }
    // Only this rank knows: the others may be waiting for it in a collective, so it ends them.
    world.abort_job("fanout: error: rank " + std::to_string(world.rank()) + " on " + world.host() +
                        ": " + e.what(),
                    config ? 2 : 1);
  }
}

int run_command_main(bool compare, const CommandArgs& args) {
  const auto parse = [compare](const std::vector<std::string>& a, std::string& help) {
    return parse_run_command(compare, a, help);
  };
  return parse_then_run(args, parse, [&](const RunCommand& cmd) { return run_parsed(cmd, args); });
}

}  // namespace fanout
