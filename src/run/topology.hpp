// The launch as this rank sees it: ranks, nodes, and the cores it may use.
#pragma once

#include "mpi/world.hpp"
#include "run/placement.hpp"

namespace fanout {

Topology topology_of(const World& world);

}  // namespace fanout
