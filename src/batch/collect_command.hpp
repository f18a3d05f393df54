// `fanout collect DIR`: the study report of a submitted study, from what its points' jobs left
// (run documents, logs) and what the scheduler says of each job, however many of them failed.
#pragma once

#include <ostream>
#include <string>

#include "batch/job_status.hpp"
#include "cli/command.hpp"
#include "study/study_report.hpp"

namespace fanout {

/// Writes DIR/study.json, study.csv and the plots, as fanout scale does, and prints the table
/// unless `quiet`; every point that has no result is named with why (still pending or running,
/// time limit, failure with its error line, cancelled). Returns 0 when every point has a result,
/// 1 otherwise. Throws ConfigError when DIR is not a submission or its job no longer resolves.
int run_collect(const std::string& dir, bool quiet, const std::string& command_line,
                std::ostream& out, std::ostream& err);

/// The verdict on a point from its run document (already read into p: ok, error) and its job's
/// status: sets launched, error, exit_code and job_state. `log` is the job's output ("" if none).
/// Pure, for tests.
void judge_point(PointResult& p, const JobStatus& status, const std::string& log,
                 const std::string& time_limit);

/// `fanout collect DIR [--quiet]`.
int collect_command_main(const CommandArgs& args);

}  // namespace fanout
