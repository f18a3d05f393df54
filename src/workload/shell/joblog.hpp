// The joblog: one line per finished task in GNU parallel's --joblog format, sent to the one process
// that writes it and made durable by group commit, and read back for --resume (fanout's own
// joblogs and GNU parallel's alike).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "workload/append_log.hpp"
#include "workload/line_sink.hpp"

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

/// Where a rank's finished tasks' joblog lines go: the log rank 0 alone writes, with group commit
/// (RankLog: GroupCommitLog on rank 0, a LineChannel to it from the others).
class JoblogWriter {
 public:
  explicit JoblogWriter(std::shared_ptr<LineSink> log) : log_(std::move(log)) {}
  /// Posts the entry's line; thread-safe. Returns false once the log failed (a write, an
  /// fdatasync or a send), when lines are lost.
  bool append(const JoblogEntry& e);
  const std::shared_ptr<LineSink>& log() const { return log_; }

 private:
  std::shared_ptr<LineSink> log_;
};

/// The lines made durable in a joblog since it was opened here, counted as they are: rank 0's
/// progress of a farm whose ranks all send it their lines. Thread-safe.
class JoblogCounts {
 public:
  struct Counts {
    std::uint64_t done = 0;
    std::uint64_t failed = 0;  ///< Exitval or Signal not 0
  };
  /// Counts the whole lines of `lines` (a header line is none).
  void add(std::string_view lines);
  Counts counts() const;

 private:
  mutable std::mutex mutex_;
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
