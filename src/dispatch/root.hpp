// Root: the dispatch protocol's top, owning the cursor over every task id.
#pragma once

#include <atomic>
#include <optional>

#include "dispatch/protocol.hpp"

namespace fanout::dispatch {

/// Hands out [0, total) in ranges: to its children (workers or leaders) by message, and to the
/// transport's own local workers by take(). Each child ends exactly once: it is granted an empty
/// range ("no more") or it quits.
///
/// Threads: on_message(), stop() and finished() from one thread (the transport's dispatcher);
/// take(), stopped() and handed() from any thread.
class Root {
 public:
  /// `children`: how many peers will send it requests. `guided_floor` 0: a request gets what it
  /// wants (as far as ids are left). Above 0 (for children that are leaders, which want many ids
  /// at once): no request gets more than a child's fair share of what is left, ids left /
  /// children, nor is cut below `guided_floor` by it, so the last ids spread over the nodes
  /// instead of going to whichever leader asks first (guided self-scheduling).
  Root(TaskId total, int children, TaskId guided_floor = 0);

  /// A request is granted at once: min(want, ids left), within the guided share above (empty
  /// once drained or stopped); a quit ends that child.
  void on_message(const Message& in, Outbox& out);
  /// Up to `n` ids (0 counts as 1) for a local worker; nullopt once drained or stopped.
  std::optional<Range> take(TaskId n);
  /// Every further request is answered "no more" and take() returns nullopt. The root holds no
  /// queued requests, so nothing goes out now; `out` keeps the three machines alike.
  void stop(Outbox& out);

  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }
  /// Every child was told "no more" or quit.
  bool finished() const { return done_ >= children_; }
  /// Ids handed out so far (to children and local workers).
  TaskId handed() const;
  TaskId total() const { return total_; }

 private:
  /// Up to `n` ids, at most `cap` of them (local takes: no cap).
  std::optional<Range> take(TaskId n, TaskId cap);

  TaskId total_;
  int children_;
  TaskId guided_floor_;
  int done_ = 0;
  std::atomic<TaskId> cursor_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace fanout::dispatch
