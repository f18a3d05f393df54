// FarmRunLog: LOGS/runs, where rank 0 notes each run of a farm as it starts (where, which list,
// which joblog, resumed or not) and as it ends (how it stopped, what it finished), a line each,
// read back to say why a task has not run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exec/stop_flag.hpp"
#include "workload/append_log.hpp"

namespace fanout {

/// A run as it started.
struct FarmRunStart {
  double epoch_s = 0;
  long pid = 0;  ///< rank 0's
  std::string host;
  int ranks = 1;
  std::string tasks_file;  ///< shell.tasks, or "" with a template
  std::string command;     ///< shell.command
  std::string inputs_file;
  std::uint64_t count = 0;  ///< shell.count; 0: the whole list
  std::uint64_t list_size = 0;
  std::uint64_t planned = 0;  ///< the tasks this run was to run
  std::string joblog;
  bool resume = false, resume_failed = false;
  std::string output;  ///< "records" or "files"
};

/// A run as it ended.
struct FarmRunEnd {
  double epoch_s = 0;
  /// "complete", "walltime", "halt", "halt now", "launcher gone" or a signal's name ("SIGTERM").
  std::string how;
  std::uint64_t done = 0;    ///< joblog lines this run wrote
  std::uint64_t failed = 0;  ///< of those, failed
};

/// One run: its start line and its end line, when it wrote one (none: killed, or still running).
struct FarmRun {
  FarmRunStart start;
  std::optional<FarmRunEnd> end;
};

/// LOGS/runs.
std::string farm_run_log_path(const std::string& logs_dir);

/// What an end line says for a run stopped for `reason` (none: complete); `launcher_gone` wins.
std::string end_how(StopReason reason, bool launcher_gone);

/// "start\tkey=value..." and "end\tkey=value...", each with its newline; a tab, newline or
/// backslash in a value escaped as \t, \n, \\.
std::string run_start_line(const FarmRunStart& s);
std::string run_end_line(const FarmRunEnd& e);

/// Rank 0's log, open for appending (one write() per line).
class FarmRunLog {
 public:
  /// Opens LOGS/runs, creating it. Throws ConfigError naming --shell.logs when it cannot.
  explicit FarmRunLog(const std::string& logs_dir);
  bool started(const FarmRunStart& s) { return log_.append(run_start_line(s)); }
  bool ended(const FarmRunEnd& e) { return log_.append(run_end_line(e)); }

 private:
  AppendLog log_;
};

/// The runs LOGS/runs records, the first first; an end line pairs with the start before it. Lines
/// of another form and a last line without its newline are skipped. Empty when there is none.
std::vector<FarmRun> read_farm_runs(const std::string& logs_dir);

}  // namespace fanout
