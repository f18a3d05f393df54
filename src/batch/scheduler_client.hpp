// The one seam to a batch scheduler: check a script, submit it, ask about a job, cancel jobs.
// Slurm (sbatch, scontrol, sacct, scancel) and PBS Pro / OpenPBS (qsub, qstat, qdel) behind it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "batch/job_status.hpp"

namespace fanout {

class SchedulerClient {
 public:
  virtual ~SchedulerClient() = default;
  /// "Slurm" or "PBS", for messages.
  virtual std::string name() const = 0;
  /// The commands submit needs on PATH.
  virtual std::vector<std::string> submit_commands() const = 0;
  /// Asks the scheduler whether it would take the script, without submitting it (sbatch
  /// --test-only); nullopt when it would, else its reason. PBS has no such check: always nullopt.
  virtual std::optional<std::string> validate(const std::string& script_path) = 0;
  /// Submits the script from `workdir`; returns the job id. Throws std::runtime_error with the
  /// scheduler's message when it refuses.
  virtual std::string submit(const std::string& script_path, const std::string& workdir) = 0;
  /// The job's state; known = false when the scheduler has forgotten it (or never knew it), or
  /// did not answer: then unreachable() says why, and no later query asks it again.
  virtual JobStatus query(const std::string& job_id) = 0;
  /// Why the scheduler did not answer a query (its controller down or silent for
  /// kQueryTimeout_s), or nullopt.
  virtual std::optional<std::string> unreachable() const = 0;
  /// Cancels the jobs, ignoring those already ended.
  virtual void cancel(const std::vector<std::string>& job_ids) = 0;
  /// The id of element `index` of the array job `array_id` ("123_4", "123[4].server").
  virtual std::string array_element_id(const std::string& array_id, std::size_t index) const = 0;
};

/// How long a query waits for scontrol or qstat: their own retries take 18 s or more when the
/// controller is down.
inline constexpr double kQueryTimeout_s = 5;

std::unique_ptr<SchedulerClient> make_scheduler_client(Scheduler scheduler);

/// Throws std::runtime_error (exit 1), one line, when `client` did not answer: `what` (e.g.
/// "status DIR") cannot say anything true of the jobs then.
void require_answer(const SchedulerClient& client, const std::string& what);

}  // namespace fanout
