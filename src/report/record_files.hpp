// RecordFiles: rank 0's per-task files (--csv, --trace) fed as the records arrive, appended on
// disk, so no process holds every task's record; published atomically.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "exec/sample_storage.hpp"
#include "report/run_report.hpp"
#include "report/writer.hpp"

namespace fanout {

/// Every measurement's records form a section (one repetition of one run). The CSV's rows are
/// appended as they arrive, in measurement order, to a temporary file beside the CSV
/// (PendingFile), which publish_csv renames into place once, at the end; so the CSV costs only
/// its own bytes, however many measurements. The trace's tasks are kept as records in a spool,
/// each section in one stretch, and publish_trace writes the whole trace in the report's order
/// (run by run, its repetitions, then the one a stop cut). Either file holds only the sections
/// whose records are all in.
class RecordFiles {
 public:
  explicit RecordFiles(const JobSpec& job);

  /// Whether the job asks for any per-task file.
  bool wanted() const { return csv_ || trace_; }
  /// Appends a batch of repetition `rep` of the report's run `run` (`partial`: the one a stop cut
  /// short); that repetition (run.reps[rep], or run.partial) must be in the report already. The
  /// first batch creates the CSV's temporary file. Throws std::system_error when the temporary
  /// file or the spool cannot be written.
  void add(const RunReport& report, std::size_t run, std::size_t rep, bool partial,
           std::span<const Sample> samples);
  /// Every batch of that repetition is in: from now on it is published.
  void end_section(std::size_t run, std::size_t rep, bool partial);

  /// Puts the CSV in place, atomically, with every complete section's rows, once: the temporary
  /// file renamed (one with the header only when no record came). Nothing may be added after.
  /// Throws std::system_error naming the path. Nothing when the job asks for no CSV.
  void publish_csv(const RunReport& report);
  /// A copy of the CSV so far (the complete sections' rows) under its final name, while records
  /// may still come (a stop: the tasks in flight still run, and a launcher's SIGKILL may end the
  /// process before publish_csv). Costs a copy of every row: for a stop, not every measurement.
  void copy_csv_so_far(const RunReport& report);
  /// Writes the trace of the report's complete sections, atomically; not again when the same
  /// sections were written last (the final write after the last measurement's). Throws
  /// std::system_error naming the path. Nothing when the job asks for no trace.
  void publish_trace(const RunReport& report);

 private:
  using Key = std::tuple<std::size_t, std::size_t, bool>;
  struct Section {
    std::uint64_t trace_from = 0, trace_count = 0;  ///< samples in trace_spool_
    std::map<int, std::set<int>> threads;           ///< rank -> threads that ran tasks
    bool complete = false;
  };
  const Section* complete_section(std::size_t run, std::size_t rep, bool partial) const;
  /// The complete sections the report's order lists: what a published file holds.
  std::vector<Key> published_keys(const RunReport& report) const;

  /// The CSV's temporary file, with its header, made by the first batch.
  PendingFile& csv_file(const RunReport& report);

  bool csv_ = false;
  bool trace_ = false;
  std::string csv_path_;
  std::optional<PendingFile> csv_file_;
  std::uint64_t csv_complete_bytes_ = 0;  ///< the header and the complete sections' rows
  bool csv_published_ = false;
  std::string rows_;  ///< a batch's CSV text on its way to csv_file_
  SampleSpool trace_spool_;
  std::map<Key, Section> sections_;
  std::optional<std::vector<Key>> trace_published_;
};

}  // namespace fanout
