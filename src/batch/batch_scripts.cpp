// Job scripts from templates: the variables of each, and the launch lines.
#include "batch/batch_scripts.hpp"

#include <algorithm>

#include "batch/script_template.hpp"
#include "study/point_command.hpp"

namespace fanout {
namespace {

/// Collect reads files and draws plots: seconds. Ten minutes, or less when the points' own limit
/// is less (a partition's MaxTime may be that small).
constexpr long kCollectTime_s = 600;

std::string q(const std::string& word) { return shell_join({word}); }

std::string join(const std::vector<std::string>& words, const std::string& sep) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : sep) + w;
  return out;
}

bool weak(const BatchSpec& spec) { return spec.study.mode == ScaleMode::weak; }

}  // namespace

LaunchLine job_launch(const BatchSpec& spec, const ScriptContext& ctx, const Word& nodes,
                      const Word& ranks, const Word& per_node, const Word& threads) {
  LaunchLine line;
  line.launcher = spec.launcher;
  line.ranks = ranks;
  line.threads = threads;
  if (spec.launcher == Launcher::srun) {
    line.nodes = nodes;
    return line;
  }
  // The hosts given (--hosts, --hostfile) in place of the allocation's.
  const HostList& hosts = spec.study.hosts;
  if (!hosts.hostfile.empty()) {
    line.hostfile = hosts.hostfile;
  } else if (!hosts.empty()) {
    line.hosts = hosts.mpirun_hosts();
  } else if (spec.scheduler == Scheduler::pbs) {
    line.hostfile = Word::shell("$PBS_NODEFILE");
  }
  line.per_node = per_node;
  line.as_root = ctx.as_root;
  return line;
}

namespace {

/// What a point runs inside its job: the launcher's words, then `fanout run`'s.
struct JobWords {
  Words launcher;
  Words run;
  Words all() const {
    Words out = launcher;
    out.insert(out.end(), run.begin(), run.end());
    return out;
  }
  /// As a script holds it: mpirun's settings (its --mca words), the placement, the program and
  /// its forwarded arguments, and the point's own flags, each on a line of its own.
  std::string script_line() const {
    const auto own =
        std::find_if(run.begin(), run.end(), [](const Word& w) { return w.text == "--model"; });
    const auto np = std::find_if(launcher.begin(), launcher.end(),
                                 [](const Word& w) { return w.text == "-np"; });
    std::string out = shell_line(Words(launcher.begin(), np));
    if (np != launcher.end()) out += " \\\n    " + shell_line(Words(np, launcher.end()));
    return out + " \\\n    " + shell_line(Words(run.begin(), own)) + " \\\n    " +
           shell_line(Words(own, run.end()));
  }
};

JobWords job_words(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx,
                   const LaunchLine& line, const RunWords& run) {
  return {launcher_words(line), run_words(ctx.fanout_exe, spec.study, job, run)};
}

JobWords point_job_words(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx,
                         const BatchPoint& bp) {
  const StudyPoint& p = bp.point;
  return job_words(spec, job, ctx,
                   job_launch(spec, ctx, std::to_string(p.nodes), std::to_string(p.ranks),
                              std::to_string(bp.ranks_per_node), std::to_string(p.threads)),
                   point_run_words(spec.study, job, p, ctx.out_dir + "/runs/" + p.key() + ".json"));
}

std::string array_launch(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx) {
  const LaunchLine line =
      job_launch(spec, ctx, Word::shell("${nodes[i]}"), Word::shell("${ranks[i]}"),
                 Word::shell("${per_node[i]}"), Word::shell("${threads[i]}"));
  const RunWords run{Word::shell("${models[i]}"), Word::shell("${threads[i]}"),
                     Word::shell("$out/runs/${points[i]}.json"), Word::shell("${work[i]}")};
  return job_words(spec, job, ctx, line, run).script_line();
}

std::string point_table(const BatchSpec& spec, const JobSpec& job,
                        const std::vector<BatchPoint>& points) {
  std::vector<std::string> keys, nodes, ranks, per_node, threads, models, work;
  for (const auto& bp : points) {
    keys.push_back(bp.point.key());
    nodes.push_back(std::to_string(bp.point.nodes));
    ranks.push_back(std::to_string(bp.point.ranks));
    per_node.push_back(std::to_string(bp.ranks_per_node));
    threads.push_back(std::to_string(bp.point.threads));
    models.push_back(to_string(bp.point.model));
    work.push_back(std::to_string(point_work(job, bp.point)));
  }
  std::string out =
      "# Element i runs point i: its nodes, ranks, ranks per node, threads per rank, model" +
      std::string(weak(spec) ? ", and its work (" + job.workload->study().weak.key + ")" : "") +
      ".\n";
  out += "points=(" + join(keys, " ") + ")\n";
  out += "nodes=(" + join(nodes, " ") + ")\n";
  out += "ranks=(" + join(ranks, " ") + ")\n";
  out += "per_node=(" + join(per_node, " ") + ")\n";
  out += "threads=(" + join(threads, " ") + ")\n";
  out += "models=(" + join(models, " ") + ")";
  if (weak(spec)) out += "\nwork=(" + join(work, " ") + ")";
  return out;
}

}  // namespace

TemplateVars common_vars(const BatchSpec& spec, const ScriptContext& ctx) {
  return {
      {"time", format_time_limit(spec.time_limit_s)},
      {"partition", spec.partition},
      {"account", spec.account},
      {"exclusive", spec.exclusive ? "yes" : ""},
      {"place", spec.exclusive ? "scatter:excl" : "scatter"},
      {"modules", join(spec.modules, " ")},
      {"setup", join(spec.setup, "\n")},
      {"workdir", q(ctx.workdir)},
      {"out_dir", q(ctx.out_dir)},
      {"fanout", q(ctx.fanout_exe)},
  };
}

namespace {

void shape_vars(TemplateVars& vars, const BatchPoint& bp) {
  vars["nodes"] = std::to_string(bp.point.nodes);
  vars["ranks"] = std::to_string(bp.point.ranks);
  vars["ranks_per_node"] = std::to_string(bp.ranks_per_node);
  vars["threads"] = std::to_string(bp.point.threads);
  vars["cpus_per_node"] = std::to_string(bp.ranks_per_node * bp.point.threads);
}

std::string point_words(const BatchPoint& bp) {
  const auto plural = [](int n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  return plural(bp.point.nodes, "node") + " x " + plural(bp.ranks_per_node, "rank") +
         " per node x " + plural(bp.point.threads, "thread") + ", " + to_string(bp.point.model);
}

}  // namespace

std::string dependency_on(const std::vector<std::string>& job_ids) {
  return "afterany:" + join(job_ids, ":");
}

std::string point_log_file(const BatchPoint& point, bool array, std::size_t index) {
  return array ? "runs/array-" + std::to_string(index) + ".log"
               : "runs/" + point.point.key() + ".log";
}

std::vector<Script> render_point_scripts(const BatchSpec& spec, const JobSpec& job,
                                         const ScriptContext& ctx,
                                         const std::vector<BatchPoint>& points,
                                         const TemplateSet& templates) {
  std::vector<Script> scripts;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const BatchPoint& bp = points[i];
    Script s;
    s.file = script_file(spec.scheduler, bp.point.key());
    TemplateVars vars = common_vars(spec, ctx);
    shape_vars(vars, bp);
    vars["title"] =
        "fanout study '" + job.name + "', point " + bp.point.key() + ": " + point_words(bp);
    vars["script"] = q(ctx.out_dir + "/" + s.file);
    vars["job_name"] = batch_job_name(job.name, bp.point.key());
    vars["log"] = ctx.out_dir + "/" + point_log_file(bp, false, i);
    vars["launch"] = point_job_words(spec, job, ctx, bp).script_line();
    s.text = render_template(templates.point, vars, templates.point_source);
    scripts.push_back(std::move(s));
  }
  return scripts;
}

Script render_array_script(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx,
                           const std::vector<BatchPoint>& points, const TemplateSet& templates) {
  Script s;
  s.file = script_file(spec.scheduler, "array");
  TemplateVars vars = common_vars(spec, ctx);
  shape_vars(vars, array_shape(points));
  vars["title"] = "fanout study '" + job.name + "': " + std::to_string(points.size()) +
                  " points as one job array";
  vars["script"] = q(ctx.out_dir + "/" + s.file);
  vars["job_name"] = batch_job_name(job.name, "array");
  vars["last_index"] = std::to_string(points.size() - 1);
  vars["log"] =
      ctx.out_dir +
      (spec.scheduler == Scheduler::slurm ? "/runs/array-%a.log" : "/runs/array-^array_index^.log");
  vars["point_table"] = point_table(spec, job, points);
  vars["launch"] = array_launch(spec, job, ctx);
  s.text = render_template(templates.array, vars, templates.array_source);
  return s;
}

Script render_collect_script(const BatchSpec& spec, const JobSpec& job, const ScriptContext& ctx,
                             const TemplateSet& templates, const std::string& dependency) {
  Script s;
  s.file = script_file(spec.scheduler, "collect");
  TemplateVars vars = common_vars(spec, ctx);
  vars["time"] = format_time_limit(std::min(kCollectTime_s, spec.time_limit_s));
  vars["title"] = "fanout study '" + job.name + "': collect the report";
  vars["script"] = q(ctx.out_dir + "/" + s.file);
  vars["job_name"] = batch_job_name(job.name, "collect");
  vars["dependency"] = dependency;
  vars["log"] = ctx.out_dir + "/collect.log";
  s.text = render_template(templates.collect, vars, templates.collect_source);
  return s;
}

std::vector<std::string> point_command(const BatchSpec& spec, const JobSpec& job,
                                       const ScriptContext& ctx, const BatchPoint& bp) {
  return plain(point_job_words(spec, job, ctx, bp).all());
}

std::string batch_launch_template(const BatchSpec& spec, const JobSpec& job,
                                  const ScriptContext& ctx) {
  const LaunchLine line = job_launch(spec, ctx, "N", "R", "R/N", "T");
  const RunWords run{"M", "T", "runs/nN-rR-tT.json",
                     std::to_string(job.workload->study().weak.base) + "xP"};
  return shell_line(job_words(spec, job, ctx, line, run).all()) +
         (spec.launcher == Launcher::srun
              ? " (a job of N nodes x R/N tasks per node x T cpus per task)"
              : " (a job of N nodes)");
}

}  // namespace fanout
