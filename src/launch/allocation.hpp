// The batch allocation a process runs in (Slurm or PBS), from the variables the scheduler sets,
// and how a command typed inside it is started again over all its tasks.
#pragma once

#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

/// The batch allocation this process runs in, from SLURM_* or PBS_* variables.
struct Allocation {
  std::string scheduler;  ///< "slurm" | "pbs"; "" outside any allocation
  std::string job_id;
  int nodes = 0;          ///< nodes allocated
  int tasks = 0;          ///< tasks (MPI ranks) the allocation was asked for; 0 if unsaid
  int cpus_per_task = 0;  ///< SLURM_CPUS_PER_TASK, or PBS's ompthreads (OMP_NUM_THREADS)
  int cpus = 0;           ///< CPUs allocated over every node; 0 if unsaid
  std::string nodefile;   ///< PBS_NODEFILE: one line per MPI slot
  bool present() const { return !scheduler.empty(); }
};

/// Reads the allocation through `get` (std::getenv by default); PBS's slots from its node file.
Allocation detect_allocation(const std::function<const char*(const char*)>& get =
                                 [](const char* n) { return std::getenv(n); });

/// A count as a launcher or scheduler writes it into a variable: digits only, below 2^30; -1 when
/// the text is null, empty or anything else.
int parse_env_count(const char* text);

/// "Slurm job 18: 2 nodes, 4 tasks, 8 CPUs per task, 64 CPUs"; "" outside an allocation.
std::string describe_allocation(const Allocation& allocation);

/// "2(x3),4" (SLURM_JOB_CPUS_PER_NODE) -> 10; 0 when malformed.
int sum_cpus_per_node(const std::string& text);

/// How `run` or `compare`, started by hand inside an allocation of several tasks, starts itself
/// again over all of them: `srun --mpi=pmix --ntasks=TASKS [--cpus-per-task=CPUS]` (Slurm) or
/// `mpirun -np SLOTS --hostfile PBS_NODEFILE` (PBS), then `exe` and `args`. Empty when there is
/// nothing to gain (one task) or nothing to go on (no task count).
std::vector<std::string> relaunch_argv(const Allocation& allocation, const std::string& exe,
                                       const std::vector<std::string>& args, bool as_root);

/// Outside a launcher, inside an allocation that gives each task CPUs, OMP_NUM_THREADS is set to
/// that count when the user left it unset, so threads default to what the allocation gave.
void default_threads_from_allocation(const Allocation& allocation);

/// The "key = value" attributes of `qstat -f` (PBS) output, trimmed, the last of a key kept;
/// lines without " = " (the "Job Id:" line, a long value's continuation) skipped.
std::map<std::string, std::string> qstat_attributes(std::string_view text);

}  // namespace fanout
