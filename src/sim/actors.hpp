// The simulation's actors: each drives one protocol object from src/dispatch with the Post as its
// transport, and tallies what it did.
#pragma once

#include <cstdint>
#include <vector>

#include "dispatch/leader.hpp"
#include "dispatch/protocol.hpp"
#include "dispatch/root.hpp"
#include "dispatch/worker.hpp"
#include "sim/post.hpp"
#include "sim/task_times.hpp"

namespace fanout::sim {

/// A dispatcher's (root's or leader's) work: messages it handled, simulated time it spent on them.
struct DispatcherTally {
  std::uint64_t messages = 0;
  double busy_s = 0;
  bool done = false;  ///< its protocol object said finished()
};

/// A worker's work.
struct WorkerTally {
  std::uint64_t tasks = 0;
  std::uint64_t chunks = 0;
  double task_s = 0;      ///< the sum of its tasks' times
  double longest_s = 0;   ///< its longest task
  double last_end_s = 0;  ///< simulated time its last chunk ended
  bool done = false;      ///< told "no more"
};

/// Every task id handed to a worker, to check that each ran exactly once.
class Ledger {
 public:
  explicit Ledger(dispatch::TaskId tasks) : seen_(tasks, false) {}
  void mark(dispatch::Range r);
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t out_of_range() const { return out_of_range_; }
  dispatch::TaskId distinct() const { return distinct_; }

 private:
  std::vector<bool> seen_;
  std::uint64_t duplicates_ = 0;
  std::uint64_t out_of_range_ = 0;
  dispatch::TaskId distinct_ = 0;
};

/// What a worker actor needs besides its protocol object.
struct WorkerContext {
  const TaskTimes& times;
  Ledger& ledger;
};

/// The root: each message costs it `cost_s`, then its replies leave.
void run_root(Post& post, int me, dispatch::Root& root, double cost_s, DispatcherTally& tally);
/// A leader: likewise, after its first request to its parent.
void run_leader(Post& post, int me, dispatch::Leader& leader, double cost_s,
                DispatcherTally& tally);
/// A rank: runs each chunk as one sleep of its tasks' summed times, with the next request in
/// flight meanwhile.
void run_worker(Post& post, int me, dispatch::Worker& worker, const WorkerContext& context,
                WorkerTally& tally);
/// Rank 0 in the flat design: takes chunks from the root's cursor directly, no message.
void run_local_worker(dispatch::Root& root, dispatch::TaskId chunk, const WorkerContext& context,
                      WorkerTally& tally);

}  // namespace fanout::sim
