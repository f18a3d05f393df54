// Topology from the World and the operating system's view of this process's cores.
#include "app/topology.hpp"

#include <unistd.h>

#include <cstdlib>

#include "exec/worker_count.hpp"

namespace fanout {

int online_cores() {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

Topology topology_of(const World& world) {
  Topology t;
  t.rank = world.rank();
  t.size = world.size();
  t.node_index = world.node_index();
  t.node_count = world.node_count();
  t.node_rank = world.node_rank();
  t.node_size = world.node_size();
  t.affinity_cores = affinity_cores();
  t.node_cores = online_cores();
  t.omp_num_threads = std::getenv("OMP_NUM_THREADS") ? default_threads() : 0;
  return t;
}

}  // namespace fanout
