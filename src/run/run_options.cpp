// The options of run and compare: the job keys plus a few that only make sense on the command line.
#include "run/run_options.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "cli/units.hpp"
#include "job/job_options.hpp"
#include "run/session.hpp"
#include "workload/effects.hpp"

namespace fanout {

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

namespace {

const CommandSchema& schema(bool compare) {
  static const CommandSchema run = run_schema(false), cmp = run_schema(true);
  return compare ? cmp : run;
}

}  // namespace

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
  } else if (!compare && !measures_base_by_default(*cmd.job.workload)) {
    cmd.base.mode = BaseOption::Mode::none;
  }
  const Effects* effects = cmd.job.workload->effects();
  if (!effects) return cmd;
  if (compare) {
    if (auto sample = effects->for_compare()) {
      cmd.job.workload = std::move(sample);
      effects = cmd.job.workload->effects();
      if (!effects) return cmd;
    }
  }
  // Tasks with effects (the farm's commands) run once per invocation unless the job says more.
  const std::size_t entries = session_entries(cmd).size();
  const auto runs = static_cast<std::uint64_t>(cmd.job.run.repeat) * entries;
  if (const std::string why = effects->rerun_refusal(runs); !why.empty()) {
    if (compare) {
      throw ConfigError("compare measures " + std::to_string(entries) +
                        " models and slot counts: " + why);
    }
    r.fail(cmd.job.run.repeat > 1 ? "repeat" : "base", why);
  }
  return cmd;
}

std::optional<RunCommand> parse_run_command(bool compare, const std::vector<std::string>& args,
                                            std::string& help, const std::string& base_dir) {
  const std::optional<Options> options = parse_or_help(schema(compare), args, help, base_dir);
  if (!options) return std::nullopt;
  return read_run_command(compare, *options);
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
