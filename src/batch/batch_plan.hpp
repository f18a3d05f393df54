// The points of a batch study: every nodes x ranks-per-node x threads triple and the base case,
// with what each point's job script says about it (file, log, job name, the command it runs).
#pragma once

#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "study/study_report.hpp"

namespace fanout {

struct BatchPoint {
  StudyPoint point;  ///< nodes, ranks (nodes x ranks per node), threads, model, workers
  int ranks_per_node = 1;
};

/// Every triple plus the base case (1 node x 1 rank x 1 thread) when the lists lack it, ordered
/// by workers, then nodes, then threads, so the base case comes first and points of equal workers
/// within one node come before those spread over several.
std::vector<BatchPoint> plan_batch_points(const BatchSpec& spec, const Workload& workload);

/// The largest nodes, ranks per node and threads of any point: what a job array's every element
/// asks for.
BatchPoint array_shape(const std::vector<BatchPoint>& points);

/// "HH:MM:SS" (hours may exceed 24), as both Slurm and PBS read it.
std::string format_time_limit(long seconds);

/// "fanout-NAME-KEY": a job name of letters, digits, '-', '_' and '.' from the job's name.
std::string batch_job_name(const std::string& job_name, const std::string& suffix);

/// "jobs/n1-r2-t1.sbatch" (Slurm) or ".pbs", relative to the study directory; kind "array" or
/// "collect" names those scripts.
std::string script_file(Scheduler scheduler, const std::string& key_or_kind);

}  // namespace fanout
