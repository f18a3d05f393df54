// The scale driver: one launch per point, partial files after each, the report at the end.
#include "study/scale_command.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "launch/allocation.hpp"
#include "launch/host.hpp"
#include "launch/launcher_env.hpp"
#include "launch/process.hpp"
#include "launch/stop_request.hpp"
#include "report/progress_line.hpp"
#include "study/point_command.hpp"
#include "study/point_result.hpp"
#include "study/scale_options.hpp"
#include "study/study_analysis.hpp"
#include "study/study_output.hpp"
#include "timing/clock.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

void prepare_out_dir(const std::string& dir) {
  const std::string where = "--out " + dir + ": ";
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw ConfigError(where + "exists and is not a directory");
  }
  fs::create_directories(fs::path(dir) / "runs", ec);
  if (ec) throw ConfigError(where + "cannot create it: " + ec.message());
  if (::access(dir.c_str(), W_OK | X_OK) != 0) throw ConfigError(where + "is not writable");
}

void run_point(PointResult& p, const std::string& out_dir) {
  const std::string key = p.point.key();
  const std::string log_path = out_dir + "/runs/" + key + ".log";
  const std::string json_path = out_dir + "/" + p.run_json;
  // A document left by an earlier study must not pass for this point's.
  std::error_code ec;
  fs::remove(json_path, ec);
  const ProcessResult r = run_process(p.command, log_path);
  p.launched = true;
  p.launch_s = r.wall_s;
  p.exit_code = r.started ? r.exit_code : 127;
  const std::string log = read_text_file(log_path);
  if (log.empty()) {
    fs::remove(log_path, ec);
  } else {
    p.log = "runs/" + key + ".log";
  }
  if (!r.started) {
    p.error = r.error;
    return;
  }
  // A run stopped or ended by a fault still wrote its complete repetitions: they count, and the
  // cause goes with them (study_analysis: "ended_early").
  read_point_document(p, out_dir);
  if (r.exit_code != 0) p.error = point_error(log, r.exit_code);
}

/// Every point must fit the allocation: a step asking for more CPUs than it holds is refused (srun)
/// or oversubscribes it (mpirun), and neither measures what the user meant.
void check_fits_allocation(const std::vector<PointResult>& points, const Allocation& a) {
  const std::string what = (a.scheduler == "slurm" ? "Slurm job " : "PBS job ") + a.job_id;
  for (const auto& p : points) {
    const int cpus = p.point.ranks * (threaded(p.point.model) ? p.point.threads : 1);
    if (a.cpus > 0 && cpus > a.cpus) {
      throw ConfigError("--ranks/--threads: point " + p.point.key() + " needs " +
                        std::to_string(cpus) + " CPUs and " + what + " holds " +
                        std::to_string(a.cpus) + "; ask the allocation for more, or list fewer");
    }
    if (a.scheduler == "pbs" && a.tasks > 0 && p.point.ranks > a.tasks) {
      throw ConfigError("--ranks: point " + p.point.key() + " needs " +
                        std::to_string(p.point.ranks) + " MPI slots and " + what + " has " +
                        std::to_string(a.tasks) + " in PBS_NODEFILE; ask for more mpiprocs");
    }
  }
}

}  // namespace

int run_scale(const StudySpec& spec, const JobSpec& job, const Allocation& allocation,
              const std::string& command_line, std::ostream& out, std::ostream& err) {
  if (started_by_launcher()) {
    throw ConfigError(
        "scale launches every point itself (mpirun or srun); start it without "
        "mpirun or srun");
  }
  LaunchContext ctx;
  ctx.launcher = resolve_launcher(spec.launcher, allocation.scheduler == "slurm");
  if (allocation.scheduler == "pbs" && ctx.launcher == Launcher::mpirun) {
    ctx.hostfile = allocation.nodefile;
  }
  if (!spec.hosts.empty() && ctx.launcher != Launcher::mpirun) {
    throw ConfigError(
        "--hosts/--hostfile: srun places the ranks on the allocation's nodes; use "
        "--launcher mpirun to name hosts");
  }
  const std::string launcher = to_string(ctx.launcher);
  if (find_on_path(launcher).empty()) {
    throw ConfigError("--launcher " + to_string(spec.launcher) + ": " + launcher +
                      " is not on PATH; load the MPI module, or choose the other launcher");
  }
  ctx.hosts = spec.hosts;
  ctx.fanout_exe = this_executable();
  ctx.cores = online_cores();
  ctx.as_root = ::geteuid() == 0;
  const std::string& dir = spec.out_dir;

  StudyReport report;
  report.spec = spec;
  report.job = job;
  report.command_line = command_line;
  report.started_at = utc_now_iso8601();
  report.launcher = ctx.launcher;
  report.launch_template = launch_template(ctx, spec, job);
  report.driver_host = host_name();
  report.driver_cores = ctx.cores;
  for (const StudyPoint& point : plan_points(spec, *job.workload)) {
    PointResult p;
    p.point = point;
    p.run_json = "runs/" + point.key() + ".json";
    p.command = point_argv(ctx, spec, job, point, dir + "/" + p.run_json);
    report.points.push_back(std::move(p));
  }
  if (allocation.present()) {
    check_fits_allocation(report.points, allocation);
    report.spec.notes.push_back(
        "inside " + std::string(allocation.scheduler == "slurm" ? "Slurm" : "PBS") + " job " +
        allocation.job_id + " (" + std::to_string(allocation.nodes) + " node(s)" +
        (allocation.cpus > 0 ? ", " + std::to_string(allocation.cpus) + " CPUs" : "") +
        "): every point is a step of it, launched with " + to_string(ctx.launcher));
  }
  prepare_out_dir(dir);

  const StopRequest stop;
  ProgressLine progress(err, progress_style(spec.quiet ? ProgressMode::none : spec.progress,
                                            isatty(STDERR_FILENO) != 0, 0));
  report.incomplete = true;
  for (std::size_t i = 0; i < report.points.size() && !stop.signal(); ++i) {
    PointResult& p = report.points[i];
    run_point(p, dir);
    if (stop.signal() && p.exit_code != 0) {
      p.error = "stopped by " + signal_name(stop.signal()) + " while it ran";
    }
    analyze(report);
    write_study_files(report, dir);
    progress.update({"scale", i + 1, report.points.size(), "points", progress.elapsed_s(),
                     std::nullopt, "",
                     p.point.key() + (p.ok ? " in " + format_seconds(p.launch_s) : " failed"), ""});
  }
  progress.finish();
  report.incomplete = !report.points.back().launched;
  finish_study(report, dir, !report.incomplete && !stop.signal(), spec.quiet, out, err,
               &stop.flag());
  if (const int sig = stop.signal()) return stopped_exit_status(sig);
  // A point that kept some repetitions but whose launch failed (a lost rank or node) fails too.
  for (const auto& p : report.points) {
    if (!p.ok || p.exit_code != 0) return 1;
  }
  return 0;
}

int scale_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_scale_command, [&](const ScaleCommand& cmd) {
    return run_scale(cmd.spec, cmd.job, detect_allocation(), args.command_line, std::cout,
                     std::cerr);
  });
}

}  // namespace fanout
