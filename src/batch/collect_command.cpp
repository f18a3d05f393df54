// Gathering a submitted study: the manifest, each point's document and job, then the report.
#include "batch/collect_command.hpp"

#include <filesystem>
#include <iostream>

#include "batch/batch_plan.hpp"
#include "batch/farm_chain.hpp"
#include "batch/manifest.hpp"
#include "batch/scheduler_client.hpp"
#include "batch/submit_options.hpp"
#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "launch/host.hpp"
#include "launch/process.hpp"
#include "run/run_options.hpp"
#include "study/point_result.hpp"
#include "study/study_analysis.hpp"
#include "study/study_output.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

/// The job of the study, resolved as its points' `fanout run` resolved it: with the same
/// arguments, relative paths starting where submit ran.
JobSpec resolve_job(const Manifest& m) {
  try {
    return resolve_run_job(m.spec.study.job_args, m.workdir);
  } catch (const ConfigError& e) {
    throw ConfigError(std::string("the study's job no longer resolves as it did at submission "
                                  "(job file changed or gone?): ") +
                      e.what());
  }
}

/// A state the job will still leave (pending, running, held, ...): the point may yet report.
bool is_active(const std::string& state) { return !is_final_state(state); }

}  // namespace

void judge_point(PointResult& p, const JobStatus& status, const std::string& log,
                 const std::string& time_limit) {
  p.job_state = status.known ? status.state : "";
  if (status.elapsed_s >= 0) p.launch_s = status.elapsed_s;
  if (status.exit_code >= 0) p.exit_code = status.exit_code;
  const std::string why = status.reason.empty() ? "" : " (" + status.reason + ")";
  if (p.ok) {
    p.launched = true;
    return;
  }
  const std::string document = p.error;
  if (status.known && is_active(status.state)) {
    p.launched = false;
    p.error = status.state == "PENDING" || status.state == "HELD" || status.state == "WAITING"
                  ? "not run yet: job " + p.job_id + " is " + status.state + why
                  : "still running: job " + p.job_id + " is " + status.state;
    return;
  }
  p.launched = true;
  if (status.known && status.state == "TIMEOUT") {
    p.error = "job " + p.job_id + " hit its time limit (" + time_limit +
              ") before its first repetition ended: " + document;
  } else if (status.known && status.state == "CANCELLED") {
    p.error = "job " + p.job_id + " was cancelled" + why;
  } else if (status.known && status.state != "COMPLETED") {
    p.error = "job " + p.job_id + " " + status.state + " (exit " + std::to_string(p.exit_code) +
              "): " + (log.empty() ? document : point_error(log, p.exit_code));
  } else if (!status.known && !status.reason.empty()) {
    p.error = "no result, and the scheduler could not be asked about job " + p.job_id + " (" +
              status.reason + ")" + (log.empty() ? "" : "; its log says: " + point_error(log, 0));
  } else if (!status.known) {
    p.error = "no result, and the scheduler no longer knows job " + p.job_id +
              (log.empty() ? ": it left no log either" : "; its log says: " + point_error(log, 0));
  } else {
    p.error = document + (log.empty() ? "" : "; its log says: " + point_error(log, p.exit_code));
  }
}

int run_collect(const std::string& dir, bool quiet, const std::string& command_line,
                std::ostream& out, std::ostream& err) {
  if (is_farm_dir(dir)) {
    throw ConfigError(dir +
                      ": a farm, not a study: its results are the joblog and the tasks' "
                      "logs, and runs/farm-K.json of each job; 'fanout status " +
                      dir + "' shows the chain");
  }
  const Manifest m = read_manifest(dir);
  const auto client = make_scheduler_client(m.spec.scheduler);
  const std::string time_limit = format_time_limit(m.spec.time_limit_s);

  StudyReport report;
  report.command = "collect";
  BatchInfo batch;
  batch.scheduler = to_string(m.spec.scheduler);
  batch.submitted_at = m.submitted_at;
  batch.submit_command_line = m.command_line;
  batch.array = m.spec.array;
  batch.time_limit = time_limit;
  batch.partition = m.spec.partition;
  batch.account = m.spec.account;
  batch.collect_job_id = m.collect_job_id;
  report.batch = batch;
  report.spec = m.spec.study;
  report.spec.out_dir = dir;
  report.job = resolve_job(m);
  report.command_line = command_line;
  report.started_at = m.submitted_at;
  report.launcher = m.spec.launcher;
  report.launch_template = m.launch_template;
  report.driver_host = host_name();
  report.driver_cores = online_cores();

  bool active = false;
  for (const auto& mp : m.points) {
    PointResult p;
    p.point = mp.point;
    p.command = mp.command;
    p.run_json = mp.run_json;
    p.job_id = mp.job_id;
    const std::string log_path = (fs::path(dir) / mp.log).string();
    std::error_code ec;
    const std::string log = fs::exists(log_path, ec) ? read_text_file(log_path) : "";
    if (!log.empty()) p.log = mp.log;
    read_point_document(p, dir);
    const JobStatus status = client->query(mp.job_id);
    judge_point(p, status, log, time_limit);
    if (!p.ok && status.known && is_active(status.state)) active = true;
    report.points.push_back(std::move(p));
  }
  report.incomplete = active;
  finish_study(report, dir, !active, quiet, out, err);

  std::size_t missing = 0;
  for (const auto& p : report.points) {
    if (p.ok) continue;
    ++missing;
    err << "fanout: point " << p.point.key() << " has no result: " << p.error << "\n";
  }
  if (missing > 0) {
    err << "fanout: collected " << report.points.size() - missing << " of " << report.points.size()
        << " points into " << dir << "/study.json"
        << (active ? "; run 'fanout collect " + dir + "' again when the rest have run" : "")
        << "\n";
    return 1;
  }
  return 0;
}

int collect_command_main(const CommandArgs& args) {
  const auto parse = [](const std::vector<std::string>& a, std::string& help) {
    return parse_dir_command("collect", a, help);
  };
  return parse_then_run(args, parse, [&](const DirCommand& cmd) {
    return run_collect(cmd.dir, cmd.quiet, args.command_line, std::cout, std::cerr);
  });
}

}  // namespace fanout
