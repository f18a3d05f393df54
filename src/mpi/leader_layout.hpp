// LeaderLayout: whether dynamic dispatch puts a leader on each node, and what counts as a node.
#pragma once

#include <functional>

namespace fanout {

/// Dynamic dispatch serves the ranks of each node through one leader rank of that node (its
/// lowest participating rank), which takes node-sized chunks from rank 0; rank 0 serves its own
/// node's ranks and the leaders. Flat (every rank asks rank 0) is the default on one node.
struct LeaderLayout {
  enum class Mode {
    automatic,  ///< leaders when the ranks span more than one node
    never,
    always,
  };
  Mode mode = Mode::automatic;
  /// Ranks per node: 0 takes the nodes MPI reports (ranks sharing memory); k > 0 groups ranks
  /// k at a time by rank, to try leaders on one machine.
  int node_size = 0;
  /// Most node leaders rank 0 serves directly: above that, the node leaders go in groups of at
  /// most `fanout`, each group's first leader also serving the others of its group.
  int fanout = 64;
};

/// From FANOUT_DISPATCH_LEADERS (auto, 0 or 1; unset is auto), FANOUT_DISPATCH_NODE_SIZE (a
/// whole number of ranks, unset or 0 for the nodes MPI reports) and FANOUT_DISPATCH_FANOUT (a
/// whole number, 2 or more; unset is 64), read through `get` (std::getenv in use). Throws
/// ConfigError naming the variable and what would be valid.
LeaderLayout leader_layout_from_env(const std::function<const char*(const char*)>& get);

}  // namespace fanout
