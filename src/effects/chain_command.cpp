// The options of `submit-farm` and `continue-farm`, read against the layer for runs with effects
// (which job keys resume, where the log lives), and the three commands of a chain.
#include "effects/chain_command.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "batch/farm_chain.hpp"
#include "batch/status_command.hpp"
#include "batch/submit_options.hpp"
#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "effects/farm_status.hpp"
#include "run/run_options.hpp"
#include "study/study_job.hpp"
#include "workload/effects.hpp"

namespace fanout {
namespace {

CommandSchema submit_farm_schema() {
  CommandSchema s;
  s.command = "submit-farm";
  s.usage =
      "usage: fanout submit-farm [JOB.ini] --time HH:MM:SS --out DIR [--nodes N]\n"
      "                          [--ranks-per-node R] [--threads SLOTS] [job keys]\n\n"
      "Submits a farm (a job of workload = shell, or its [shell] keys as flags) to Slurm as a\n"
      "chain of batch jobs: one job of N nodes x R ranks x SLOTS slots with a warning signal\n"
      "before its --time; as it ends with tasks left it submits the next job, which resumes\n"
      "from the joblog, until the joblog holds every task. 'fanout status DIR' follows it;\n"
      "'fanout continue-farm DIR' goes on by hand after --max-jobs.\n";
  s.groups.push_back(batch_job_options("Farm chain", false));
  s.groups.back().options.insert(
      s.groups.back().options.end(),
      {{"warn-before",
        "SIGTERM this long before each job's time limit (Slurm's --signal: to the ranks under "
        "srun, to the script under mpirun, which passes it on; Slurm may send it up to a minute "
        "earlier), time to stop the tasks in flight and record what finished (default 2m)"},
       {"max-jobs", "the chain ends after this many jobs (default 100)"}});
  for (OptionGroup& g : study_job_groups()) s.groups.push_back(std::move(g));
  s.positional = "job-file";
  return s;
}

CommandSchema continue_farm_schema() {
  CommandSchema s;
  s.command = "continue-farm";
  s.usage =
      "usage: fanout continue-farm DIR [--after JOB] [--exit STATUS]\n\n"
      "Goes on with the farm chain submitted to DIR: counts the tasks its joblog still lacks and,\n"
      "if any, submits the next job. Each job of the chain runs it as it ends (with --after and\n"
      "--exit); by hand, it submits the next job now.\n";
  s.groups.push_back(
      {"continue-farm options",
       {{"after", "the job that just ended"}, {"exit", "the exit status of that job's farm"}}});
  s.positional = "dir";
  return s;
}

bool has_key(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
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
  std::vector<const Options::Given*> keys;
  bool schedule = false, workload = false;
  for (const Options::Given& g : options.given()) {
    if (!has_key(job_keys, g.key)) continue;
    workload = workload || g.key == "workload";
    schedule = schedule || g.key == "schedule";
    keys.push_back(&g);
  }
  // The job's arguments as `fanout run` takes them, without the keys in `left_out`: the job file,
  // without one the keys on the command line as the farm's (workload = shell), and ranks taking
  // tasks as they free up unless the job says otherwise.
  const auto run_args = [&](const std::vector<std::string>& left_out) {
    std::vector<std::string> args;
    if (!options.positional().empty()) args.push_back(options.positional());
    if (!workload && options.positional().empty()) args.insert(args.end(), {"--workload", "shell"});
    for (const Options::Given* g : keys) {
      if (!has_key(left_out, g->key)) args.insert(args.end(), g->tokens.begin(), g->tokens.end());
    }
    if (!schedule) args.insert(args.end(), {"--schedule", "dynamic"});
    return args;
  };
  const JobSpec first = resolve_run_job(run_args({}));
  const Effects* effects = first.workload->effects();
  if (!effects || !effects->recorded()) {
    throw ConfigError(
        "submit-farm: the job's workload is " + std::string(first.workload->kind()) +
        "; submit-farm runs a farm of commands (workload = shell) as a chain of jobs; "
        "a study of any job is fanout submit");
  }
  // The user's resume flag is the first job's alone; every later job resumes.
  const std::vector<std::string> resume = effects->resume_keys();
  for (const Options::Given* g : keys) {
    if (has_key(resume, g->key)) farm.first_resume = "--" + g->key;
  }
  farm.run_args = run_args(resume);
  if (spec.study.model) {
    if (!is_distributed(*spec.study.model)) {
      throw ConfigError("--model '" + to_string(*spec.study.model) +
                        "': a farm's job runs on every rank; use processes, processes+threads or "
                        "processes+async (the default)");
    }
    farm.model = *spec.study.model;
  }
  // The log goes in the submission directory unless the job says where: every job of the chain
  // and each continuation must find the same one.
  const std::string log_key = effects->log_dir_key();
  bool log_given = false;
  resolve_run_job(farm.run_args, "", [&](const OptionReader& r) { log_given = r.has(log_key); });
  if (!log_given) {
    const std::string dir =
        std::filesystem::absolute(spec.study.out_dir).lexically_normal().string();
    farm.run_args.insert(farm.run_args.end(),
                         {"--" + log_key, (std::filesystem::path(dir) / "logs").string()});
  }
  std::vector<std::string> args = farm.run_args;
  if (!farm.first_resume.empty()) args.push_back(farm.first_resume);
  args.insert(args.end(), {"--model", to_string(farm.model), "--threads",
                           std::to_string(spec.study.threads.at(0))});
  farm.job = resolve_run_job(args);
  return farm;
}

}  // namespace

std::optional<FarmSubmit> parse_farm_submit(const std::vector<std::string>& args,
                                            std::string& help) {
  static const CommandSchema schema = submit_farm_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  const BatchSpec spec = read_batch_spec(options->reader(), true);
  return read_farm_submit(*options, spec);
}

std::optional<FarmContinue> parse_farm_continue(const std::vector<std::string>& args,
                                                std::string& help) {
  static const CommandSchema schema = continue_farm_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  const OptionReader r = options->reader();
  FarmContinue c;
  c.dir = options->positional();
  if (c.dir.empty()) {
    throw ConfigError("continue-farm: missing DIR, the --out directory of 'fanout submit-farm'");
  }
  r.text("after", c.after);
  if (r.has("exit")) {
    int status = 0;
    r.integer("exit", status, 0, 255);
    c.exit = status;
  }
  return c;
}

int submit_farm_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_farm_submit, [&](const FarmSubmit& farm) {
    return run_farm_submit(farm, args.command_line, std::cout, std::cerr);
  });
}

int continue_farm_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_farm_continue, [](const FarmContinue& cont) {
    return run_farm_continue(cont, std::cout, std::cerr);
  });
}

int status_command_main(const CommandArgs& args) {
  const auto parse = [](const std::vector<std::string>& a, std::string& help) {
    return parse_dir_command("status", a, help);
  };
  return parse_then_run(args, parse, [](const DirCommand& cmd) {
    if (is_farm_dir(cmd.dir)) return run_farm_status(cmd.dir, std::cout);
    return run_status(cmd.dir, std::cout);
  });
}

}  // namespace fanout
