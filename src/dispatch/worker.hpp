// Worker: the dispatch protocol's leaf, a rank (or actor) that runs the ids it is granted.
#pragma once

#include <optional>

#include "dispatch/protocol.hpp"

namespace fanout::dispatch {

/// Asks its parent for `chunk` ids at a time and keeps one request in flight ahead: take() hands
/// out the chunk that arrived and asks for the next at once, so the round trip hides behind the
/// work on the current one. Not thread-safe: the transport serialises calls.
class Worker {
 public:
  Worker(int parent, TaskId chunk);

  /// The first request (the first chunk travels while the transport sets up its executor).
  void start(Outbox& out);
  /// The chunk that arrived, if one did, after which the next is asked for. nullopt: wait for a
  /// message if waiting(), else there is no more (exhausted or stopped).
  std::optional<Range> take(Outbox& out);
  /// A grant feeds take(); an empty one means "no more". After stop(), what arrives is abandoned
  /// and the parent is told this worker quit.
  void on_message(const Message& in, Outbox& out);
  /// Stops early: what it holds is abandoned; the parent is told it quit (at once, or when the
  /// request in flight is answered). Nothing happens once it is exhausted.
  void stop(Outbox& out);

  /// Nothing is ready and a request is in flight: only a message moves it on.
  bool waiting() const { return in_flight_ && !ready_; }
  /// Its parent said "no more".
  bool exhausted() const { return exhausted_; }
  bool stopped() const { return stopped_; }
  /// Its parent expects nothing more from it and it expects nothing more from its parent.
  bool finished() const { return !in_flight_ && (exhausted_ || quit_sent_); }
  /// Ids it was granted and never handed out by take() (after a stop).
  TaskId abandoned() const { return abandoned_; }
  int parent() const { return parent_; }

 private:
  void request(Outbox& out);
  void quit(Outbox& out);

  int parent_;
  TaskId chunk_;
  std::optional<Range> ready_;
  bool in_flight_ = false;
  bool exhausted_ = false;
  bool stopped_ = false;
  bool quit_sent_ = false;
  TaskId abandoned_ = 0;
};

}  // namespace fanout::dispatch
