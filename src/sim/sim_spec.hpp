// SimSpec: one simulated run of fanout's dynamic dispatch: the cluster, the dispatch tree, the
// task times and the calibrated costs.
#pragma once

#include "dispatch/protocol.hpp"
#include "sim/platform.hpp"
#include "sim/task_times.hpp"

namespace fanout::sim {

/// flat: every rank asks rank 0's dispatcher (the root); leaders: the ranks of a node ask their
/// node's leader, which takes node-sized chunks from the root (or from an upper leader), but on
/// rank 0's node, whose ranks ask the root (fanout's MPI transport's layout).
enum class Design { flat, leaders };

struct SimSpec {
  int ranks = 1000;       ///< simulated ranks, one worker each, placed `platform.cores` to a node
  PlatformSpec platform;  ///< nodes = ceil(ranks / cores), set by the options
  Design design = Design::leaders;
  /// Leaders only: node leaders per upper leader (a further level with that fan-out between the
  /// node leaders and the root, which the MPI transport does not have yet); 0 for none.
  int group = 0;
  dispatch::TaskId tasks = 0;         ///< 0: 100 per rank
  dispatch::TaskId chunk = 0;         ///< a worker's chunk; 0: fanout's auto_chunk
  dispatch::TaskId leader_chunk = 0;  ///< a node leader's chunk; 0: 2 x its ranks x chunk
  dispatch::TaskId low_water = 0;     ///< a node leader asks again below this; 0: its ranks x chunk
  /// The time the root (rank 0's dispatcher) spends on one message, request seen to reply sent:
  /// measured on a real run (fanout run's "answered N chunk requests, T each").
  double root_cost_s = 5e-6;
  double leader_cost_s = 5e-6;  ///< the same for a leader
  TaskTimeSpec times;
};

}  // namespace fanout::sim
