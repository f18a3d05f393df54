// This machine as a process sees it: its name, its cores, the cores it may run on, and how many
// threads a rank should run. Read where needed; nothing is cached.
#pragma once

#include <string>
#include <vector>

namespace fanout {

/// Short host name (up to the first dot), "unknown" if it cannot be read.
std::string host_name();

/// Online cores of this machine (sysconf), at least 1.
int online_cores();

/// CPU ids in the calling thread's affinity mask (sched_getaffinity), ascending; empty if unknown.
std::vector<int> affinity_cpus();

/// CPUs in the calling thread's affinity mask: the cores available to the rank, as mpirun/srun
/// binding left them. Falls back to std::thread::hardware_concurrency(). At least 1.
int affinity_cores();

/// OMP_NUM_THREADS if it is set and its first entry is a positive integer ("4" or "4,2"),
/// else affinity_cores().
int default_threads();

}  // namespace fanout
