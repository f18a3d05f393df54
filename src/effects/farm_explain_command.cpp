// The farm-explain command: its options, then the table, one task in detail, or JSON lines.
#include "effects/farm_explain_command.hpp"

#include <algorithm>
#include <iostream>

#include "cli/config_error.hpp"
#include "cli/options.hpp"

namespace fanout {
namespace {

CommandSchema farm_explain_schema() {
  CommandSchema s;
  s.command = "farm-explain";
  s.usage =
      "usage: fanout farm-explain LOGS [--task N] [--state STATE] [--json]\n\n"
      "Says why each task of a farm is where it is, while it runs or after: not started (and\n"
      "why: waiting for a free slot, the walltime, a halt, a stop signal, a lost launcher, or\n"
      "outside --count), running (on which host, rank, slot and GPUs, since when, which\n"
      "attempt), interrupted (started, but the farm was stopped or killed before its end was\n"
      "recorded: a --resume runs it again), finished or failed (exit status or signal, attempts,\n"
      "where, when, and where its output is). It reads what the farm keeps in LOGS: the joblog,\n"
      "LOGS/starts (a line per attempt started, a file per rank), LOGS/runs (each run's start\n"
      "and how it ended) and the joblog's lock. Without --task, one line per task; with\n"
      "--task N, that task in detail.\n";
  s.groups.push_back(
      {"farm-explain options",
       {{"task", "the task to explain in detail (its number, as in the joblog)"},
        {"state",
         "only tasks in this state: not-started, running, interrupted, finished (failed ones "
         "included) or failed"},
        {"json", "one JSON object per task and line, for scripts", OptionSpec::Arity::flag}}});
  s.positional = "logs";
  return s;
}

bool in_state(TaskState have, TaskState want) {
  return have == want || (want == TaskState::finished && have == TaskState::failed);
}

}  // namespace

std::optional<FarmExplainQuery> parse_farm_explain(const std::vector<std::string>& args,
                                                   std::string& help) {
  static const CommandSchema schema = farm_explain_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  const OptionReader r = options->reader();
  FarmExplainQuery q;
  q.logs_dir = options->positional();
  if (q.logs_dir.empty()) {
    throw ConfigError("farm-explain: missing LOGS, the --logs directory of a farm");
  }
  if (r.has("task")) {
    std::uint64_t task = 0;
    r.integer("task", task, 1, 4'000'000'000);
    q.task = task;
  }
  if (r.has("state")) {
    if (q.task) r.fail("state", "picks tasks of a listing: give it without --task");
    TaskState state{};
    r.choice<TaskState>("state", state,
                        {{"not-started", TaskState::not_started},
                         {"running", TaskState::running},
                         {"interrupted", TaskState::interrupted},
                         {"finished", TaskState::finished},
                         {"failed", TaskState::failed}});
    q.state = state;
  }
  r.boolean("json", q.json);
  return q;
}

int run_farm_explain(const FarmExplainQuery& q, std::ostream& out, std::ostream& err) {
  const FarmFacts facts = read_farm_facts(q.logs_dir, q.task);
  for (const std::string& note : facts.notes) err << "fanout farm-explain: " << note << "\n";
  if (q.task) {
    const bool known = std::binary_search(facts.tasks.begin(), facts.tasks.end(), *q.task) ||
                       facts.outside.count(*q.task) > 0;
    if (!known) {
      const std::string range =
          facts.tasks.empty() ? std::string("it names none")
                              : "its tasks are " + std::to_string(facts.tasks.front()) + " to " +
                                    std::to_string(facts.outside.empty() ? facts.tasks.back()
                                                                         : *facts.outside.rbegin());
      throw ConfigError("--task " + std::to_string(*q.task) + ": no such task in the farm of " +
                        q.logs_dir + " (" + range + ")");
    }
    const TaskExplanation e = explain_task(facts, *q.task);
    out << (q.json ? to_json(facts, e).dump() + "\n" : explain_detail(facts, e));
    return 0;
  }
  if (!q.json) out << describe_farm(facts) << explain_header();
  for (std::uint64_t seq : facts.tasks) {
    const TaskExplanation e = explain_task(facts, seq);
    if (q.state && !in_state(e.state, *q.state)) continue;
    out << (q.json ? to_json(facts, e).dump() + "\n" : explain_row(e));
  }
  out.flush();
  return 0;
}

int farm_explain_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_farm_explain, [](const FarmExplainQuery& q) {
    return run_farm_explain(q, std::cout, std::cerr);
  });
}

}  // namespace fanout
