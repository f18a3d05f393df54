// simulate(): one run of fanout's dispatch protocol on a simulated cluster, and what it measured.
#pragma once

#include <cstdint>

#include "sim/sim_spec.hpp"
#include "sim/task_times.hpp"

namespace fanout::sim {

/// A dispatcher's figures over the makespan.
struct DispatcherFigures {
  std::uint64_t messages = 0;
  double busy_s = 0;
  double messages_per_s = 0;
  double busy_share = 0;  ///< busy_s / makespan
};

struct SimResult {
  int ranks = 0;
  int nodes = 0;
  int leaders = 0;
  dispatch::TaskId tasks = 0;
  dispatch::TaskId chunk = 0;
  std::uint64_t ran = 0;         ///< task runs, duplicates included
  std::uint64_t duplicates = 0;  ///< ids run more than once
  std::uint64_t missed = 0;      ///< ids never run
  std::uint64_t abandoned = 0;   ///< ids workers held and never ran (stop only)
  double task_s = 0;             ///< the sum of every task's time
  double makespan_s = 0;         ///< simulated: start to the end of the last chunk
  double efficiency = 0;         ///< task_s / (ranks x makespan_s)
  double longest_task_s = 0;
  /// No schedule ends sooner than max(task_s / ranks, longest_task_s): the efficiency the tasks
  /// themselves allow is task_s / (ranks x bound_s).
  double bound_s = 0;
  DispatcherFigures root;
  DispatcherFigures busiest_leader;  ///< the leader with the largest busy time
  double leader_busy_share_mean = 0;
  int unfinished = 0;  ///< actors still waiting when the simulation ran out of events (deadlock)
  double real_s = 0;   ///< the simulation's own wall time
  std::uint64_t peak_rss_bytes = 0;  ///< the simulator's peak resident memory
};

/// Runs the simulation. Once per process: SimGrid has one engine per process.
SimResult simulate(const SimSpec& spec, const TaskTimes& times);

}  // namespace fanout::sim
