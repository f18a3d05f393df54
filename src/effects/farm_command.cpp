// `fanout farm TASKS [options]`: the short form of `run` for a farm of shell commands, its
// [shell] keys also without their prefix and the farm's defaults unless given.
#include "effects/farm_command.hpp"

#include <algorithm>
#include <filesystem>

#include "cli/options.hpp"
#include "job/job_options.hpp"
#include "run/run_command.hpp"
#include "run/run_options.hpp"

namespace fanout {
namespace {

CommandSchema farm_schema() {
  CommandSchema s = run_schema(false);
  s.command = "farm";
  s.usage =
      "usage: fanout farm TASKS [options]\n"
      "       fanout farm --command 'TEMPLATE {}' --inputs FILE [options]\n\n"
      "Runs a farm of your own commands: `fanout run` with workload = shell, TASKS as\n"
      "shell.tasks, the [shell] keys also without their prefix (--slots 8, --timeout 10m,\n"
      "--resume), and the farm's defaults unless given: --model processes+async (every rank an\n"
      "event loop of slots), --schedule dynamic (ranks take tasks as they free up). Each\n"
      "finished task goes to a GNU parallel joblog (LOGS/joblog), and --resume runs what it\n"
      "lacks. Exit 0 when every task succeeded, 1 when any failed, 143 or 130 when a signal\n"
      "stopped it (finished tasks kept).\n\n"
      "The tasks' stdout and stderr (--output): records, the default, appends them as each\n"
      "task ends to one file per rank, LOGS/output/RANK.records, before its joblog line;\n"
      "`fanout farm-output LOGS` lists the tasks and `--task N [--stream err]` prints one. A\n"
      "farm of a million tasks then creates a few files per rank instead of two million, which\n"
      "a parallel file system's metadata server takes longer to create than the tasks take to\n"
      "run. --output files keeps LOGS/B/N.out and LOGS/B/N.err per task N, B = N / 1000.\n\n"
      "Where it differs from GNU parallel, on purpose: a task runs under /bin/sh, not $SHELL;\n"
      "the carriage return that ends a CRLF file's line is dropped (parallel runs it as part of\n"
      "the command; its joblog of such a file still resumes here); a task file's blank lines\n"
      "and # comments are skipped, not run; one input source, so {1} but no {2}, and no\n"
      "{= perl =}; --halt takes never and now|soon,fail=N|P% only, each rank counting its own\n"
      "failures (P% of its share of the tasks); the exit status is 0, 1 or the signal's, not\n"
      "the number or percentage of failures.\n";
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
    const std::string key =
        a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
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

}  // namespace

std::optional<RunCommand> parse_farm_command(const std::vector<std::string>& args,
                                             std::string& help) {
  static const CommandSchema schema = farm_schema();
  const std::optional<Options> options = parse_or_help(schema, farm_as_run(args), help);
  if (!options) return std::nullopt;
  return read_run_command(false, *options);
}

int farm_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_farm_command,
                        [&](const RunCommand& cmd) { return run_parsed(cmd, args); });
}

}  // namespace fanout
