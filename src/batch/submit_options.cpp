// The options of a batch study and of status and collect, checked before anything is written or
// submitted.
#include "batch/submit_options.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "cli/text.hpp"
#include "cli/units.hpp"
#include "run/run_options.hpp"
#include "study/study_job.hpp"

namespace fanout {
namespace {

constexpr int kMaxNodes = 100'000;
constexpr int kMaxRanksPerNode = 4096;
constexpr int kMaxThreads = 4096;
/// The largest point: ranks in one job step, and ranks x threads (the workers, an int).
constexpr std::int64_t kMaxPointRanks = 1'000'000;
constexpr std::int64_t kMaxPointWorkers = 100'000'000;

/// Partition, account and module names go into scripts unquoted, as users write them there.
void check_word(const std::string& key, const std::string& value, const std::string& example) {
  const bool plain =
      !value.empty() && value.find_first_not_of(
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "-_./+@:,") == std::string::npos;
  if (!plain) {
    throw ConfigError("--" + key + " '" + shown(value) +
                      "': expected a name of letters, digits and - _ . / + @ : , e.g. " + example);
  }
}

CommandSchema submit_schema() {
  using Arity = OptionSpec::Arity;
  CommandSchema s;
  s.command = "submit";
  s.usage =
      "usage: fanout submit [JOB.ini] --nodes 1,2,4 [--ranks-per-node 1,2] [--threads T]\n"
      "                     --time HH:MM:SS --out DIR [--scheduler slurm|pbs] [options]\n\n"
      "A scaling study as batch jobs: one script per nodes x ranks-per-node x threads point\n"
      "(or one job array), each running 'fanout run' with --repeat repetitions, plus a\n"
      "dependent job (afterany) that runs 'fanout collect DIR' into the same report as\n"
      "'fanout scale'. Every script is checked by the scheduler before the first is\n"
      "submitted (sbatch --test-only). 'fanout status DIR' shows where the jobs are.\n";
  s.groups.push_back(
      {"Batch study",
       {{"scheduler", "slurm | pbs (default slurm)"},
        {"nodes", "comma-separated node counts, e.g. 1,2,4 (default 1)"},
        {"ranks-per-node", "comma-separated MPI ranks per node, e.g. 1,2 (default 1)"},
        {"threads",
         "comma-separated threads per rank (the job's cpus-per-task), e.g. 1,4 (default 1)"},
        {"time",
         "wall-clock limit of every point's job, as Slurm writes it: M, M:S, H:M:S, D-H, D-H:M "
         "or D-H:M:S (required)"},
        {"partition", "partition (Slurm) or queue (PBS) (default: the scheduler's)"},
        {"account", "account to charge (default: yours)"},
        {"array",
         "one job array for every point (each element asks for the largest point's nodes, ranks "
         "and cpus) instead of one job per point",
         Arity::flag},
        {"exclusive",
         "true: whole nodes, so other jobs cannot disturb the timings | false (default true)"},
        {"module", "module to load in every job, e.g. openmpi/4.1 (repeatable, in order)",
         Arity::list},
        {"setup",
         "shell line to run in every job before the module loads and the launch, e.g. "
         "'source /etc/profile.d/modules.sh' (repeatable, in order)",
         Arity::list},
        {"launcher",
         "what starts the ranks inside a job: srun (srun --mpi=pmix; Slurm's default) | mpirun "
         "(PBS's default)"},
        {"template-dir",
         "directory with your own copies of the templates (slurm-point.sh, slurm-array.sh, "
         "slurm-collect.sh, pbs-point.sh, pbs-array.sh, pbs-collect.sh) instead of the built-in "
         "ones"},
        {"mode", "strong | weak, as for scale (default strong)"},
        {"repeat", "repetitions inside every point, as for scale (default 3)"},
        {"model", "the model of every point, as for scale"},
        {"efficiency-threshold",
         "efficiency under which scaling 'stops paying off', e.g. 0.8 (default 0.8)"},
        {"out",
         "directory for the scripts, the job ids (submit.json), runs/ and, after collect, the "
         "study report (created; must not hold another submission; required)"},
        {"dry-run", "print the scripts; write and submit nothing", Arity::flag}}});
  for (OptionSpec& o : host_options()) s.groups.back().options.push_back(std::move(o));
  s.groups.push_back(
      {"Farm (a job of workload = shell run for real, not a study of it)",
       {{"farm",
         "submit the farm itself: one job of --nodes x --ranks-per-node ranks x --threads slots, "
         "with a warning signal before its --time; as it ends with tasks left it submits the "
         "next job, which goes on with --shell.resume, until the joblog holds every task",
         Arity::flag},
        {"warn-before",
         "SIGTERM this long before each job's time limit (Slurm's --signal: to the ranks under "
         "srun, to the script under mpirun, which passes it on; Slurm may send it up to a minute "
         "earlier), time to stop the tasks in flight and record what finished (default 2m)"},
        {"max-jobs", "the chain ends after this many jobs (default 100)"},
        {"continue",
         "DIR: go on with the farm submitted to DIR (what each job of the chain runs as it ends, "
         "with --after and --exit; by hand, it submits the next job now)"},
        {"after", "with --continue: the job that just ended"},
        {"exit", "with --continue: the exit status of that job's farm"}}});
  for (OptionGroup& g : study_job_groups()) s.groups.push_back(std::move(g));
  s.positional = "job-file";
  return s;
}

CommandSchema dir_schema(const std::string& command) {
  CommandSchema s;
  s.command = command;
  s.usage = "usage: fanout " + command + " DIR\n\n" +
            (command == "status"
                 ? "Where the jobs of a 'fanout submit --out DIR' study are: every point's job "
                   "id, its\nscheduler state (squeue/scontrol, or qstat), and whether its result "
                   "is in.\n"
                 : "Builds the study report (study.json, study.csv, plots, table) from the points "
                   "of a\n'fanout submit --out DIR' study that have finished; says which points "
                   "are missing\nand why. The dependent job of the submission runs it; run it "
                   "again any time.\n");
  OptionGroup own{command + " options", {}};
  if (command == "collect") {
    own.options.push_back({"quiet", "print no table; the files are written as usual",
                           OptionSpec::Arity::flag});
  }
  s.groups.push_back(std::move(own));
  s.positional = "dir";
  return s;
}

/// Every nodes x ranks-per-node x threads product in range, before any is computed as an int.
void check_point_sizes(const BatchSpec& spec) {
  const std::int64_t nodes = *std::max_element(spec.nodes.begin(), spec.nodes.end());
  const std::int64_t per_node =
      *std::max_element(spec.ranks_per_node.begin(), spec.ranks_per_node.end());
  const std::int64_t threads = *std::max_element(spec.study.threads.begin(), spec.study.threads.end());
  const std::int64_t ranks = nodes * per_node;
  if (ranks > kMaxPointRanks) {
    throw ConfigError("--nodes/--ranks-per-node: the largest point is " + std::to_string(nodes) +
                      " nodes x " + std::to_string(per_node) + " ranks = " + std::to_string(ranks) +
                      " ranks, more than the " + std::to_string(kMaxPointRanks) +
                      " one point may have; list smaller counts");
  }
  if (ranks * threads > kMaxPointWorkers) {
    throw ConfigError("--threads: the largest point is " + std::to_string(ranks) + " ranks x " +
                      std::to_string(threads) + " threads = " + std::to_string(ranks * threads) +
                      " workers, more than the " + std::to_string(kMaxPointWorkers) +
                      " one point may have; list smaller counts");
  }
}

BatchSpec read_batch_spec(const OptionReader& r) {
  BatchSpec spec;
  r.boolean("farm", spec.farm.enabled);
  r.choice<Scheduler>("scheduler", spec.scheduler, {{"slurm", Scheduler::slurm}, {"pbs", Scheduler::pbs}});
  if (r.has("nodes")) spec.nodes = read_count_list(r, "nodes", kMaxNodes);
  if (r.has("ranks-per-node")) {
    spec.ranks_per_node = read_count_list(r, "ranks-per-node", kMaxRanksPerNode);
  }
  if (r.has("threads")) spec.study.threads = read_count_list(r, "threads", kMaxThreads);
  read_sweep_options(r, spec.study);
  if (!r.has("time")) {
    throw ConfigError("--time: every job needs a wall-clock limit, e.g. --time 00:30:00");
  }
  const auto limit = parse_time_limit(r.raw("time"));
  if (!limit) {
    r.fail("time", "expected a limit above zero in one of Slurm's forms: M, M:S, H:M:S, D-H, "
                   "D-H:M or D-H:M:S, e.g. 00:30:00 or 1-12");
  }
  spec.time_limit_s = *limit;
  r.text("partition", spec.partition);
  if (!spec.partition.empty()) check_word("partition", spec.partition, "compute");
  r.text("account", spec.account);
  if (!spec.account.empty()) check_word("account", spec.account, "proj123");
  r.boolean("array", spec.array);
  r.boolean("dry-run", spec.dry_run);
  r.boolean("exclusive", spec.exclusive);
  spec.modules = r.list("module");
  for (const auto& m : spec.modules) check_word("module", m, "openmpi/4.1.5");
  spec.setup = r.list("setup");
  for (const auto& line : spec.setup) {
    if (line.empty() || line.find('\n') != std::string::npos) {
      throw ConfigError("--setup '" + shown(line) + "': expected one non-empty shell line");
    }
  }
  r.choice<Launcher>("launcher", spec.launcher, {{"srun", Launcher::srun}, {"mpirun", Launcher::mpirun}});
  if (spec.launcher == Launcher::automatic) {
    spec.launcher = spec.scheduler == Scheduler::slurm ? Launcher::srun : Launcher::mpirun;
  }
  if (spec.scheduler == Scheduler::pbs && spec.launcher == Launcher::srun) {
    throw ConfigError(
        "--launcher srun: PBS jobs start their ranks with mpirun; use --launcher "
        "mpirun or --scheduler slurm");
  }
  read_host_options(r, spec.study);
  if (!spec.study.hosts.empty() && spec.launcher != Launcher::mpirun) {
    throw ConfigError("--hosts/--hostfile: srun places the ranks on the job's own nodes; use "
                      "--launcher mpirun to name hosts");
  }
  if (r.has("template-dir") && r.raw("template-dir").empty()) {
    r.fail("template-dir", "expected a directory holding your copies of the templates, e.g. "
                           "--template-dir my-templates; leave the flag out for the built-in ones");
  }
  r.path("template-dir", spec.template_dir);
  r.text("out", spec.study.out_dir);
  if (spec.study.out_dir.empty()) {
    throw ConfigError(
        "--out: submit needs a directory for its scripts and results, e.g. "
        "--out study-fib");
  }
  check_point_sizes(spec);
  spec.study.ranks = batch_rank_counts(spec);
  if (spec.farm.enabled) {
    for (const char* key : {"nodes", "ranks-per-node", "threads"}) {
      if (r.has(key) && r.raw(key).find(',') != std::string::npos) {
        r.fail(key, "--farm runs one job shape; give one number (a study of the farm takes lists "
                    "without --farm)");
      }
    }
    for (const char* key : {"array", "mode", "repeat", "efficiency-threshold"}) {
      if (r.has(key)) r.fail(key, "a study's option; --farm runs the farm once, as a chain of jobs");
    }
    double warn_s = static_cast<double>(spec.farm.warn_before_s);
    r.duration("warn-before", warn_s, false, 86400);
    spec.farm.warn_before_s = static_cast<long>(std::ceil(warn_s));
    r.integer("max-jobs", spec.farm.max_jobs, 1, 10'000);
    if (spec.farm.warn_before_s >= spec.time_limit_s) {
      r.fail("warn-before", "must be shorter than --time, or no job would run a task");
    }
    return spec;
  }
  for (const char* key : {"warn-before", "max-jobs"}) {
    if (r.has(key)) r.fail(key, "only with --farm");
  }
  if (spec.nodes == std::vector<int>{1} && spec.ranks_per_node == std::vector<int>{1} &&
      spec.study.threads == std::vector<int>{1}) {
    throw ConfigError(
        "--nodes/--ranks-per-node/--threads: the study has only the 1 x 1 x 1 "
        "point; list more, e.g. --nodes 1,2,4 (or, for a farm, --farm runs it)");
  }
  return spec;
}

}  // namespace

std::vector<int> batch_rank_counts(const BatchSpec& spec) {
  std::set<int> counts;
  for (int n : spec.nodes) {
    for (int r : spec.ranks_per_node) counts.insert(n * r);
  }
  counts.insert(1);
  return {counts.begin(), counts.end()};
}

namespace {

FarmContinue read_farm_continue(const Options& options) {
  const OptionReader r = options.reader();
  for (const Options::Given& g : options.given()) {
    if (g.key != "continue" && g.key != "after" && g.key != "exit") {
      r.fail(g.key, "--continue DIR takes only --after and --exit");
    }
  }
  if (!options.positional().empty()) {
    throw ConfigError("--continue " + shown(r.raw("continue")) + ": unexpected argument '" +
                      shown(options.positional()) + "'");
  }
  FarmContinue c;
  r.text("continue", c.dir);
  r.text("after", c.after);
  if (r.has("exit")) {
    int status = 0;
    r.integer("exit", status, 0, 255);
    c.exit = status;
  }
  return c;
}

/// The farm's own arguments (its job file and job keys, as `fanout run` takes them) and the job
/// they resolve to.
FarmSubmit read_farm_submit(const Options& options, const BatchSpec& spec) {
  FarmSubmit farm;
  farm.spec = spec;
  std::vector<std::string> job_keys;
  for (const OptionGroup& g : study_job_groups()) {
    for (const OptionSpec& o : g.options) job_keys.push_back(o.name);
  }
  if (!options.positional().empty()) farm.run_args.push_back(options.positional());
  bool schedule = false, workload = false;
  for (const Options::Given& g : options.given()) {
    if (std::find(job_keys.begin(), job_keys.end(), g.key) == job_keys.end()) continue;
    workload = workload || g.key == "workload";
    if (g.key == "shell.resume" || g.key == "shell.resume-failed") {
      farm.first_resume = "--" + g.key;
      continue;
    }
    schedule = schedule || g.key == "schedule";
    farm.run_args.insert(farm.run_args.end(), g.tokens.begin(), g.tokens.end());
  }
  // Without a job file, the [shell] keys on the command line are the farm.
  if (!workload && options.positional().empty()) {
    farm.run_args.insert(farm.run_args.begin(), {"--workload", "shell"});
  }
  // Ranks take tasks as they free up, unless the job says otherwise.
  if (!schedule) farm.run_args.insert(farm.run_args.end(), {"--schedule", "dynamic"});
  if (spec.study.model) {
    if (!is_distributed(*spec.study.model)) {
      throw ConfigError("--model '" + to_string(*spec.study.model) +
                        "': a farm's job runs on every rank; use processes, processes+threads or "
                        "processes+async (the default)");
    }
    farm.model = *spec.study.model;
  }
  // The logs (and the joblog in them) go in the submission directory unless the job says where:
  // every job of the chain and each continuation must find the same joblog.
  bool logs = false;
  resolve_run_job(farm.run_args, "", [&](const OptionReader& r) { logs = r.has("shell.logs"); });
  if (!logs) {
    const std::string dir = std::filesystem::absolute(spec.study.out_dir).lexically_normal().string();
    farm.run_args.insert(farm.run_args.end(), {"--shell.logs", (std::filesystem::path(dir) / "logs").string()});
  }
  std::vector<std::string> args = farm.run_args;
  if (!farm.first_resume.empty()) args.push_back(farm.first_resume);
  args.insert(args.end(), {"--model", to_string(farm.model), "--threads",
                           std::to_string(spec.study.threads.at(0))});
  farm.job = resolve_run_job(args);
  if (!farm.job.workload->recorded_tasks()) {
    throw ConfigError("--farm: the job's workload is " + std::string(farm.job.workload->kind()) +
                      "; --farm runs a farm of commands (workload = shell); a study of any job "
                      "takes lists of --nodes, --ranks-per-node or --threads");
  }
  return farm;
}

}  // namespace

std::optional<SubmitCommand> parse_submit_command(const std::vector<std::string>& args,
                                                  std::string& help) {
  static const CommandSchema schema = submit_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  SubmitCommand cmd;
  if (options->reader().has("continue")) {
    cmd.cont = read_farm_continue(*options);
    return cmd;
  }
  cmd.spec = read_batch_spec(options->reader());
  if (cmd.spec.farm.enabled) {
    cmd.farm = read_farm_submit(*options, cmd.spec);
    return cmd;
  }
  cmd.job = resolve_study_job(*options, cmd.spec.study);
  return cmd;
}

std::optional<DirCommand> parse_dir_command(const std::string& command,
                                            const std::vector<std::string>& args, std::string& help) {
  const CommandSchema schema = dir_schema(command);
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  DirCommand cmd;
  cmd.dir = options->positional();
  if (cmd.dir.empty()) throw ConfigError(command + ": missing DIR, the --out directory of 'fanout submit'");
  options->reader().boolean("quiet", cmd.quiet);
  return cmd;
}

}  // namespace fanout
