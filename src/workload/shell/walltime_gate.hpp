// Walltime-aware starts: a farm's task starts only when it is expected to end before the
// allocation does, so that no work is killed at a job's time limit and run again by the next job.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fanout {

/// When the allocation's tasks must have ended, as seconds since 1970, and where that was read.
struct AllocationEnd {
  double epoch_s = 0;
  std::string source;  ///< e.g. "FANOUT_END_TIME"
};

/// FANOUT_END_TIME (what a farm chain's job sets: the job's end less the warning's margin; a
/// user's own batch script may set it too), else SLURM_JOB_END_TIME (set by Slurm 23.02 and
/// later), read through `get`; else, inside a PBS job (PBS_JOBID), its start and walltime from
/// `qstat_full(PBS_JOBID)` (`qstat -f`'s output, "" when it did not answer); nullopt when none
/// says. Throws ConfigError naming the variable for a value that is not a whole number of seconds
/// since 1970.
std::optional<AllocationEnd> allocation_end(
    const std::function<const char*(const char*)>& get,
    const std::function<std::string(const std::string&)>& qstat_full);

/// The end of the PBS job whose `qstat -f` output is `text`: its start (stime, local time) plus
/// its walltime (Resource_List.walltime); nullopt when either is missing or malformed.
std::optional<AllocationEnd> pbs_job_end(std::string_view text);

/// Says whether a task may start now: not when the time it is expected to take would carry it
/// past the allocation's end. The expectation is shell.time-request when given, else the longest
/// task finished so far (in the joblog a resume read, and in this run); with neither, a task
/// starts while the end has not come. Thread-safe: every slot of a rank shares one.
class WalltimeGate {
 public:
  /// `time_request_s`: 0 to learn; `longest_s`: the longest task the joblog records so far.
  WalltimeGate(AllocationEnd end, double time_request_s, double longest_s);

  /// Notes a finished task's run time, which the expectation learns from.
  void finished(double runtime_s);
  /// The time a task is expected to take now (0: nothing known yet).
  double expected_s() const;
  /// Empty when a task may start at `now_epoch_s`; else one line saying why not.
  std::optional<std::string> refusal(double now_epoch_s) const;

 private:
  AllocationEnd end_;
  double time_request_s_ = 0;
  std::atomic<double> longest_s_{0};
};

}  // namespace fanout
