// The submit driver: plan, render, check, write, submit, record.
#include "batch/submit_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "batch/batch_scripts.hpp"
#include "batch/manifest.hpp"
#include "batch/scheduler_client.hpp"
#include "batch/submission_dir.hpp"
#include "batch/submit_options.hpp"
#include "cli/config_error.hpp"
#include "launch/launch_line.hpp"
#include "launch/launcher_env.hpp"
#include "launch/process.hpp"
#include "report/writer.hpp"
#include "timing/clock.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

}  // namespace

int run_submit(const BatchSpec& spec, const JobSpec& job, const std::string& command_line,
               std::ostream& out, std::ostream& err) {
  if (started_by_launcher()) {
    throw ConfigError("submit hands every point to the scheduler; start it without mpirun or srun");
  }
  ScriptContext ctx;
  ctx.fanout_exe = this_executable();
  ctx.workdir = fs::current_path().string();
  ctx.out_dir = fs::absolute(spec.study.out_dir).lexically_normal().string();
  while (ctx.out_dir.size() > 1 && ctx.out_dir.back() == '/') ctx.out_dir.pop_back();
  ctx.as_root = ::geteuid() == 0;

  const std::vector<BatchPoint> points = plan_batch_points(spec, *job.workload);
  const TemplateSet templates = load_templates(spec.scheduler, spec.template_dir);
  std::vector<Script> scripts =
      spec.array ? std::vector<Script>{render_array_script(spec, job, ctx, points, templates)}
                 : render_point_scripts(spec, job, ctx, points, templates);
  if (spec.dry_run) {
    scripts.push_back(render_collect_script(spec, job, ctx, templates,
                                            "afterany:<the job ids of the scripts above>"));
    for (const auto& s : scripts) {
      out << "# ==> " << ctx.out_dir << "/" << s.file << " <==\n" << s.text << "\n";
    }
    out << "# dry run: " << points.size() << " points, nothing written or submitted\n";
    return 0;
  }

  const auto client = make_scheduler_client(spec.scheduler);
  for (const auto& tool : client->submit_commands()) {
    if (find_on_path(tool).empty()) {
      throw ConfigError("--scheduler " + to_string(spec.scheduler) + ": " + tool +
                        " is not on PATH; run submit on a login node of a " + client->name() +
                        " cluster, or use --dry-run to see the scripts");
    }
  }
  check_out_dir(ctx.out_dir);

  // The scheduler judges every script (partition, account, time limit, node counts) before the
  // first one goes in, so a bad option submits nothing.
  {
    const CheckDir tmp;
    // The collect job is judged too, with a dependency the check accepts (its real one names
    // jobs that do not exist yet).
    std::vector<Script> checked = scripts;
    checked.push_back(render_collect_script(spec, job, ctx, templates, "singleton"));
    for (const auto& s : checked) {
      const std::string path = tmp.path() + "/" + fs::path(s.file).filename().string();
      write_file_atomically(path, s.text);
      if (const auto refusal = client->validate(path)) {
        throw ConfigError(client->name() + " refused " + s.file + " (" +
                          "--nodes/--ranks-per-node/--threads/--time/--partition/--account): " +
                          *refusal + "; nothing was submitted");
      }
    }
  }

  create_out_dir(ctx.out_dir);
  for (const auto& s : scripts) write_script(ctx.out_dir + "/" + s.file, s.text);

  Manifest m;
  m.fanout_version = FANOUT_VERSION;
  m.submitted_at = utc_now_iso8601();
  m.command_line = command_line;
  m.workdir = ctx.workdir;
  m.fanout_exe = ctx.fanout_exe;
  m.spec = spec;
  m.spec.study.out_dir = ctx.out_dir;
  m.launch_template = batch_launch_template(spec, job, ctx);
  for (std::size_t i = 0; i < points.size(); ++i) {
    ManifestPoint mp;
    mp.point = points[i].point;
    mp.ranks_per_node = points[i].ranks_per_node;
    mp.script = spec.array ? scripts[0].file : scripts[i].file;
    mp.run_json = "runs/" + mp.point.key() + ".json";
    mp.log = point_log_file(points[i], spec.array, i);
    mp.command = point_command(spec, job, ctx, points[i]);
    m.points.push_back(std::move(mp));
  }

  std::vector<std::string> submitted;
  try {
    if (spec.array) {
      m.array_script = scripts[0].file;
      m.array_job_id = client->submit(ctx.out_dir + "/" + scripts[0].file, ctx.workdir);
      submitted.push_back(m.array_job_id);
      for (std::size_t i = 0; i < m.points.size(); ++i) {
        m.points[i].job_id = client->array_element_id(m.array_job_id, i);
      }
    } else {
      for (std::size_t i = 0; i < m.points.size(); ++i) {
        m.points[i].job_id = client->submit(ctx.out_dir + "/" + scripts[i].file, ctx.workdir);
        submitted.push_back(m.points[i].job_id);
      }
    }
    // The record is on disk before the collect job exists, since collect reads it.
    write_file_atomically(ctx.out_dir + "/" + kManifestFile, render_manifest(m));
    const Script collect =
        render_collect_script(spec, job, ctx, templates, dependency_on(submitted));
    write_script(ctx.out_dir + "/" + collect.file, collect.text);
    m.collect_script = collect.file;
    m.collect_log = "collect.log";
    m.collect_job_id = client->submit(ctx.out_dir + "/" + collect.file, ctx.workdir);
    write_file_atomically(ctx.out_dir + "/" + kManifestFile, render_manifest(m));
  } catch (const std::exception& e) {
    client->cancel(submitted);
    std::error_code ec;
    fs::remove(fs::path(ctx.out_dir) / kManifestFile, ec);
    err << "fanout: error: " << client->name() << " refused a job: " << e.what() << "; "
        << (submitted.empty() ? std::string("nothing was submitted")
                              : "cancelled the " + std::to_string(submitted.size()) +
                                    " job(s) already submitted (" + shell_join(submitted) + ")")
        << "\n";
    return 1;
  }

  out << "submitted " << points.size() << " points to " << client->name() << " as "
      << (spec.array ? "job array " + m.array_job_id : "jobs " + shell_join(submitted))
      << ", and collect job " << m.collect_job_id << " after them (afterany)\n"
      << "scripts in " << ctx.out_dir << "/jobs, job ids in " << ctx.out_dir << "/" << kManifestFile
      << "\n"
      << "follow with: fanout status " << spec.study.out_dir << "; the report appears as "
      << spec.study.out_dir << "/study.json when collect has run\n";
  return 0;
}

int submit_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_submit_command, [&](const SubmitCommand& cmd) {
    return run_submit(cmd.spec, cmd.job, args.command_line, std::cout, std::cerr);
  });
}

}  // namespace fanout
