// The farm chain's first submission and each continuation.
#include "effects/farm_submit.hpp"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "batch/scheduler_client.hpp"
#include "batch/submission_dir.hpp"
#include "batch/templates.hpp"
#include "cli/config_error.hpp"
#include "effects/farm_scripts.hpp"
#include "launch/launch_line.hpp"
#include "launch/launcher_env.hpp"
#include "launch/process.hpp"
#include "report/writer.hpp"
#include "run/run_options.hpp"
#include "timing/clock.hpp"
#include "workload/effects.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

/// The chain ends when this many jobs in a row finished no task (a task longer than the time
/// limit would otherwise be started again for ever).
constexpr int kMaxIdleJobs = 3;

ScriptContext context_of(const FarmChain& chain) {
  ScriptContext ctx;
  ctx.fanout_exe = chain.fanout_exe;
  ctx.workdir = chain.workdir;
  ctx.out_dir = chain.spec.study.out_dir;
  ctx.as_root = ::geteuid() == 0;
  return ctx;
}

void save(const FarmChain& chain) {
  write_file_atomically(chain.spec.study.out_dir + "/" + kFarmChainFile, render_farm_chain(chain));
}

/// The chain's last `n` ended jobs finished nothing.
bool idle_for(const FarmChain& chain, int n) {
  if (static_cast<int>(chain.jobs.size()) < n) return false;
  for (auto it = chain.jobs.rbegin(); it != chain.jobs.rbegin() + n; ++it) {
    if (!it->tasks_left_after || *it->tasks_left_after < it->tasks_left_before) return false;
  }
  return true;
}

/// Renders, writes and submits job `index` (after `after`, if given); records it.
std::string submit_job(FarmChain& chain, SchedulerClient& client, const TemplateSet& templates,
                       int index, const std::string& after, const std::string& resume,
                       std::uint64_t tasks_left) {
  const ScriptContext ctx = context_of(chain);
  const Script s = render_farm_script(chain, ctx, templates, index,
                                      after.empty() ? "" : "afterany:" + after, resume);
  write_script(ctx.out_dir + "/" + s.file, s.text);
  FarmJob job = farm_job_files(index);
  job.tasks_left_before = tasks_left;
  chain.jobs.push_back(job);
  // On disk before the job exists: it reads the record when it ends.
  save(chain);
  chain.jobs.back().job_id = client.submit(ctx.out_dir + "/" + s.file, ctx.workdir);
  save(chain);
  return chain.jobs.back().job_id;
}

}  // namespace

/// The flag that makes a job of the chain resume the farm from its log ("--shell.resume").
std::string resume_flag(const FarmChain& chain) {
  const JobSpec job = resolve_run_job(chain.run_args, chain.workdir);
  const Effects* effects = job.workload->effects();
  if (!effects || !effects->recorded()) {
    throw ConfigError(chain.spec.study.out_dir + ": the farm's job keeps no joblog");
  }
  return "--" + effects->resume_keys().front();
}

RecordedTasks farm_tasks(const FarmChain& chain) {
  std::vector<std::string> args = chain.run_args;
  args.push_back(resume_flag(chain));
  const JobSpec job = resolve_run_job(args, chain.workdir);
  const Effects* effects = job.workload->effects();
  const auto recorded = effects ? effects->recorded() : std::nullopt;
  if (!recorded) throw ConfigError(chain.spec.study.out_dir + ": the farm's job keeps no joblog");
  return *recorded;
}

int run_farm_submit(const FarmSubmit& farm, const std::string& command_line, std::ostream& out,
                    std::ostream& err) {
  const BatchSpec& spec = farm.spec;
  if (started_by_launcher()) {
    throw ConfigError("submit hands the farm to the scheduler; start it without mpirun or srun");
  }
  if (spec.scheduler != Scheduler::slurm) {
    throw ConfigError(
        "--scheduler pbs: the chain needs Slurm's warning signal before the time limit "
        "(--signal); on PBS run 'fanout farm' in your own job script and resubmit "
        "it with --shell.resume");
  }
  const Effects& effects = *farm.job.workload->effects();
  if (const std::string why = effects.restart_refusal(); !why.empty()) throw ConfigError(why);
  FarmChain chain;
  chain.fanout_version = FANOUT_VERSION;
  chain.submitted_at = utc_now_iso8601();
  chain.command_line = command_line;
  chain.workdir = fs::current_path().string();
  chain.fanout_exe = this_executable();
  chain.spec = spec;
  chain.spec.study.out_dir = fs::absolute(spec.study.out_dir).lexically_normal().string();
  while (chain.spec.study.out_dir.size() > 1 && chain.spec.study.out_dir.back() == '/') {
    chain.spec.study.out_dir.pop_back();
  }
  chain.model = farm.model;
  chain.run_args = farm.run_args;
  chain.first_resume = farm.first_resume;
  const RecordedTasks tasks = effects.recorded().value_or(RecordedTasks{});
  chain.tasks_total = tasks.total;
  if (tasks.left == 0) {
    out << "nothing to submit: the joblog records every one of the farm's " << tasks.total
        << " tasks\n";
    return 0;
  }
  const TemplateSet templates = load_templates(spec.scheduler, spec.template_dir);
  const ScriptContext ctx = context_of(chain);
  const Script first = render_farm_script(chain, ctx, templates, 1, "", farm.first_resume);
  if (spec.dry_run) {
    out << "# ==> " << ctx.out_dir << "/" << first.file << " <==\n"
        << first.text << "\n"
        << "# dry run: the farm's first job (" << tasks.left << " of " << tasks.total
        << " tasks to run), nothing written or submitted\n";
    return 0;
  }
  const auto client = make_scheduler_client(spec.scheduler);
  for (const auto& tool : client->submit_commands()) {
    if (find_on_path(tool).empty()) {
      throw ConfigError("--scheduler slurm: " + tool +
                        " is not on PATH; run submit on a login node of a Slurm cluster, or use "
                        "--dry-run to see the script");
    }
  }
  check_out_dir(ctx.out_dir);
  {
    const CheckDir tmp;
    const std::string path = tmp.path() + "/farm-1.sbatch";
    write_file_atomically(path, first.text);
    if (const auto refusal = client->validate(path)) {
      throw ConfigError("Slurm refused " + first.file +
                        " (--nodes/--ranks-per-node/--threads/--time/--partition/--account): " +
                        *refusal + "; nothing was submitted");
    }
  }
  create_out_dir(ctx.out_dir);
  try {
    submit_job(chain, *client, templates, 1, "", farm.first_resume, tasks.left);
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove(fs::path(ctx.out_dir) / kFarmChainFile, ec);
    err << "fanout: error: Slurm refused the farm's first job: " << e.what()
        << "; nothing was submitted\n";
    return 1;
  }
  out << "submitted the farm (" << tasks.left << " of " << tasks.total
      << " tasks to run) to Slurm as job " << chain.jobs.back().job_id
      << "; each job of the chain submits the next one, with --resume, "
      << "until every task is in the joblog (at most " << spec.farm.max_jobs << " jobs)\n"
      << "follow with: fanout status " << spec.study.out_dir << "\n";
  return 0;
}

int run_farm_continue(const FarmContinue& cont, std::ostream& out, std::ostream& err) {
  FarmChain chain = read_farm_chain(cont.dir);
  chain.spec.study.out_dir = fs::absolute(cont.dir).lexically_normal().string();
  const auto client = make_scheduler_client(chain.spec.scheduler);
  FarmJob* ended = nullptr;
  if (!cont.after.empty()) {
    for (FarmJob& j : chain.jobs) {
      if (j.job_id == cont.after) ended = &j;
    }
    if (!ended)
      throw ConfigError("--after " + cont.after + ": not a job of the farm in " + cont.dir);
  } else {
    // By hand: only when no job of the chain is still waiting or running.
    for (const FarmJob& j : chain.jobs) {
      const JobStatus s = client->query(j.job_id);
      require_answer(*client, "continue-farm " + cont.dir);
      if (s.known && !is_final_state(s.state)) {
        throw ConfigError("continue-farm " + cont.dir + ": job " + j.job_id + " of the chain is " +
                          s.state + "; it goes on by itself (cancel it first to start anew)");
      }
    }
    chain.state = "running";
    chain.reason.clear();
  }
  const RecordedTasks tasks = farm_tasks(chain);
  if (ended) {
    ended->exit = cont.exit;
    ended->tasks_left_after = tasks.left;
  }
  const std::string job =
      ended ? "job " + ended->job_id + " (farm-" + std::to_string(ended->index) + ")" : "";
  const std::string log = ended ? chain.spec.study.out_dir + "/" + ended->log : "";
  std::string stop;
  if (tasks.left == 0) {
    chain.state = "done";
    chain.reason = "every task is in the joblog (" + std::to_string(tasks.failed) + " failed)";
  } else if (ended && cont.exit == 2) {
    stop = job + " could not start the farm (exit 2, bad input): see " + log;
  } else if (ended && cont.exit == 1) {
    stop = job + " ended with exit 1 and " + std::to_string(tasks.left) +
           " tasks left: the farm halted or failed; see " + log;
  } else if (idle_for(chain, kMaxIdleJobs)) {
    stop = std::to_string(kMaxIdleJobs) +
           " jobs in a row finished no task: is a task longer than "
           "the time limit? see " +
           log;
  } else if (static_cast<int>(chain.jobs.size()) >= chain.spec.farm.max_jobs) {
    stop = "the chain reached --max-jobs " + std::to_string(chain.spec.farm.max_jobs) + " with " +
           std::to_string(tasks.left) + " tasks left; go on with 'fanout continue-farm " +
           cont.dir + "'";
  }
  if (!stop.empty()) {
    chain.state = "stopped";
    chain.reason = stop;
  }
  save(chain);
  if (chain.state != "running") {
    out << "fanout: farm chain " << chain.state << ": " << chain.reason << "\n";
    return 0;
  }
  const TemplateSet templates = load_templates(chain.spec.scheduler, chain.spec.template_dir);
  const int index = static_cast<int>(chain.jobs.size()) + 1;
  try {
    const std::string id =
        submit_job(chain, *client, templates, index, cont.after, resume_flag(chain), tasks.left);
    out << "fanout: farm chain: " << tasks.left << " of " << tasks.total
        << " tasks left; submitted job " << id << " (farm-" << index << ")"
        << (cont.after.empty() ? "" : " after job " + cont.after) << "\n";
  } catch (const std::exception& e) {
    chain.jobs.pop_back();
    chain.state = "stopped";
    chain.reason = "Slurm refused the next job: " + std::string(e.what());
    save(chain);
    err << "fanout: error: " << chain.reason << "\n";
    return 1;
  }
  return 0;
}

}  // namespace fanout
