// Rank 0's outputs: the table on stdout and the JSON and CSV files, checked before the run.
#pragma once

#include <ostream>

#include "report/record_files.hpp"
#include "report/run_report.hpp"

namespace fanout {

/// Checks before any work that every output of the job can be written, is a regular file or new,
/// and is neither an input (the job file, the kind's own) nor another output (ConfigError
/// otherwise).
void check_outputs(const JobSpec& job);

/// Writes the report's files (JSON, CSV, trace), each atomically, so a reader never sees half a
/// file: the CSV and trace from `records` (what the run streamed), or rendered from the samples
/// the report holds when it is null. One that cannot be written does not keep the others from
/// being written; the first failure is thrown after all were tried.
void write_outputs(const RunReport& report, RecordFiles* records = nullptr);

/// The table, warnings and recommendation.
void print_report(const RunReport& report, std::ostream& out);

}  // namespace fanout
