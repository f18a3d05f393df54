// RecordFiles: rank 0's per-task files (--csv, --trace) fed as the records arrive, each measurement
// appended to a spool on disk, so no process holds every task's record; published atomically.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "exec/sample_storage.hpp"
#include "report/run_report.hpp"

namespace fanout {

/// The CSV's rows are kept as text and the trace's tasks as records, each measurement's in one
/// stretch of its spool (a section: one repetition of one run), and written under the final
/// names only by publish_*: the whole file through a temporary one renamed into place
/// (write_produced_atomically), rows in the report's order (run by run, its repetitions, then the
/// one a stop cut), of the sections whose records are all in. The text is what render_csv and
/// render_trace give for a report that holds the same samples.
class RecordFiles {
 public:
  explicit RecordFiles(const JobSpec& job);

  /// Whether the job asks for any per-task file.
  bool wanted() const { return csv_ || trace_; }
  /// Appends a batch of repetition `rep` of the report's run `run` (`partial`: the one a stop cut
  /// short); that repetition (run.reps[rep], or run.partial) must be in the report already.
  /// Throws std::system_error when the spool cannot be written.
  void add(const RunReport& report, std::size_t run, std::size_t rep, bool partial,
           std::span<const Sample> samples);
  /// Every batch of that repetition is in: from now on it is published.
  void end_section(std::size_t run, std::size_t rep, bool partial);

  /// Writes the CSV and the trace of the report's sections (a file the job does not ask for is
  /// skipped), each atomically; not again when the same sections were published last (the final
  /// write after the last measurement's: a copy of every row saved). Throws std::system_error
  /// naming the path.
  void publish_csv(const RunReport& report);
  void publish_trace(const RunReport& report);

 private:
  using Key = std::tuple<std::size_t, std::size_t, bool>;
  struct Section {
    std::uint64_t csv_from = 0, csv_bytes = 0;      ///< in csv_spool_
    std::uint64_t trace_from = 0, trace_count = 0;  ///< samples in trace_spool_
    std::map<int, std::set<int>> threads;           ///< rank -> threads that ran tasks
    bool complete = false;
  };
  const Section* complete_section(std::size_t run, std::size_t rep, bool partial) const;
  /// The complete sections the report's order lists: what a published file holds.
  std::vector<Key> published_keys(const RunReport& report) const;

  bool csv_ = false;
  bool trace_ = false;
  SpoolFile csv_spool_;
  std::string rows_;  ///< a batch's CSV text on its way to csv_spool_
  SampleSpool trace_spool_;
  std::map<Key, Section> sections_;
  std::optional<std::vector<Key>> csv_published_, trace_published_;
};

}  // namespace fanout
