// Place: where one rank (or actor) sits in the dispatch tree, from every rank's node and whether
// it takes part.
#pragma once

#include <span>

namespace fanout::dispatch {

/// Peer 0 is the Root. Without leaders every other participant is a Worker of the root. With
/// leaders, the lowest participating peer of each node but peer 0's leads it: a Leader serving
/// that node's participants (itself included) on behalf of the root; peer 0's node is served by
/// the root directly, and a node without participants has no leader.
struct Place {
  bool leads = false;    ///< runs a Leader (and, if it participates, a Worker child of it)
  int parent = 0;        ///< its Worker's parent (for a leader: itself); the Leader's is peer 0
  int children = 0;      ///< a leader's children; the root's, on peer 0
  int participants = 0;  ///< peers that take part, over all nodes
};

/// `node[p]`: peer p's node (any numbering); `participates[p]`: whether it takes part (non-zero).
/// Pure: every peer computes its own place from the same two lists.
Place place(int peer, std::span<const int> node, std::span<const int> participates, bool leaders);

}  // namespace fanout::dispatch
