// The placement rules for every model, kept pure so they can be unit-tested without MPI.
#include "run/placement.hpp"

#include <algorithm>

namespace fanout {
namespace {

/// Workers for `cores` cores when each keeps hints.cores_per_worker of them busy.
int by_cores(int cores, const PlacementHints& hints) {
  return std::max(1, cores / std::max(1, hints.cores_per_worker));
}

int rank_threads(const JobSpec& job, const PlacementHints& hints, const Topology& topo) {
  if (job.run.threads > 0) return job.run.threads;
  if (hints.pool_threads > 0) return hints.pool_threads;
  if (topo.omp_num_threads > 0) return by_cores(topo.omp_num_threads, hints);
  return by_cores(std::max(1, topo.affinity_cores), hints);
}

int hybrid_threads(const JobSpec& job, const PlacementHints& hints, const Topology& topo) {
  if (job.run.threads > 0) return job.run.threads;
  if (hints.pool_threads > 0) return hints.pool_threads;
  if (topo.omp_num_threads > 0) return by_cores(topo.omp_num_threads, hints);
  const int share = std::max(1, topo.node_cores / std::max(1, topo.node_size));
  return by_cores(std::max(1, std::min(topo.affinity_cores, share)), hints);
}

}  // namespace

Placement place(Model model, const JobSpec& job, const Topology& topo) {
  const PlacementHints hints = job.workload->placement();
  Placement p;
  const bool one_per_node = model == Model::processes_async && hints.loop_per_node;
  if (!is_distributed(model)) {
    p.participates = topo.rank == 0;
    p.participants = 1;
    p.participant_index = p.participates ? 0 : -1;
  } else if (one_per_node) {
    p.participates = topo.node_rank == 0;
    p.participants = topo.node_count;
    p.participant_index = p.participates ? topo.node_index : -1;
  } else {
    p.participates = true;
    p.participants = topo.size;
    p.participant_index = topo.rank;
  }
  if (model == Model::threads) {
    p.threads = rank_threads(job, hints, topo);
    p.workers = p.threads;
  } else if (model == Model::processes_threads) {
    p.threads = hybrid_threads(job, hints, topo);
    p.workers = p.threads;
  } else if (event_loop(model)) {
    // loop_slots 0: as many slots as the matching threads model would have threads.
    p.workers = hints.loop_slots > 0    ? hints.loop_slots
                : model == Model::async ? rank_threads(job, hints, topo)
                                        : hybrid_threads(job, hints, topo);
  }
  p.dynamic = is_distributed(model) && job.run.schedule == Schedule::dynamic;
  return p;
}

}  // namespace fanout
