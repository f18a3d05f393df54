// LineChannel: the lines of the ranks' finished tasks (joblog, download journal) carried to rank 0,
// the one process that writes the log, in batches over a communicator of its own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>

#include "mpi/world.hpp"

namespace fanout {

/// On a rank other than 0, post() queues whole lines and a sender thread ships what is queued to
/// rank 0 at most every `interval` (the first line after a quiet spell at once), after
/// `before_send` made durable what the lines refer to (the rank's output records). flush() ships
/// what is queued and waits until rank 0 reports it durable. On rank 0 a drain thread, polling with
/// a sleeping back-off (50 us doubling to 5 ms, as the dynamic dispatcher's), hands each batch to
/// `root.deliver` and answers a flush once `root.commit` made all it delivered durable. Rank 0
/// writes its own lines to the log directly; it never calls post() or flush().
///
/// Lifetime: construct on every rank (collective, while no other thread of the process talks MPI
/// outside src/mpi); destroy on every rank once the lines are flushed (not collective: a rank that
/// dies with lines in flight loses only those).
class LineChannel {
 public:
  struct Root {
    std::function<void(std::string_view lines)> deliver;  ///< a batch from another rank
    std::function<bool()> commit;  ///< makes durable all delivered; false when it failed
  };
  /// Collective. `root` is used on rank 0 only, `before_send` on the others only (may be empty).
  LineChannel(World& world, Root root, std::function<bool()> before_send,
              std::chrono::milliseconds interval);
  /// Ships what is still queued (without waiting for rank 0's commit), stops the thread, frees
  /// the communicator.
  ~LineChannel();
  LineChannel(const LineChannel&) = delete;
  LineChannel& operator=(const LineChannel&) = delete;

  /// Not on rank 0. Thread-safe; whole lines, each with its newline.
  void post(std::string_view lines);
  /// Not on rank 0. Blocks until everything posted before the call is durable on rank 0. False
  /// when `before_send` failed, or rank 0 could not make the lines durable.
  bool flush();
  /// Whether lines of this rank were lost (before_send or rank 0's commit failed).
  bool failed() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace fanout
