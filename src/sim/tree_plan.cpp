// The dispatch tree: node sizes, chunk defaults and parent links, as plain data.
#include "sim/tree_plan.hpp"

#include <algorithm>

#include "mpi/partition.hpp"

namespace fanout::sim {

TreePlan plan_tree(const SimSpec& spec) {
  TreePlan t;
  const int cores = spec.platform.cores;
  t.nodes = (spec.ranks + cores - 1) / cores;
  t.workers = spec.ranks;
  t.tasks = spec.tasks ? spec.tasks : 100 * static_cast<dispatch::TaskId>(spec.ranks);
  t.chunk = spec.chunk ? spec.chunk : auto_chunk(t.tasks, spec.ranks);
  auto& a = t.actors;
  a.push_back({Role::root, 0, -1, 0, 0, 0});

  if (spec.design == Design::flat) {
    for (int r = 0; r < spec.ranks; ++r) {
      const bool local = r == 0;
      a.push_back({local ? Role::local : Role::worker, r / cores, local ? -1 : 0, 0, t.chunk, 0});
      if (!local) ++a[0].children;
    }
    return t;
  }

  // As fanout's MPI transport lays it out: rank 0's node has no leader (rank 0 serves its ranks
  // itself, its own workers take from the cursor); every other node's leader serves that node's
  // ranks, its own included, from a buffer of two rounds (a round: a chunk for each of them).
  const auto ranks_on = [&](int node) { return std::min(cores, spec.ranks - node * cores); };
  const auto node_want = [&](int node) {
    const auto n = static_cast<dispatch::TaskId>(ranks_on(node));
    return std::pair{spec.leader_chunk ? spec.leader_chunk : 2 * n * t.chunk,
                     spec.low_water ? spec.low_water : n * t.chunk};
  };
  const int led = t.nodes - 1;  // nodes 1 .. nodes-1
  // Upper leaders, one per `group` led nodes, when there are more of them than that.
  const bool upper = spec.group > 0 && led > spec.group;
  const int groups = upper ? (led + spec.group - 1) / spec.group : 0;
  for (int g = 0; g < groups; ++g) {
    const int first = 1 + g * spec.group, count = std::min(spec.group, t.nodes - first);
    dispatch::TaskId want = 0, low = 0;
    for (int n = first; n < first + count; ++n) {
      want += node_want(n).first;
      low += node_want(n).second;
    }
    a.push_back({Role::leader, first, 0, 0, want, low});  // its node leaders count below
    ++a[0].children;
  }
  const int first_node_leader = static_cast<int>(a.size());
  for (int n = 1; n < t.nodes; ++n) {
    const int parent = upper ? 1 + (n - 1) / spec.group : 0;
    const auto [want, low] = node_want(n);
    a.push_back({Role::leader, n, parent, ranks_on(n), want, low});
    ++a[static_cast<std::size_t>(parent)].children;
  }
  for (int r = 0; r < spec.ranks; ++r) {
    const int node = r / cores;
    if (r == 0) {
      a.push_back({Role::local, 0, -1, 0, t.chunk, 0});
    } else {
      const int parent = node == 0 ? 0 : first_node_leader + node - 1;
      a.push_back({Role::worker, node, parent, 0, t.chunk, 0});
      if (node == 0) ++a[0].children;
    }
  }
  t.leaders = groups + led;
  return t;
}

}  // namespace fanout::sim
