// `fanout submit`: render the study's job scripts, have the scheduler check every one, submit
// them, record the job ids in DIR/submit.json, and submit the dependent collect job.
#pragma once

#include <ostream>
#include <string>

#include "batch/batch_spec.hpp"
#include "cli/command.hpp"
#include "job/job_spec.hpp"

namespace fanout {

/// Returns 0 when every job was submitted (or, with --dry-run, the scripts were printed). Throws
/// ConfigError, with nothing submitted and nothing written, for what is wrong before the first
/// submission: started under mpirun, the scheduler's tools missing, DIR holding a submission
/// already, a template that does not render, a script the scheduler refuses (sbatch
/// --test-only). A submission that fails half-way cancels what it submitted and returns 1.
int run_submit(const BatchSpec& spec, const JobSpec& job, const std::string& command_line,
               std::ostream& out, std::ostream& err);

/// `fanout submit ARGS`: parse, then run_submit.
int submit_command_main(const CommandArgs& args);

}  // namespace fanout
