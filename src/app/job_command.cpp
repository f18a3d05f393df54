// The job commands' main line: parse (done) -> plan -> run -> gather -> report.
#include "app/job_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

#include "app/output.hpp"
#include "app/recommend.hpp"
#include "app/session.hpp"
#include "app/stop_request.hpp"
#include "app/workload_binding.hpp"
#include "cli/progress_line.hpp"
#include "dist/environment.hpp"
#include "dist/world.hpp"
#include "http/curl_global.hpp"
#include "job/config_error.hpp"
#include "server/server.hpp"
#include "timing/clock.hpp"

namespace fanout {
namespace {

/// Runs `step` on rank 0 only (or on every rank); any rank's ConfigError makes every rank throw it.
template <typename Fn>
void agreed(World& world, bool root_only, Fn&& step) {
  std::optional<std::string> error;
  if (!root_only || world.is_root()) {
    try {
      step();
    } catch (const ConfigError& e) {
      error = e.what();
    }
  }
  if (auto agreed_error = world.agree_error(error)) throw ConfigError(*agreed_error);
}

/// The embedded server for `serve:` URLs, on rank 0. Single node: 127.0.0.1. Several nodes: every
/// interface, addressed by rank 0's host name, so ranks on other nodes reach it.
std::unique_ptr<EmbeddedServer> start_server(World& world, const IoSpec& io, std::string& base_url) {
  std::unique_ptr<EmbeddedServer> server;
  const bool multi_node = world.node_count() > 1;
  agreed(world, true, [&] {
    ServeOptions options;
    options.bind = multi_node ? "0.0.0.0" : "127.0.0.1";
    options.delay_s = io.serve_delay_s;
    options.size = io.serve_size;
    server = std::make_unique<EmbeddedServer>(options);
  });
  std::string url;
  if (server) {
    url = multi_node ? "http://" + world.host() + ":" + std::to_string(server->port())
                     : server->base_url();
  }
  base_url = world.bcast_string(url);
  return server;
}

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
  err << "fanout: stopped by " << report.stopped_by << ": "
      << (files.empty() ? std::string("no output files were requested")
                        : "what was measured is in " + files + " (marked incomplete)")
      << "\n";
}

int run_in_world(World& world, const Invocation& inv, const StopFlag& stop) {
  const JobSpec& job = inv.job;
  agreed(world, true, [&] { check_outputs(job); });

  std::unique_ptr<EmbeddedServer> server;
  std::string base_url;
  if (job.workload == WorkloadKind::io && job.io.serve) server = start_server(world, job.io, base_url);

  std::unique_ptr<WorkloadBinding> workload;
  agreed(world, false, [&] {
    workload = job.workload == WorkloadKind::cpu ? bind_cpu_workload(job.cpu)
                                                 : bind_io_workload(job.io, base_url);
  });

  Environment env = collect_environment(world, inv.command_line);
  env.clock_resolution_s = clock_resolution_s();
  const bool show_progress = world.is_root() && !job.run.quiet;
  ProgressLine line(std::cerr, progress_style(show_progress ? inv.progress : ProgressMode::none,
                                              isatty(STDERR_FILENO) != 0,
                                              kPlainProgressInterval_s));
  const ProgressFn progress = [&](const RunReport& so_far, const std::string& what) {
    line.update(progress_state(so_far, what, line.elapsed_s()));
    // Partial results on disk after every measurement: a run killed at its walltime keeps them.
    write_outputs(so_far);
  };
  SessionOutcome outcome = run_session(world, inv, *workload, env, progress, &stop);
  line.finish();
  std::optional<std::string> failure;
  if (world.is_root()) {
    RunReport& report = outcome.report;
    try {
      if (inv.command == Command::compare && every_model_measured(report)) {
        report.recommendation = recommend(report);
      }
      write_outputs(report);
      if (!job.run.quiet) print_report(report, std::cout);
      if (outcome.stop_signal) say_stopped(report, std::cerr);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  // The other ranks wait (asleep) until rank 0 has written: one that ended first with a nonzero
  // status would make mpirun signal rank 0 in the middle of writing. A write error fails all.
  if (auto error = world.agree_error(failure)) throw std::runtime_error(*error);
  return outcome.stop_signal ? stopped_exit_status(outcome.stop_signal) : 0;
}

}  // namespace

int run_job_command(int argc, char** argv, const Invocation& inv) {
  // First of all, so that a time limit's SIGTERM at any later point still ends in written
  // results. Open MPI leaves SIGTERM and SIGINT to the program (its own handlers are for
  // SIGSEGV, SIGBUS, SIGFPE, SIGABRT), before MPI_Init or after alike.
  StopRequest stop;
  // Before MPI: Open MPI may start threads, and curl_global_init must precede every thread.
  CurlGlobal curl;
  World world(&argc, &argv);
  try {
    return run_in_world(world, inv, stop.flag());
  } catch (const ConfigError& e) {
    if (world.is_root()) std::cerr << "fanout: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (world.is_root()) std::cerr << "fanout: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace fanout
