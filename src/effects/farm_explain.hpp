// Why each task of a farm is where it is: its joblog, the ranks' start journals, the run log and
// the joblog's lock read from LOGS and joined per task (not started and why, running where and
// since when, interrupted, finished how and where its output is), for `fanout farm-explain`.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "workload/shell/farm_run_log.hpp"
#include "workload/shell/joblog.hpp"
#include "workload/shell/start_journal.hpp"

namespace fanout {

enum class TaskState {
  not_started,
  running,
  interrupted,  ///< started, no end recorded, and its run is over: a resume runs it again
  finished,     ///< ended well (exit 0)
  failed,       ///< ended badly (an exit status, a signal, a timeout)
};

/// "not started", "running", "interrupted", "finished", "failed".
std::string to_string(TaskState s);

/// A task's attempts as the start journals record them.
struct TaskStarts {
  std::uint64_t count = 0;  ///< over every run
  TaskStart last;           ///< the latest
};

/// What a farm's LOGS say, read once.
struct FarmFacts {
  std::string logs_dir;
  std::vector<FarmRun> runs;  ///< LOGS/runs, the first first
  std::string joblog;         ///< the latest run's, else LOGS/joblog
  bool running = false;       ///< a farm holds the joblog's lock now
  std::vector<std::string> holders;
  bool records = true;  ///< the output is kept as records (else LOGS/B/N.out)
  /// The tasks of the farm, by number (the list's, cut at its count); the joblog's and journals'
  /// when the list cannot be read.
  std::vector<std::uint64_t> tasks;
  std::uint64_t count = 0;                        ///< the latest run's shell.count (0: all)
  std::set<std::uint64_t> outside;                ///< the list's tasks past that count
  std::map<std::uint64_t, std::string> commands;  ///< only read_farm_facts' `command_of`
  std::map<std::uint64_t, JoblogEntry> ended;     ///< each task's last joblog line
  std::map<std::uint64_t, TaskStarts> starts;
  std::vector<std::string> notes;  ///< what could not be read, for stderr
};

/// Reads LOGS, keeping the command of task `command_of` only (a million tasks' commands would
/// cost their text twice over). Throws ConfigError naming LOGS when it is not a farm's logs
/// directory (no joblog, no run log, no start journal in it).
FarmFacts read_farm_facts(const std::string& logs_dir,
                          std::optional<std::uint64_t> command_of = std::nullopt);

/// One task's place, and the words that say why.
struct TaskExplanation {
  std::uint64_t seq = 0;
  TaskState state = TaskState::not_started;
  std::string why;  ///< one sentence
  std::optional<TaskStart> start;
  std::uint64_t attempts = 0;
  std::optional<JoblogEntry> end;
  bool earlier_run = false;  ///< finished by a run before the latest (a resume skipped it)
};

/// Where task `seq` stands, from `facts`.
TaskExplanation explain_task(const FarmFacts& facts, std::uint64_t seq);

/// Where a task's output is: "fanout farm-output LOGS --task N" or LOGS/B/N.out and .err.
std::string output_hint(const FarmFacts& facts, std::uint64_t seq);

/// The farm in one line: its runs, and whether one is running now.
std::string describe_farm(const FarmFacts& facts);
/// One line per task: number, state, attempts, where, when, why.
std::string explain_row(const TaskExplanation& e);
std::string explain_header();
/// One task in detail, several lines.
std::string explain_detail(const FarmFacts& facts, const TaskExplanation& e);
nlohmann::json to_json(const FarmFacts& facts, const TaskExplanation& e);

}  // namespace fanout
