// How many threads a rank should run: OMP_NUM_THREADS, else the cores the rank may run on.
#pragma once

namespace fanout {

/// CPUs in the calling thread's affinity mask (sched_getaffinity): the cores available to the
/// rank, as mpirun/srun binding left them. Falls back to std::thread::hardware_concurrency().
/// At least 1.
int affinity_cores();

/// OMP_NUM_THREADS if it is set and its first entry is a positive integer ("4" or "4,2"),
/// else affinity_cores(). Read at each call, not cached.
int default_threads();

}  // namespace fanout
