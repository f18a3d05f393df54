// The farm-output command: its options, and the listing or one task's bytes from OutputIndex.
#include "effects/farm_output_command.hpp"

#include <iostream>

#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "workload/shell/output_index.hpp"

namespace fanout {
namespace {

CommandSchema farm_output_schema() {
  CommandSchema s;
  s.command = "farm-output";
  s.usage =
      "usage: fanout farm-output LOGS [--task N] [--stream out|err] [--attempt N]\n\n"
      "Reads the output a farm kept as records (--output records, the default): each rank\n"
      "appends its tasks' stdout and stderr to LOGS/output/RANK.records, a few files however\n"
      "many tasks ran. Without --task, lists the tasks that printed anything: number, attempts,\n"
      "the last attempt's stdout and stderr bytes, its rank. With --task N, prints that task's\n"
      "stdout (or --stream err) of its last attempt, or of --attempt K (1 = its first, over\n"
      "every run of a resumed farm). A record a kill cut short is ignored, and said on stderr.\n"
      "A task that printed nothing has no record: its output is empty.\n";
  s.groups.push_back({"farm-output options",
                      {{"task", "the task whose output to print (its number, as in the joblog)"},
                       {"stream", "out (stdout, the default) or err (stderr)"},
                       {"attempt",
                        "which attempt: 1 is the first over every run (default: the "
                        "last)"}}});
  s.positional = "logs";
  return s;
}

}  // namespace

std::optional<FarmOutputQuery> parse_farm_output(const std::vector<std::string>& args,
                                                 std::string& help) {
  static const CommandSchema schema = farm_output_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  const OptionReader r = options->reader();
  FarmOutputQuery q;
  q.logs_dir = options->positional();
  if (q.logs_dir.empty()) {
    throw ConfigError("farm-output: missing LOGS, the --logs directory of a farm");
  }
  if (r.has("task")) {
    std::uint64_t task = 0;
    r.integer("task", task, 1, 4'000'000'000);
    q.task = task;
  }
  r.choice<OutputStream>("stream", q.stream,
                         {{"out", OutputStream::out}, {"err", OutputStream::err}});
  if (r.has("attempt")) {
    if (!q.task) r.fail("attempt", "picks an attempt of one task: give --task N too");
    std::uint64_t attempt = 0;
    r.integer("attempt", attempt, 1, 1'000'000);
    q.attempt = attempt;
  }
  if (r.has("stream") && !q.task) r.fail("stream", "picks the output of one task: give --task N");
  return q;
}

int run_farm_output(const FarmOutputQuery& q, std::ostream& out, std::ostream& err) {
  const OutputIndex index(q.logs_dir);
  const auto say_notes = [&] {
    for (const OutputFileNote& n : index.notes())
      err << "fanout farm-output: " << describe(n) << "\n";
  };
  if (!q.task) {
    out << render_output_list(index.tasks());
    say_notes();
    return 0;
  }
  const std::vector<OutputAttempt> attempts = index.attempts(*q.task);
  say_notes();
  const std::string task = "task " + std::to_string(*q.task);
  if (attempts.empty()) {
    if (q.attempt) {
      throw ConfigError("--attempt " + std::to_string(*q.attempt) + ": " + task +
                        " has no output records");
    }
    err << "fanout farm-output: " << task
        << " has no output records: it printed nothing, or has not run (see the joblog)\n";
    return 0;
  }
  if (q.attempt && *q.attempt > attempts.size()) {
    throw ConfigError("--attempt " + std::to_string(*q.attempt) + ": " + task + " has " +
                      std::to_string(attempts.size()) + " attempt" +
                      (attempts.size() == 1 ? "" : "s") + " with output; give 1 to " +
                      std::to_string(attempts.size()));
  }
  const OutputAttempt& a = attempts[q.attempt ? *q.attempt - 1 : attempts.size() - 1];
  if (!index.copy(a, q.stream, out)) {
    err << "fanout farm-output: " << task << ": cannot read " << index.files()[a.file] << "\n";
    return 1;
  }
  out.flush();
  return 0;
}

int farm_output_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_farm_output, [](const FarmOutputQuery& q) {
    return run_farm_output(q, std::cout, std::cerr);
  });
}

}  // namespace fanout
