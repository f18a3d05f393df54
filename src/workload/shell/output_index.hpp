// OutputIndex: a farm's output records read back from every rank's file in LOGS/output — each
// task's attempts and their bytes — for `fanout farm-output` to list them or print one.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "workload/shell/output_record.hpp"

namespace fanout {

/// One attempt of a task: its records, adjacent in one rank's file.
struct OutputAttempt {
  std::uint64_t seq = 0;
  std::uint32_t attempt = 0;  ///< as numbered in the run that made it
  std::uint32_t rank = 0;
  std::uint64_t end_ns = 0;
  std::size_t file = 0;  ///< index into OutputIndex::files()
  struct Part {
    std::uint64_t offset = 0;  ///< where its bytes start in the file
    std::uint64_t bytes = 0;   ///< 0: the stream was empty (no record)
  };
  Part out, err;
  const Part& part(OutputStream s) const { return s == OutputStream::err ? err : out; }
  /// Orders the attempts of a task: by when they ended, over ranks and resumed runs.
  bool before(const OutputAttempt& o) const {
    return end_ns != o.end_ns ? end_ns < o.end_ns
           : rank != o.rank   ? rank < o.rank
                              : attempt < o.attempt;
  }
};

/// A task as the listing shows it: its last attempt, and how many it has.
struct OutputTaskSummary {
  std::uint64_t attempts = 0;
  OutputAttempt last;
};

/// A file that did not end in a whole record: what the reader says about it.
struct OutputFileNote {
  std::string path;
  OutputScan scan;
};

class OutputIndex {
 public:
  /// The record files of LOGS/output (RANK.records). Throws ConfigError when there is no
  /// LOGS/output, saying where shell.output = files keeps the output instead.
  explicit OutputIndex(const std::string& logs_dir);

  /// Every task with output, its last attempt and attempt count, by task number.
  std::map<std::uint64_t, OutputTaskSummary> tasks() const;
  /// Task `seq`'s attempts, the first first; empty when it has no output records.
  std::vector<OutputAttempt> attempts(std::uint64_t seq) const;
  /// Files that end in a torn record (a kill mid-write: ignored) or hold something else.
  const std::vector<OutputFileNote>& notes() const { return notes_; }
  const std::vector<std::string>& files() const { return files_; }

  /// Writes the bytes of `a`'s `stream` to `out`, block by block. False when the file cannot be
  /// read.
  bool copy(const OutputAttempt& a, OutputStream stream, std::ostream& out) const;

 private:
  /// Walks every file, calling `visit` with each attempt (once per file walk).
  void each_attempt(const std::function<void(const OutputAttempt&)>& visit) const;

  std::vector<std::string> files_;
  mutable std::vector<OutputFileNote> notes_;
};

/// The listing: a header line, then per task its number, attempts, the last attempt's stdout and
/// stderr bytes and rank.
std::string render_output_list(const std::map<std::uint64_t, OutputTaskSummary>& tasks);
/// What a note says, on one line: "PATH: ...".
std::string describe(const OutputFileNote& note);

}  // namespace fanout
