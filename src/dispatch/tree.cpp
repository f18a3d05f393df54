// place(): one pass over the peers' nodes.
#include "dispatch/tree.hpp"

#include <map>
#include <stdexcept>

namespace fanout::dispatch {

Place place(int peer, std::span<const int> node, std::span<const int> participates, bool leaders) {
  const auto peers = static_cast<int>(node.size());
  if (peers == 0 || static_cast<int>(participates.size()) != peers || peer < 0 || peer >= peers)
    throw std::invalid_argument("dispatch::place: peer or lists out of range");
  Place p;
  // Per node: its lowest participating peer and how many take part.
  struct Node {
    int first = -1;
    int count = 0;
  };
  std::map<int, Node> nodes;
  for (int q = 0; q < peers; ++q) {
    if (!participates[q]) continue;
    ++p.participants;
    auto& n = nodes[node[q]];
    if (n.first < 0) n.first = q;
    ++n.count;
  }
  const auto led = [&](int q) { return leaders && node[q] != node[0] && participates[q]; };
  if (peer == 0) {
    // Its own node's participants but itself, and one leader per other node with participants.
    for (int q = 1; q < peers; ++q)
      if (participates[q] && (!led(q) || nodes[node[q]].first == q)) ++p.children;
    return p;
  }
  if (!led(peer)) return p;  // the root's, or not taking part
  const Node& mine = nodes[node[peer]];
  p.parent = mine.first;
  if (mine.first == peer) {
    p.leads = true;
    p.children = mine.count;
  }
  return p;
}

}  // namespace fanout::dispatch
