// The options of run and compare: the job keys plus a few that only make sense on the command line.
#include "run/run_options.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "cli/units.hpp"
#include "job/job_options.hpp"
#include "run/session.hpp"

namespace fanout {
namespace {

CommandSchema run_schema(bool compare) {
  CommandSchema s;
  s.command = compare ? "compare" : "run";
  s.usage = std::string("usage: fanout ") + s.command + " [JOB.ini] [options]\n\n" +
            (compare ? "Runs the job under every applicable model (serial, threads and async on "
                       "rank 0; processes and hybrids on every rank) and recommends one.\n"
                     : "Runs the job under one model (--model); every task is timed and gathered "
                       "at rank 0.\n") +
            "Job files are INI: top-level keys, then one section per workload kind; every key is "
            "also a flag\n(key = 30 in [sec] is --sec.key 30) and the command line wins.\n";
  s.groups = job_option_groups();
  s.groups.push_back(
      {"Invocation",
       {{"base",
         "base case for speedup: measure (run serial first; default) | none | a serial time such "
         "as 12.5s"},
        {"progress",
         "progress on stderr: auto (a live line on a terminal, else a plain line every 10 s on "
         "long runs; ranks under mpirun see no terminal: use live there) | live | plain (a line "
         "per measurement) | none (default auto)"},
        {"allocation",
         "inside a Slurm or PBS allocation, started without mpirun or srun: use (start again over "
         "all its tasks with srun --mpi=pmix or mpirun, threads from its CPUs per task) | ignore "
         "(run as this one process) (default use)"}}});
  s.positional = "job-file";
  s.load_job_file = true;
  s.file_groups = job_group_titles();
  return s;
}

const CommandSchema& schema(bool compare) {
  static const CommandSchema run = run_schema(false), cmp = run_schema(true);
  return compare ? cmp : run;
}

CommandSchema farm_schema() {
  CommandSchema s = run_schema(false);
  s.command = "farm";
  s.usage =
      "usage: fanout farm TASKS [options]\n"
      "       fanout farm --command 'TEMPLATE {}' --inputs FILE [options]\n\n"
      "Runs a farm of your own commands: `fanout run` with workload = shell, TASKS as\n"
      "shell.tasks, the [shell] keys also without their prefix (--slots 8, --timeout 10m,\n"
      "--resume), and the farm's defaults unless given: --model processes+async (every rank an\n"
      "event loop of slots), --schedule dynamic (ranks take tasks as they free up). Each task's\n"
      "stdout and stderr go to LOGS/N.out and LOGS/N.err, each finished task to a GNU parallel\n"
      "joblog (LOGS/joblog), and --resume runs what it lacks. Exit 0 when every task succeeded,\n"
      "1 when any failed, 143 or 130 when a signal stopped it (finished tasks kept).\n";
  s.positional = "";
  s.load_job_file = false;
  return s;
}

/// The [shell] keys without their prefix, as `farm` also takes them.
std::vector<std::string> shell_keys() {
  std::vector<std::string> keys;
  for (const OptionGroup& g : job_option_groups()) {
    for (const OptionSpec& o : g.options) {
      if (o.name.rfind("shell.", 0) == 0) keys.push_back(o.name.substr(6));
    }
  }
  return keys;
}

/// farm's arguments as run's: the task file, unprefixed [shell] keys, and the farm's defaults.
std::vector<std::string> farm_as_run(const std::vector<std::string>& args) {
  const std::vector<std::string> keys = shell_keys();
  std::vector<std::string> out;
  bool workload = false, model = false, schedule = false, name = false;
  std::string stem;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i == 0 && !a.empty() && a[0] != '-') {
      out.insert(out.end(), {"--shell.tasks", a});
      stem = std::filesystem::path(a).stem().string();
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      out.push_back(a);
      continue;
    }
    const std::string key = a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
    workload = workload || key == "workload";
    model = model || key == "model";
    schedule = schedule || key == "schedule";
    name = name || key == "name";
    const bool shell_key = std::find(keys.begin(), keys.end(), key) != keys.end();
    out.push_back(shell_key ? "--shell." + a.substr(2) : a);
  }
  if (!workload) out.insert(out.end(), {"--workload", "shell"});
  if (!model) out.insert(out.end(), {"--model", "processes+async"});
  if (!schedule) out.insert(out.end(), {"--schedule", "dynamic"});
  if (!name && !stem.empty()) out.insert(out.end(), {"--name", stem});
  return out;
}

RunCommand read_run_command(bool compare, const Options& options) {
  const OptionReader r = options.reader();
  RunCommand cmd;
  cmd.compare = compare;
  cmd.job = read_job(options);
  if (!compare && r.has("models")) r.fail("models", "'models' is for compare; run takes --model");
  r.choice("progress", cmd.progress, progress_modes());
  r.choice<bool>("allocation", cmd.use_allocation, {{"use", true}, {"ignore", false}});
  if (r.has("base")) {
    const std::string base = r.raw("base");
    if (base == "measure") {
      cmd.base.mode = BaseOption::Mode::measure;
    } else if (base == "none") {
      cmd.base.mode = BaseOption::Mode::none;
    } else if (auto secs = parse_duration(base); secs && *secs > 0) {
      cmd.base = {BaseOption::Mode::given, *secs};
    } else {
      r.fail("base", "expected measure, none, or a serial time such as 12.5s");
    }
  } else if (!compare && !cmd.job.workload->measure_base_by_default()) {
    cmd.base.mode = BaseOption::Mode::none;
  }
  if (compare) {
    if (auto sample = cmd.job.workload->for_compare()) cmd.job.workload = std::move(sample);
  }
  // Tasks with effects (the farm's commands) run once per invocation unless the job says more.
  const std::size_t entries = session_entries(cmd).size();
  const auto runs = static_cast<std::uint64_t>(cmd.job.run.repeat) * entries;
  if (const std::string why = cmd.job.workload->rerun_refusal(runs); !why.empty()) {
    if (compare) {
      throw ConfigError("compare measures " + std::to_string(entries) + " models and slot counts: " + why);
    }
    r.fail(cmd.job.run.repeat > 1 ? "repeat" : "base", why);
  }
  return cmd;
}

}  // namespace

std::optional<RunCommand> parse_run_command(bool compare, const std::vector<std::string>& args,
                                            std::string& help, const std::string& base_dir) {
  const std::optional<Options> options = parse_or_help(schema(compare), args, help, base_dir);
  if (!options) return std::nullopt;
  return read_run_command(compare, *options);
}

std::optional<RunCommand> parse_farm_command(const std::vector<std::string>& args,
                                             std::string& help, const std::string& base_dir) {
  static const CommandSchema schema = farm_schema();
  const std::optional<Options> options = parse_or_help(schema, farm_as_run(args), help, base_dir);
  if (!options) return std::nullopt;
  return read_run_command(false, *options);
}

JobSpec resolve_run_job(const std::vector<std::string>& args, const std::string& base_dir,
                        const std::function<void(const OptionReader&)>& inspect) {
  const Options options = Options::parse(schema(false), args, base_dir);
  if (options.help()) throw ConfigError("--help: not a job");
  RunCommand cmd = read_run_command(false, options);
  if (inspect) inspect(options.reader());
  return std::move(cmd.job);
}

}  // namespace fanout
