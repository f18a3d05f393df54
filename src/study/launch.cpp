// Launch lines for the points of a study.
#include "study/launch.hpp"

namespace fanout {
namespace {

bool threaded(Model m) { return m == Model::threads || m == Model::processes_threads; }

std::string quote(const std::string& word) {
  if (word.empty()) return "''";
  const bool plain = word.find_first_not_of(
                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                         "-_./=:,+@%") == std::string::npos;
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string weak_work_flag(const JobSpec& job) {
  return job.workload == WorkloadKind::cpu ? "--cpu.count" : "--io.repeat";
}

std::uint64_t weak_base_work(const JobSpec& job) {
  return job.workload == WorkloadKind::cpu ? job.cpu.count
                                           : static_cast<std::uint64_t>(job.io.repeat);
}

Launcher resolve_launcher(Launcher requested, bool in_slurm_allocation) {
  if (requested != Launcher::automatic) return requested;
  return in_slurm_allocation ? Launcher::srun : Launcher::mpirun;
}

std::vector<std::string> launcher_argv(const LaunchContext& ctx, const StudyPoint& point) {
  const std::string ranks = std::to_string(point.ranks);
  if (ctx.launcher == Launcher::srun) {
    return {"srun", "--mpi=pmix", "-n", ranks, "-c", std::to_string(point.threads)};
  }
  std::vector<std::string> argv{"mpirun", "-np", ranks, "--bind-to", "none", "-q"};
  if (!ctx.hostfile.empty()) argv.insert(argv.end(), {"--hostfile", ctx.hostfile});
  const int threads = threaded(point.model) ? point.threads : 1;
  if (point.ranks * threads > ctx.cores) argv.push_back("--oversubscribe");
  if (ctx.as_root) argv.push_back("--allow-run-as-root");
  return argv;
}

std::vector<std::string> point_argv(const LaunchContext& ctx, const StudySpec& spec,
                                    const JobSpec& job, const StudyPoint& point,
                                    const std::string& json_path) {
  std::vector<std::string> argv = launcher_argv(ctx, point);
  const auto run = run_argv(ctx.fanout_exe, spec, job, point, json_path);
  argv.insert(argv.end(), run.begin(), run.end());
  return argv;
}

std::vector<std::string> run_argv(const std::string& fanout_exe, const StudySpec& spec,
                                  const JobSpec& job, const StudyPoint& point,
                                  const std::string& json_path) {
  std::vector<std::string> argv{fanout_exe, "run"};
  argv.insert(argv.end(), spec.run_args.begin(), spec.run_args.end());
  argv.insert(argv.end(), {"--model", to_string(point.model), "--threads",
                           std::to_string(point.threads), "--repeat", std::to_string(spec.repeat),
                           "--base", "none", "--quiet", "--json", json_path});
  if (spec.mode == ScaleMode::weak) {
    argv.insert(argv.end(), {weak_work_flag(job),
                             std::to_string(weak_base_work(job) *
                                            static_cast<std::uint64_t>(point.work_factor))});
  }
  return argv;
}

std::string launch_template(const LaunchContext& ctx, const StudySpec& spec, const JobSpec& job) {
  std::string out =
      ctx.launcher == Launcher::srun
          ? "srun --mpi=pmix -n R -c T"
          : std::string("mpirun -np R --bind-to none -q ") +
                (ctx.hostfile.empty() ? "" : "--hostfile " + quote(ctx.hostfile) + " ") +
                "[--oversubscribe when R x T > " + std::to_string(ctx.cores) + " cores]" +
                (ctx.as_root ? " --allow-run-as-root" : "");
  out += " " + quote(ctx.fanout_exe) + " run";
  if (!spec.run_args.empty()) out += " " + shell_join(spec.run_args);
  out += " --model M --threads T --repeat " + std::to_string(spec.repeat) +
         " --base none --quiet --json runs/rR-tT.json";
  if (spec.mode == ScaleMode::weak) {
    out += " " + weak_work_flag(job) + " " + std::to_string(weak_base_work(job)) + "xP";
  }
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) out += (out.empty() ? "" : " ") + quote(word);
  return out;
}

}  // namespace fanout
