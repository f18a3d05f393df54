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
#include "workload/effects.hpp"

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

}  // namespace

OptionGroup batch_job_options(const std::string& title, bool lists) {
  using Arity = OptionSpec::Arity;
  const std::string each = lists ? "comma-separated " : "";
  OptionGroup g{
      title,
      {{"scheduler", "slurm | pbs (default slurm)"},
       {"nodes", each + "node counts, e.g. " + (lists ? "1,2,4" : "4") + " (default 1)"},
       {"ranks-per-node",
        each + "MPI ranks per node, e.g. " + (lists ? "1,2" : "16") + " (default 1)"},
       {"threads", each + "threads per rank (the job's cpus-per-task), e.g. " +
                       (lists ? "1,4" : "4") + " (default 1)"},
       {"time",
        "wall-clock limit of every job, as Slurm writes it: M, M:S, H:M:S, D-H, D-H:M or D-H:M:S "
        "(required)"},
       {"partition", "partition (Slurm) or queue (PBS) (default: the scheduler's)"},
       {"account", "account to charge (default: yours)"},
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
        "slurm-collect.sh, slurm-farm.sh, pbs-point.sh, pbs-array.sh, pbs-collect.sh) instead of "
        "the built-in ones"},
       {"model", "the model every job runs"},
       {"out",
        "directory for the scripts, the job ids, runs/ and the report (created; must not hold "
        "another submission; required)"},
       {"dry-run", "print the scripts; write and submit nothing", Arity::flag}}};
  for (OptionSpec& o : host_options()) g.options.push_back(std::move(o));
  return g;
}

namespace {

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
      "submitted (sbatch --test-only). 'fanout status DIR' shows where the jobs are.\n"
      "To run a farm itself as a chain of batch jobs, see 'fanout submit-farm --help'.\n";
  s.groups.push_back(batch_job_options("Batch study", true));
  s.groups.back().options.insert(
      s.groups.back().options.end(),
      {{"array",
        "one job array for every point (each element asks for the largest point's nodes, ranks "
        "and cpus) instead of one job per point",
        Arity::flag},
       {"mode", "strong | weak, as for scale (default strong)"},
       {"repeat", "repetitions inside every point, as for scale (default 3)"},
       {"efficiency-threshold",
        "efficiency under which scaling 'stops paying off', e.g. 0.8 (default 0.8)"}});
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
    own.options.push_back(
        {"quiet", "print no table; the files are written as usual", OptionSpec::Arity::flag});
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
  const std::int64_t threads =
      *std::max_element(spec.study.threads.begin(), spec.study.threads.end());
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

}  // namespace

BatchSpec read_batch_spec(const OptionReader& r, bool farm) {
  BatchSpec spec;
  spec.farm.enabled = farm;
  r.choice<Scheduler>("scheduler", spec.scheduler,
                      {{"slurm", Scheduler::slurm}, {"pbs", Scheduler::pbs}});
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
    r.fail("time",
           "expected a limit above zero in one of Slurm's forms: M, M:S, H:M:S, D-H, "
           "D-H:M or D-H:M:S, e.g. 00:30:00 or 1-12");
  }
  spec.time_limit_s = *limit;
  r.text("partition", spec.partition);
  if (!spec.partition.empty()) check_word("partition", spec.partition, "compute");
  r.text("account", spec.account);
  if (!spec.account.empty()) check_word("account", spec.account, "proj123");
  if (!farm) r.boolean("array", spec.array);
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
  r.choice<Launcher>("launcher", spec.launcher,
                     {{"srun", Launcher::srun}, {"mpirun", Launcher::mpirun}});
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
    throw ConfigError(
        "--hosts/--hostfile: srun places the ranks on the job's own nodes; use "
        "--launcher mpirun to name hosts");
  }
  if (r.has("template-dir") && r.raw("template-dir").empty()) {
    r.fail("template-dir",
           "expected a directory holding your copies of the templates, e.g. "
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
  if (farm) {
    for (const char* key : {"nodes", "ranks-per-node", "threads"}) {
      if (r.has(key) && r.raw(key).find(',') != std::string::npos) {
        r.fail(key,
               "submit-farm runs one job shape; give one number (a study of the farm takes "
               "lists: fanout submit)");
      }
    }
    double warn_s = static_cast<double>(spec.farm.warn_before_s);
    r.duration("warn-before", warn_s, false, 86400);
    spec.farm.warn_before_s = static_cast<long>(std::ceil(warn_s));
    r.integer("max-jobs", spec.farm.max_jobs, 1, 10'000);
    // A job's tasks must end a minute before the warning: Slurm may send it that much early.
    if (spec.farm.warn_before_s + 60 >= spec.time_limit_s) {
      r.fail("warn-before",
             "must be over a minute shorter than --time (Slurm may send the warning a minute "
             "early, and no task starts that would not end before it), or no job would run a "
             "task");
    }
    return spec;
  }
  if (spec.nodes == std::vector<int>{1} && spec.ranks_per_node == std::vector<int>{1} &&
      spec.study.threads == std::vector<int>{1}) {
    throw ConfigError(
        "--nodes/--ranks-per-node/--threads: the study has only the 1 x 1 x 1 "
        "point; list more, e.g. --nodes 1,2,4 (or, for a farm, fanout submit-farm runs it)");
  }
  return spec;
}

std::vector<int> batch_rank_counts(const BatchSpec& spec) {
  std::set<int> counts;
  for (int n : spec.nodes) {
    for (int r : spec.ranks_per_node) counts.insert(n * r);
  }
  counts.insert(1);
  return {counts.begin(), counts.end()};
}

std::optional<SubmitCommand> parse_submit_command(const std::vector<std::string>& args,
                                                  std::string& help) {
  static const CommandSchema schema = submit_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  SubmitCommand cmd;
  cmd.spec = read_batch_spec(options->reader(), false);
  cmd.job = resolve_study_job(*options, cmd.spec.study);
  return cmd;
}

std::optional<DirCommand> parse_dir_command(const std::string& command,
                                            const std::vector<std::string>& args,
                                            std::string& help) {
  const CommandSchema schema = dir_schema(command);
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  DirCommand cmd;
  cmd.dir = options->positional();
  if (cmd.dir.empty())
    throw ConfigError(command + ": missing DIR, the --out directory of 'fanout submit'");
  options->reader().boolean("quiet", cmd.quiet);
  return cmd;
}

}  // namespace fanout
