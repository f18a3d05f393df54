// DynamicSource: task ids handed out in chunks across ranks on demand, rank 0 serving the others
// (directly, or through a leader on each node).
#pragma once

#include <memory>
#include <optional>

#include "exec/dispatch_load.hpp"
#include "exec/executor.hpp"
#include "exec/stop_flag.hpp"
#include "mpi/leader_layout.hpp"
#include "mpi/world.hpp"

namespace fanout {

/// A TaskSource over ids [0, total) shared by all ranks: whoever finishes a chunk takes the next.
/// Rank 0 works too: its workers take chunks straight from a shared atomic counter, while a
/// dispatcher thread serves the other ranks' requests from the same counter (polling with
/// MPI_Test and a sleeping back-off capped at 1/8 of the mean gap between requests, 50 us to
/// 1 ms, so it costs almost no CPU while rank 0 computes). On other ranks next() asks rank 0 and
/// keeps one request in flight ahead, so the round trip hides behind the current chunk. Every id is
/// handed out exactly once, whatever the number of ranks (more ranks than tasks, total = 0
/// included).
///
/// With leaders (see LeaderLayout: by default when the ranks span more than one node), the
/// lowest participating rank of each node but rank 0's takes node-sized chunks from rank 0 in a
/// dispatcher thread of its own (the same back-off) and serves its node's ranks, itself included,
/// so that rank 0 answers one request per node round instead of one per rank. With more node
/// leaders than LeaderLayout::fanout, they go in groups of at most that many (by rank), and each
/// group's first leader takes group rounds from rank 0 and serves its group's other leaders as
/// well as its node, so that rank 0 serves one leader per group. The protocol itself
/// (what each side sends and when) is src/dispatch's; this class carries its messages over MPI.
///
/// Lifetime: construct on every rank (collective), run the local executor, call finish() on every
/// rank. In between, this process's other threads must make no MPI calls outside src/mpi (MPI
/// runs in MPI_THREAD_SERIALIZED mode; src/mpi serialises its own calls with one lock).
class DynamicSource : public TaskSource {
 public:
  /// Collective. `chunk` tasks per hand-out (0 means 1; see auto_chunk). Ranks with
  /// `participates` false never call next(): rank 0 does not wait for them. `stop` is this
  /// rank's stop flag (may be null): once it is set, next() here returns nullopt, and on rank 0
  /// the dispatcher answers every further request "no more", so the other ranks stop too (and a
  /// leader's stop does the same for its node). `layout`: rank 0's counts; nullopt reads it
  /// from the environment (leader_layout_from_env; a bad value throws AgreedFailure on every rank).
  DynamicSource(World& world, TaskId total, TaskId chunk, bool participates,
                const StopFlag* stop = nullptr, std::optional<LeaderLayout> layout = std::nullopt);
  /// Calls finish() if it was not called (error paths).
  ~DynamicSource() override;
  DynamicSource(const DynamicSource&) = delete;
  DynamicSource& operator=(const DynamicSource&) = delete;

  /// Thread-safe. The next chunk for this rank, or nullopt once every id is handed out or this
  /// rank's stop flag is set.
  std::optional<TaskRange> next() override;

  /// Collective, after the local executor returned. On rank 0 it waits (sleeping) until every
  /// participating rank has been told "no more", then joins the dispatcher. A rank that stops
  /// before next() returned nullopt tells rank 0 so; ids it was handed but did not run stay unrun
  /// (abandoned() counts them) and the gathered samples show them missing.
  void finish();

  /// Ids this rank received but never handed to a worker (only after an early finish()); on a
  /// leader, those its node's ranks never got too.
  TaskId abandoned() const;

  /// On rank 0 after finish(): the requests its dispatcher answered (from leaders and its own
  /// node's ranks) and the time that took; zeros on the other ranks.
  DispatchLoad load() const;

  /// Whether this rank serves its node as a leader (after construction).
  bool leads() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace fanout
