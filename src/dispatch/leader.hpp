// Leader: the dispatch protocol's middle level, one per node, serving that node's ranks from
// node-sized chunks taken from its parent.
#pragma once

#include <deque>

#include "dispatch/protocol.hpp"

namespace fanout::dispatch {

/// Buffers ranges granted by its parent (the Root or another Leader, for a further level) and
/// grants its children's requests from them; while the buffer is empty their requests wait in a
/// queue. It asks its parent for `want_from_parent` ids whenever less than `low_water` are
/// buffered (one request in flight at most). It ends exactly once towards its parent: told "no
/// more" (then every child is told too), or by a quit once stopped or once every child is done.
/// Not thread-safe: the transport serialises calls.
class Leader {
 public:
  /// `children`: how many peers will send it requests. `low_water` 0 counts as 1.
  Leader(int parent, int children, TaskId want_from_parent, TaskId low_water);

  /// The first request to the parent (a quit if it has no children).
  void start(Outbox& out);
  /// Grants from the parent; requests and quits from children.
  void on_message(const Message& in, Outbox& out);
  /// Stops early: queued and further requests are answered "no more", the buffer is abandoned,
  /// the parent is told it quit (at once, or when the request in flight is answered).
  void stop(Outbox& out);

  bool stopped() const { return stopped_; }
  /// Every child is done and the parent expects nothing more from it.
  bool finished() const;
  /// Ids it was granted and never passed on (after a stop, or when every child quit).
  TaskId abandoned() const { return abandoned_; }
  /// Ids held for its children now.
  TaskId buffered() const { return buffered_; }
  /// Requests waiting for ids to arrive.
  std::size_t queued() const { return queue_.size(); }
  int parent() const { return parent_; }

 private:
  struct Pending {
    int peer;
    TaskId want;
  };
  bool parent_closed() const { return parent_exhausted_ || quit_sent_; }
  void grant(int peer, TaskId want, Outbox& out);
  void refuse(int peer, Outbox& out);
  void serve_queue(Outbox& out);
  void refill(Outbox& out);
  void close(Outbox& out);

  int parent_;
  int children_;
  TaskId want_;
  TaskId low_water_;
  std::deque<Range> buffer_;
  TaskId buffered_ = 0;
  std::deque<Pending> queue_;
  int done_ = 0;
  bool in_flight_ = false;
  bool parent_exhausted_ = false;
  bool closing_ = false;  ///< quit once the request in flight is answered
  bool quit_sent_ = false;
  bool stopped_ = false;
  TaskId abandoned_ = 0;
};

}  // namespace fanout::dispatch
