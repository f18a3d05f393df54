// StartJournal: a farm rank's record of every attempt it starts (LOGS/starts/RANK, one file per
// rank, a tab-separated line per attempt), read back to say where and since when a task runs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "workload/append_log.hpp"

namespace fanout {

/// One attempt as it started.
struct TaskStart {
  std::uint64_t seq = 0;      ///< the task's number, as in the joblog
  std::uint32_t attempt = 0;  ///< 1-based within the run that started it
  std::string host;
  int rank = 0;
  int slot = 1;              ///< {%}, FANOUT_SLOT
  std::string gpus;          ///< its CUDA_VISIBLE_DEVICES; "" none
  double start_epoch_s = 0;  ///< seconds since 1970 (UTC)
};

/// LOGS/starts: where the ranks' journals are.
std::string start_journal_dir(const std::string& logs_dir);
/// LOGS/starts/RANK.
std::string start_journal_path(const std::string& logs_dir, int rank);

/// "Seq\tAttempt\tHost\tRank\tSlot\tGPUs\tStarttime", without newline.
const std::string& start_journal_header();
/// One line with its newline; a GPU list that is empty is written as "-".
std::string start_line(const TaskStart& s);
/// The attempt a line (without its newline) records; nullopt for the header or a line of another
/// form.
std::optional<TaskStart> parse_start_line(std::string_view line);

/// Cuts a last line without its newline off the file at `path` (a write a kill cut short), so
/// that what is appended next starts a line of its own. A missing file: nothing to do. Throws
/// ConfigError naming --shell.logs when it cannot cut it.
void cut_torn_line(const std::string& path);

/// A rank's journal, open for appending: one write() per line, thread-safe.
class StartJournal {
 public:
  /// Opens `path`, creating it with its header; a last line a kill cut short (an earlier run's)
  /// is cut off first, so that this run's lines start whole. Throws ConfigError naming
  /// --shell.logs when it cannot.
  explicit StartJournal(const std::string& path);
  bool append(const TaskStart& s) { return log_.append(start_line(s)); }

 private:
  AppendLog log_;
};

/// What reading the journals found besides the attempts.
struct StartJournalScan {
  std::uint64_t starts = 0;
  std::uint64_t skipped = 0;  ///< lines of another form (not the header)
};

/// Streams the attempts of every journal in LOGS/starts through `visit`, file by file (in rank
/// order), line by line; a last line without its newline is skipped. No LOGS/starts: none.
/// Throws ConfigError when a journal cannot be read.
StartJournalScan read_start_journals(const std::string& logs_dir,
                                     const std::function<void(const TaskStart&)>& visit);

}  // namespace fanout
