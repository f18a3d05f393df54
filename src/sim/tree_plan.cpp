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

  const auto ranks_on = [&](int node) { return std::min(cores, spec.ranks - node * cores); };
  const auto node_want = [&](int node) {
    const auto n = static_cast<dispatch::TaskId>(ranks_on(node));
    return std::pair{spec.leader_chunk ? spec.leader_chunk : 2 * n * t.chunk,
                     spec.low_water ? spec.low_water : n * t.chunk};
  };
  // Upper leaders, one per `group` nodes, when there are more nodes than that.
  const bool upper = spec.group > 0 && t.nodes > spec.group;
  const int groups = upper ? (t.nodes + spec.group - 1) / spec.group : 0;
  for (int g = 0; g < groups; ++g) {
    const int first = g * spec.group, count = std::min(spec.group, t.nodes - first);
    dispatch::TaskId want = 0, low = 0;
    for (int n = first; n < first + count; ++n) {
      want += node_want(n).first;
      low += node_want(n).second;
    }
    a.push_back({Role::leader, first, 0, 0, want, low});  // its node leaders count below
    ++a[0].children;
  }
  const int first_node_leader = static_cast<int>(a.size());
  for (int n = 0; n < t.nodes; ++n) {
    const int parent = upper ? 1 + n / spec.group : 0;
    const auto [want, low] = node_want(n);
    a.push_back({Role::leader, n, parent, ranks_on(n), want, low});
    ++a[parent].children;
  }
  for (int r = 0; r < spec.ranks; ++r)
    a.push_back({Role::worker, r / cores, first_node_leader + r / cores, 0, t.chunk, 0});
  t.leaders = groups + t.nodes;
  return t;
}

}  // namespace fanout::sim
