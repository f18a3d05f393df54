// Placement: how one model uses the ranks of the job (who runs tasks, with how many workers).
#pragma once

#include "job/job_spec.hpp"

namespace fanout {

/// The launch as seen by one rank.
struct Topology {
  int rank = 0;
  int size = 1;
  int node_index = 0;
  int node_count = 1;
  int node_rank = 0;
  int node_size = 1;
  int affinity_cores = 1;  ///< cores this rank may run on (sched_getaffinity)
  int node_cores = 1;      ///< online cores of this rank's node
  int omp_num_threads = 0;  ///< OMP_NUM_THREADS if set and valid, else 0
};

struct Placement {
  bool participates = false;  ///< this rank runs tasks
  int participants = 1;       ///< ranks that run tasks
  int participant_index = -1;  ///< this rank's index among them, -1 if it does not take part
  int threads = 1;            ///< OpenMP threads (threads models) or pool size (I/O threads)
  int workers = 1;            ///< concurrent workers per participating rank
  bool dynamic = false;       ///< ranks pull chunks from rank 0
};

/// Serial, threads and async run on rank 0 alone; processes and processes+threads on every rank;
/// processes+async on one rank per node (the node's curl-multi driver) unless [io] driver = rank.
/// Threads: `threads` if set, else OMP_NUM_THREADS, else the rank's cores; for processes+threads
/// the node's cores shared among its ranks; for I/O threads, io.concurrency (a pool as wide as the
/// async driver's window, so the two compare at the same concurrency).
Placement place(Model model, const JobSpec& job, const Topology& topo);

/// The models `compare` runs for this workload, in the order of the lesson.
std::vector<Model> compare_models(WorkloadKind workload);

}  // namespace fanout
