// The placement rules for every model, kept pure so they can be unit-tested without MPI.
#include "app/placement.hpp"

#include <algorithm>

namespace fanout {
namespace {

int rank_threads(const JobSpec& job, const Topology& topo) {
  if (job.run.threads > 0) return job.run.threads;
  if (topo.omp_num_threads > 0) return topo.omp_num_threads;
  return std::max(1, topo.affinity_cores);
}

int hybrid_threads(const JobSpec& job, const Topology& topo) {
  if (job.run.threads > 0) return job.run.threads;
  if (topo.omp_num_threads > 0) return topo.omp_num_threads;
  const int share = std::max(1, topo.node_cores / std::max(1, topo.node_size));
  return std::max(1, std::min(topo.affinity_cores, share));
}

}  // namespace

Placement place(Model model, const JobSpec& job, const Topology& topo) {
  const bool io = job.workload == WorkloadKind::io;
  Placement p;
  switch (model) {
    case Model::serial:
    case Model::threads:
    case Model::async:
      p.participates = topo.rank == 0;
      p.participants = 1;
      p.participant_index = p.participates ? 0 : -1;
      break;
    case Model::processes:
    case Model::processes_threads:
      p.participates = true;
      p.participants = topo.size;
      p.participant_index = topo.rank;
      break;
    case Model::processes_async:
      if (job.io.driver_per_rank || !io) {
        p.participates = true;
        p.participants = topo.size;
        p.participant_index = topo.rank;
      } else {
        p.participates = topo.node_rank == 0;
        p.participants = topo.node_count;
        p.participant_index = p.participates ? topo.node_index : -1;
      }
      break;
  }
  switch (model) {
    case Model::serial:
    case Model::processes:
      p.threads = 1;
      p.workers = 1;
      break;
    case Model::threads:
      p.threads = io && job.run.threads == 0 ? job.io.concurrency : rank_threads(job, topo);
      p.workers = p.threads;
      break;
    case Model::processes_threads:
      p.threads = io && job.run.threads == 0 ? job.io.concurrency : hybrid_threads(job, topo);
      p.workers = p.threads;
      break;
    case Model::async:
    case Model::processes_async:
      p.threads = 1;
      p.workers = io ? job.io.concurrency : 1;
      break;
  }
  p.dynamic = is_distributed(model) && job.run.schedule == Schedule::dynamic;
  return p;
}

std::vector<Model> compare_models(WorkloadKind workload) {
  if (workload == WorkloadKind::io) {
    return {Model::serial, Model::threads, Model::async, Model::processes, Model::processes_async};
  }
  return {Model::serial, Model::threads, Model::async, Model::processes,
          Model::processes_threads};
}

}  // namespace fanout
