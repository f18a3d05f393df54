// S4U transport: detached puts of heap-allocated messages, received as unique_ptrs.
#include "sim/post.hpp"

#include <memory>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Mailbox.hpp>
#include <string>

namespace fanout::sim {

namespace s4u = simgrid::s4u;

namespace {

std::uint64_t wire_bytes(dispatch::Tag tag) {
  switch (tag) {
    case dispatch::Tag::request:
      return kRequestBytes;
    case dispatch::Tag::grant:
      return kGrantBytes;
    case dispatch::Tag::quit:
      return kQuitBytes;
  }
  return kRequestBytes;
}

}  // namespace

Post::Post(int actors) {
  boxes_.reserve(static_cast<std::size_t>(actors));
  for (int i = 0; i < actors; ++i) {
    // Built by appending: "a" + std::to_string(i) trips g++ 12's -Wrestrict false positive.
    std::string name = "a";
    name += std::to_string(i);
    boxes_.push_back(s4u::Mailbox::by_name(name));
  }
}

void Post::open(int me) { boxes_[static_cast<std::size_t>(me)]->set_receiver(s4u::Actor::self()); }

void Post::close(int me) { boxes_[static_cast<std::size_t>(me)]->set_receiver(nullptr); }

void Post::send(int from, dispatch::Outbox& out) {
  for (const dispatch::Message& m : out) {
    auto* payload = new dispatch::Message(m);
    payload->peer = from;  // on arrival, peer names the sender
    boxes_[static_cast<std::size_t>(m.peer)]
        ->put_init(payload, wire_bytes(m.tag))
        ->detach([](void* p) { delete static_cast<dispatch::Message*>(p); });
  }
  out.clear();
}

dispatch::Message Post::receive(int me) {
  const std::unique_ptr<dispatch::Message> m(
      boxes_[static_cast<std::size_t>(me)]->get<dispatch::Message>());
  return *m;
}

}  // namespace fanout::sim
