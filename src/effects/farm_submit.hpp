// `fanout submit-farm`: the farm itself as a chain of Slurm jobs. The first job runs the farm
// with a warning signal before its time limit; each job, as it ends, runs `fanout continue-farm`,
// which counts the tasks the joblog still lacks and submits the next job (with --resume, after
// this one) until none is left, the farm halted or failed, or the chain is long enough.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "batch/farm_chain.hpp"
#include "job/job_spec.hpp"
#include "workload/effects.hpp"

namespace fanout {

/// A farm submission, parsed: the batch options and the job's own arguments.
struct FarmSubmit {
  BatchSpec spec;
  JobSpec job;  ///< resolved as the first job runs it
  Model model = Model::processes_async;
  std::vector<std::string> run_args;  ///< the job file and job keys, without a resume flag
  std::string first_resume;           ///< the first job's --shell.resume(-failed), if given
};

/// `fanout continue-farm DIR [--after JOB] [--exit STATUS]`: what a chain job runs as it ends
/// (with both), or a user from a login node (without: the next job starts now).
struct FarmContinue {
  std::string dir;
  std::string after;        ///< the job that just ended; "" when run by hand
  std::optional<int> exit;  ///< its farm's exit status
};

/// Checks, writes DIR/farm.json and jobs/farm-1.sbatch, and submits the first job. Returns the
/// exit code (0, or 1 when the scheduler refused).
int run_farm_submit(const FarmSubmit& farm, const std::string& command_line, std::ostream& out,
                    std::ostream& err);

/// Records how the job ended and submits the next one if tasks are left. Returns 0, or 1 when
/// the scheduler refused the next job.
int run_farm_continue(const FarmContinue& cont, std::ostream& out, std::ostream& err);

/// The farm's record of finished tasks now: the job resolved from the chain's arguments with
/// --shell.resume, in the directory the jobs run in.
RecordedTasks farm_tasks(const FarmChain& chain);

}  // namespace fanout
