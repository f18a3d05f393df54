// The dynamic-dispatch protocol's vocabulary: id ranges and the messages its state machines trade.
#pragma once

#include <cstdint>
#include <vector>

/// fanout's dynamic dispatch as state machines (Root, Leader, Worker) fed messages: no MPI, no
/// threads, no clocks, no I/O, so that the MPI transport and the simulation run the same code.
///
/// The transport's duties: deliver every message in `Outbox` to its `peer`, feed what arrives to
/// the addressee's on_message() with `peer` set to the sender. No ordering is assumed: a child
/// has at most one message in flight to its parent and the parent at most one to it, each sent
/// only after the previous one arrived.
namespace fanout::dispatch {

using TaskId = std::uint64_t;

/// Ids [begin, end).
struct Range {
  TaskId begin = 0;
  TaskId end = 0;
  bool empty() const { return end <= begin; }
  TaskId size() const { return empty() ? 0 : end - begin; }
  friend bool operator==(const Range&, const Range&) = default;
};

enum class Tag : std::uint8_t {
  request = 1,  ///< child -> parent: "give me up to `want` ids"
  grant = 2,    ///< parent -> child: `range`; empty means "no more", the child is done
  quit = 3,     ///< child -> parent: "I stopped early, do not wait for me"; the child is done
};

struct Message {
  Tag tag = Tag::request;
  /// For an incoming message its source, for an outgoing one its destination, in the transport's
  /// own numbering (an MPI rank in a communicator, an actor index in the simulation).
  int peer = 0;
  Range range;      ///< grant only
  TaskId want = 0;  ///< request only; 0 counts as 1
};

/// What a handler wants sent, in order. Handlers append; the transport sends and clears.
using Outbox = std::vector<Message>;

}  // namespace fanout::dispatch
