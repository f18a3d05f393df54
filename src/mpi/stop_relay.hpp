// StopRelay: a stop that any one rank sees (its signal) reaches every rank while they measure.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "exec/stop_flag.hpp"
#include "mpi/world.hpp"

namespace fanout {

/// While alive, a thread on every rank watches this rank's stop flag and a message channel of its
/// own (a private communicator). A rank whose flag gets set tells rank 0; rank 0, once its flag is
/// set (by its own signal or by such a message), tells every other rank, and each sets its flag
/// with the same reason. So a SIGTERM to one rank, or to mpirun (which signals its own node's
/// ranks first and a remote node's seconds later), stops every rank's engines within about two
/// poll periods plus the tasks in flight, instead of after each rank's whole share.
///
/// Rank 0 does not wait for anyone: it tells the others the moment it sees the stop, then runs
/// `on_stop` (on the relay thread, rank 0 only), e.g. to write what is measured so far before a
/// launcher's SIGKILL can come. Each rank sends at most one message, and rank 0 one to each rank,
/// per round: O(ranks) messages even when every rank is signalled at once (Slurm). A stop that
/// replaces the one passed on (a signal or a halt after walltime, which lets tasks finish) makes
/// a second round, and runs `on_stop` again; the flag allows no further one.
class StopRelay {
 public:
  /// How often the thread looks at the flag and the channel: a wake-up costs ~30 us of CPU, so
  /// this is ~0.15 % of a core while a run measures, and a stop crosses the job in ~2 periods.
  static constexpr std::chrono::milliseconds kPoll{20};

  /// Collective. `flag` must outlive this object; `on_stop` may be empty.
  StopRelay(World& world, StopFlag& flag, std::function<void(StopReason)> on_stop = {});
  /// Without close(): stops the thread and drops the channel without talking to other ranks
  /// (a failure on the way out; the job is ending anyway).
  ~StopRelay();
  StopRelay(const StopRelay&) = delete;
  StopRelay& operator=(const StopRelay&) = delete;

  /// Collective: stops the thread (waiting for an on_stop in progress), passes on a stop it had
  /// no time for (without on_stop), then the ranks agree how many messages are still on their
  /// way and receive them, so that none is left unmatched. Stops set after this are not relayed.
  void close();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace fanout
