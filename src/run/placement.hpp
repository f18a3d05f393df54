// Placement: how one model uses the ranks of the job (who runs tasks, with how many workers).
#pragma once

#include <vector>

#include "exec/model.hpp"
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
  int affinity_cores = 1;   ///< cores this rank may run on (sched_getaffinity)
  int node_cores = 1;       ///< online cores of this rank's node
  int omp_num_threads = 0;  ///< OMP_NUM_THREADS if set and valid, else 0
};

struct Placement {
  bool participates = false;   ///< this rank runs tasks
  int participants = 1;        ///< ranks that run tasks
  int participant_index = -1;  ///< this rank's index among them, -1 if it does not take part
  int threads = 1;             ///< OpenMP threads of the threads models (1 otherwise)
  int workers = 1;             ///< concurrent workers per participating rank (threads, or slots)
  bool dynamic = false;        ///< ranks pull chunks from rank 0
};

/// Serial, threads and async run on rank 0 alone; processes and processes+threads on every rank;
/// processes+async on every rank, or on one rank per node where the workload keeps one event
/// loop per node (the I/O kind's curl-multi driver). Threads: `threads` if set, else the
/// workload's pool width if it has one (I/O: as wide as the event loop's window), else
/// OMP_NUM_THREADS, else the rank's cores, shared among the ranks of a node for
/// processes+threads; divided by the workload's cores per worker when taken from the cores.
/// Event loops keep the workload's slots in flight (or, when it names none, as many as the
/// threads would be).
Placement place(Model model, const JobSpec& job, const Topology& topo);

}  // namespace fanout
