// Topology from the World and the operating system's view of this process's cores.
#include "run/topology.hpp"

#include <cstdlib>

#include "launch/host.hpp"

namespace fanout {

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
