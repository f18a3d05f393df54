// Root: an atomic cursor that requests and local takes share.
#include "dispatch/root.hpp"

#include <algorithm>
#include <stdexcept>

namespace fanout::dispatch {

Root::Root(TaskId total, int children) : total_(total), children_(children) {
  if (total > (TaskId{1} << 62)) throw std::invalid_argument("dispatch::Root: total too large");
  if (children < 0) throw std::invalid_argument("dispatch::Root: negative children");
}

std::optional<Range> Root::take(TaskId n) {
  if (stopped()) return std::nullopt;
  // At most total per take, so the cursor stays far from wrapping however many threads overshoot.
  n = std::clamp<TaskId>(n, 1, std::max<TaskId>(total_, 1));
  // The load first keeps the cursor from running far past total once it is drained.
  if (cursor_.load(std::memory_order_relaxed) >= total_) return std::nullopt;
  const TaskId begin = cursor_.fetch_add(n, std::memory_order_relaxed);
  if (begin >= total_) return std::nullopt;
  return Range{begin, std::min(begin + n, total_)};
}

void Root::on_message(const Message& in, Outbox& out) {
  if (in.tag == Tag::request) {
    const auto r = take(in.want);
    out.push_back({Tag::grant, in.peer, r.value_or(Range{}), 0});
    if (!r) ++done_;
  } else if (in.tag == Tag::quit) {
    ++done_;
  } else {
    throw std::logic_error("dispatch::Root: a grant sent to the root");
  }
}

void Root::stop(Outbox&) { stopped_.store(true, std::memory_order_relaxed); }

TaskId Root::handed() const { return std::min(cursor_.load(std::memory_order_relaxed), total_); }

}  // namespace fanout::dispatch
