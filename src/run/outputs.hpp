// Rank 0's outputs: the table on stdout and the JSON and CSV files, checked before the run.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/record_files.hpp"
#include "report/run_report.hpp"

namespace fanout {

/// Checks before any work that every output of the job can be written, is a regular file or new,
/// and is neither an input (the job file, the kind's own) nor another output (ConfigError
/// otherwise).
void check_outputs(const JobSpec& job);

/// When the outputs are written, and so what each file gets.
enum class OutputPoint {
  /// After a measurement: the JSON and the trace of the report so far. The CSV's rows keep
  /// growing in its temporary file, so a long run does not rewrite them every time.
  progress,
  /// The moment a stop is known, with tasks still in flight: every file, the CSV as a copy of
  /// the rows so far, so that a launcher's SIGKILL before the end still leaves them.
  stop,
  /// Once, at the end: every file, the CSV put in place by renaming its temporary file.
  end,
};

/// Writes the report's files (JSON, CSV, trace) as `when` says, each atomically, so a reader
/// never sees half a file: the CSV and trace from `records` (what the run streamed). One that
/// cannot be written does not keep the others from being written; the first failure is thrown
/// after all were tried.
void write_outputs(const RunReport& report, RecordFiles& records, OutputPoint when);

/// Draws the kind's plots (io.hgrm's gnuplot scripts, written by write_outputs) in their
/// directories, when gnuplot is on PATH; one line per problem (gnuplot missing or failing).
std::vector<std::string> draw_plots(const RunReport& report);

/// The table, warnings and recommendation.
void print_report(const RunReport& report, std::ostream& out);

}  // namespace fanout
