// Rank 0's outputs: the table on stdout and the JSON and CSV files, checked before the run.
#pragma once

#include <ostream>

#include "report/run_report.hpp"

namespace fanout {

/// Checks before any work that every output of the job can be written, is a regular file or new,
/// and is neither an input (the job file, the kind's own) nor another output (ConfigError
/// otherwise).
void check_outputs(const JobSpec& job);

/// Writes the report's files (JSON, CSV, trace), each atomically, so a reader never sees half a
/// file. One that cannot be written does not keep the others from being written; the first
/// failure is thrown after all were tried.
void write_outputs(const RunReport& report);

/// The table, warnings and recommendation.
void print_report(const RunReport& report, std::ostream& out);

}  // namespace fanout
