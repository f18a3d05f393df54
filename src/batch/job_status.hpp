// What a scheduler says about a job, and the parsers of its commands' output (pure, so they are
// tested against captured text: sbatch --parsable, scontrol show job -o, qsub, qstat -f).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace fanout {

struct JobStatus {
  bool known = false;     ///< false: the scheduler no longer (or never) knew the job
  std::string state;      ///< Slurm's words: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, ...
  std::string reason;     ///< why it waits or ended, "" if none (Slurm's Reason, PBS's comment)
  int exit_code = -1;     ///< of the job script; -1 unknown; 128 + N when signal N ended it
  double elapsed_s = -1;  ///< run time so far or in all; -1 unknown
};

/// True for states a job leaves no more (COMPLETED, FAILED, TIMEOUT, CANCELLED, NODE_FAIL, ...).
bool is_final_state(const std::string& state);

/// The job id in sbatch --parsable's output ("123" or "123;cluster") or qsub's ("123.server",
/// "123[].server"); nullopt when there is none.
std::optional<std::string> parse_submitted_id(const std::string& output, bool pbs);

/// `Key=Value Key=Value ...` of one scontrol -o line; a value runs to the next " Key=".
std::map<std::string, std::string> parse_key_values(const std::string& line);

/// The first job of `scontrol show job -o ID`'s output.
JobStatus parse_scontrol_job(const std::string& output);

/// `qstat -x -f ID` (PBS Pro / OpenPBS): job_state, Exit_status, comment, resources_used.walltime.
JobStatus parse_qstat_full(const std::string& output);

/// "01:02:03", "2-01:02:03", "05:07" -> seconds; -1 when malformed.
double parse_elapsed(const std::string& text);

}  // namespace fanout
