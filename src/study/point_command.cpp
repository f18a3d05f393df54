// Launch lines for the points of a study.
#include "study/point_command.hpp"

namespace fanout {

Launcher resolve_launcher(Launcher requested, bool in_slurm_allocation) {
  if (requested != Launcher::automatic) return requested;
  return in_slurm_allocation ? Launcher::srun : Launcher::mpirun;
}

std::uint64_t point_work(const JobSpec& job, const StudyPoint& point) {
  return job.workload->study().weak.base * static_cast<std::uint64_t>(point.work_factor);
}

Words run_words(const std::string& fanout_exe, const StudySpec& spec, const JobSpec& job,
                const RunWords& w) {
  Words out{fanout_exe, "run"};
  for (const std::string& arg : spec.run_args) out.emplace_back(arg);
  out.insert(out.end(),
             {"--model", w.model, "--threads", w.threads, "--repeat", std::to_string(spec.repeat),
              "--base", "none", "--quiet", "--json", w.json});
  if (spec.mode == ScaleMode::weak) {
    out.insert(out.end(), {"--" + job.workload->study().weak.key, w.work});
  }
  return out;
}

RunWords point_run_words(const StudySpec& spec, const JobSpec& job, const StudyPoint& point,
                         const std::string& json_path) {
  return {to_string(point.model), std::to_string(point.threads), json_path,
          std::to_string(point_work(job, point))};
}

LaunchLine scale_launch(const LaunchContext& ctx, const StudyPoint& point) {
  LaunchLine line;
  line.launcher = ctx.launcher;
  line.ranks = std::to_string(point.ranks);
  if (ctx.launcher == Launcher::srun) {
    line.threads = std::to_string(point.threads);
    return line;
  }
  line.hostfile = ctx.hostfile;
  if (!ctx.hosts.hostfile.empty()) line.hostfile = ctx.hosts.hostfile;
  if (!ctx.hosts.empty() && ctx.hosts.hostfile.empty()) line.hosts = ctx.hosts.mpirun_hosts();
  line.bind_none = true;
  const int threads = threaded(point.model) ? point.threads : 1;
  // mpirun refuses more ranks than slots; threads beyond a node's cores are the run's to warn
  // about (it knows every node's cores).
  line.oversubscribe = ctx.hosts.empty() ? point.ranks * threads > ctx.cores
                                         : point.ranks > ctx.hosts.total_slots(ctx.cores);
  line.as_root = ctx.as_root;
  return line;
}

std::vector<std::string> point_argv(const LaunchContext& ctx, const StudySpec& spec,
                                    const JobSpec& job, const StudyPoint& point,
                                    const std::string& json_path) {
  Words words = launcher_words(scale_launch(ctx, point));
  const Words run =
      run_words(ctx.fanout_exe, spec, job, point_run_words(spec, job, point, json_path));
  words.insert(words.end(), run.begin(), run.end());
  return plain(words);
}

std::string launch_template(const LaunchContext& ctx, const StudySpec& spec, const JobSpec& job) {
  StudyPoint placeholder;
  LaunchLine line = scale_launch(ctx, placeholder);
  line.ranks = "R";
  if (ctx.launcher == Launcher::srun) line.threads = "T";
  line.oversubscribe = false;
  std::string out = shell_line(launcher_words(line));
  if (ctx.launcher == Launcher::mpirun && ctx.hosts.empty()) {
    out += " [--oversubscribe when R x T > " + std::to_string(ctx.cores) + " cores]";
  } else if (ctx.launcher == Launcher::mpirun) {
    out += " [--oversubscribe when R > " + std::to_string(ctx.hosts.total_slots(ctx.cores)) +
           " slots]";
  }
  const RunWords words{"M", "T", "runs/rR-tT.json",
                       std::to_string(job.workload->study().weak.base) + "xP"};
  return out + " " + shell_line(run_words(ctx.fanout_exe, spec, job, words));
}

}  // namespace fanout
