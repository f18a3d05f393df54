// The joblog: one line per finished task in GNU parallel's --joblog format, appended and flushed as
// each task ends, and read back for --resume (fanout's own joblogs and GNU parallel's alike).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "workload/append_log.hpp"

namespace fanout {

/// One finished task as a joblog line records it.
struct JoblogEntry {
  std::uint64_t seq = 0;  ///< 1-based
  std::string host;
  double start_epoch_s = 0;
  double runtime_s = 0;
  std::uint64_t received = 0;  ///< bytes the task wrote to stdout
  int exit_code = 0;
  int signal = 0;
  std::string command;
  bool ok() const { return exit_code == 0 && signal == 0; }
};

/// "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand", without newline.
const std::string& joblog_header();
/// One line with its newline: the times as GNU parallel prints them ("%.3f", "%10.3f"), Send 0,
/// newlines in the command as NUL bytes (GNU parallel's convention).
std::string joblog_line(const JoblogEntry& e);

/// An open joblog that every task's end appends one line to, with one write() each (O_APPEND), so
/// that lines from several ranks never interleave on a local or POSIX cluster file system, and a
/// line written is kept when the process is killed the next instant.
class JoblogWriter {
 public:
  /// Opens `path` for appending, creating it; with `header`, writes the header first when it is new
  /// or empty (one process does: rank 0, before the others open it). Throws ConfigError naming
  /// --shell.joblog when it cannot.
  JoblogWriter(const std::string& path, bool header);
  /// Appends the entry; thread-safe (one write() per line). Returns false when the write failed.
  bool append(const JoblogEntry& e);

 private:
  AppendLog log_;
};

/// The lines appended to a joblog since it was opened here, counted as they arrive: what rank 0
/// reads for the progress of a farm whose ranks all append to one joblog. Thread-safe.
class JoblogTail {
 public:
  /// Counts only what is appended after now.
  explicit JoblogTail(std::string path);
  struct Counts {
    std::uint64_t done = 0;
    std::uint64_t failed = 0;  ///< Exitval or Signal not 0
  };
  /// Reads what was appended since the last call (whole lines only).
  Counts poll();

 private:
  std::mutex mutex_;
  LogTail tail_;
  Counts counts_;
};

/// Called for each entry with its "path:line".
using JoblogVisitor = std::function<void(const JoblogEntry&, const std::string& where)>;

/// Streams the joblog at `path` through `visit`, entry by entry in file order (a million lines
/// cost one line at a time), and returns how many it held: 0 when it does not exist. A last line
/// without its newline (a write cut by a kill) is no finished task and is skipped. Throws
/// ConfigError naming path:line for a line of another format.
std::uint64_t read_joblog(const std::string& path, const JoblogVisitor& visit);

}  // namespace fanout
