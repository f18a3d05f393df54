// Post: the protocol's messages carried by SimGrid S4U mailboxes, one per actor, so that an
// Outbox the protocol filled travels over the simulated network.
#pragma once

#include <cstdint>
#include <vector>

#include "dispatch/protocol.hpp"

namespace simgrid::s4u {
class Mailbox;
}

namespace fanout::sim {

/// Simulated sizes on the wire (payload; the network model adds latency per message).
constexpr std::uint64_t kRequestBytes = 8;  ///< the chunk size wanted
constexpr std::uint64_t kGrantBytes = 16;   ///< [begin, end)
constexpr std::uint64_t kQuitBytes = 1;

class Post {
 public:
  /// Mailboxes for actors 0 .. actors-1.
  explicit Post(int actors);

  /// Called by actor `me` first: its mailbox then receives eagerly (a message is on its way as
  /// soon as it is sent, as MPI's eager protocol sends small messages, not when `me` asks).
  void open(int me);
  /// Called by actor `me` last: its mailbox stops receiving eagerly.
  void close(int me);
  /// Sends every message of `out` from actor `from`, in order, without waiting; clears `out`.
  void send(int from, dispatch::Outbox& out);
  /// The next message to actor `me` (waits in simulated time); its peer is the sender.
  dispatch::Message receive(int me);

 private:
  std::vector<simgrid::s4u::Mailbox*> boxes_;
};

}  // namespace fanout::sim
