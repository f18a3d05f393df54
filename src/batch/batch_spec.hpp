// BatchSpec: a `fanout submit` study resolved from the command line into plain, validated values.
// Header-only, so that src/cli can fill it without linking the batch library.
#pragma once

#include <string>
#include <vector>

#include "study/study_spec.hpp"

namespace fanout {

enum class Scheduler { slurm, pbs };

inline std::string to_string(Scheduler s) { return s == Scheduler::pbs ? "pbs" : "slurm"; }

/// `fanout submit-farm`: the farm itself as a chain of jobs, each continuing with --resume
/// where the one before stopped at its time limit.
struct FarmChainSpec {
  bool enabled = false;      ///< submit-farm
  long warn_before_s = 120;  ///< --warn-before: SIGTERM this long before each job's limit
  int max_jobs = 100;        ///< --max-jobs: the chain ends after this many jobs
};

struct BatchSpec {
  Scheduler scheduler = Scheduler::slurm;
  /// --nodes and --ranks-per-node: every nodes x ranks-per-node x threads triple is a point.
  std::vector<int> nodes{1};
  std::vector<int> ranks_per_node{1};
  /// --time: the wall-clock limit of every point's job, in seconds (required).
  long time_limit_s = 0;
  std::string partition;  ///< --partition (Slurm) or queue (PBS -q); "" = the scheduler's default
  std::string account;    ///< --account (Slurm) or PBS -A; "" = the user's default
  bool array = false;     ///< --array: one job array instead of one job per point
  bool dry_run = false;   ///< --dry-run: print the scripts, write and submit nothing
  bool exclusive = true;  ///< whole nodes, so other jobs do not perturb the timings
  std::vector<std::string> modules;  ///< --module: `module load` of each, in order
  std::vector<std::string> setup;    ///< --setup: shell lines run before the launch
  /// What starts the ranks inside a job: srun (Slurm's default) or mpirun (PBS's only choice).
  Launcher launcher = Launcher::automatic;
  std::string template_dir;  ///< --template-dir: the user's templates instead of the built-in ones
  /// The sweep: threads, mode, repeat, model, efficiency threshold, out_dir, the forwarded job
  /// arguments (run_args) and notes, as for `fanout scale`. study.ranks lists the distinct
  /// nodes x ranks-per-node products, for the report.
  StudySpec study;
  FarmChainSpec farm;
};

}  // namespace fanout
