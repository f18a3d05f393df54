// The launch as this rank sees it: ranks, nodes, and the cores it may use.
#pragma once

#include "app/placement.hpp"
#include "dist/world.hpp"

namespace fanout {

/// Online cores of this machine.
int online_cores();

Topology topology_of(const World& world);

}  // namespace fanout
