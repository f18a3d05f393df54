// TreePlan: which actor runs which part of the protocol, on which node, answering to whom.
#pragma once

#include <vector>

#include "sim/sim_spec.hpp"

namespace fanout::sim {

enum class Role {
  root,    ///< rank 0's dispatcher: a dispatch::Root
  leader,  ///< a node's (or a group of nodes') dispatcher: a dispatch::Leader
  worker,  ///< a rank's workers: a dispatch::Worker asking its parent
  local,   ///< rank 0's workers: take from the root's cursor directly, no message
};

/// One actor; its index in TreePlan::actors is its peer number in messages.
struct ActorPlan {
  Role role = Role::worker;
  int node = 0;                    ///< the host it runs on
  int parent = -1;                 ///< the actor it asks (none for the root and a local worker)
  int children = 0;                ///< actors that ask it (root and leaders)
  dispatch::TaskId want = 0;       ///< leader: chunk asked of the parent; worker: its chunk
  dispatch::TaskId low_water = 0;  ///< leader: asks again when it holds fewer
};

struct TreePlan {
  std::vector<ActorPlan> actors;  ///< actors[0] is the root
  dispatch::TaskId tasks = 0;
  dispatch::TaskId chunk = 0;  ///< the workers' chunk
  int nodes = 0;
  int leaders = 0;
  int workers = 0;
};

/// The actors of a run: the root on node 0; with leaders, the upper leaders (on the first node of
/// their group), one leader per node but node 0, then the ranks; rank 0 takes from the root
/// directly, as do node 0's other ranks by message (and, flat, every rank).
TreePlan plan_tree(const SimSpec& spec);

}  // namespace fanout::sim
