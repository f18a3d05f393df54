// Root: an atomic cursor that requests and local takes share.
#include "dispatch/root.hpp"

#include <algorithm>
#include <stdexcept>

namespace fanout::dispatch {

Root::Root(TaskId total, int children, TaskId guided_floor)
    : total_(total), children_(children), guided_floor_(guided_floor) {
  if (total > (TaskId{1} << 62)) throw std::invalid_argument("dispatch::Root: total too large");
  if (children < 0) throw std::invalid_argument("dispatch::Root: negative children");
}

std::optional<Range> Root::take(TaskId n) { return take(n, total_); }

std::optional<Range> Root::take(TaskId n, TaskId cap) {
  if (stopped()) return std::nullopt;
  n = std::min(n, std::max<TaskId>(cap, 1));
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
    TaskId cap = total_;
    if (guided_floor_ > 0 && children_ > 0) {
      const TaskId left = total_ - handed();
      const auto n = static_cast<TaskId>(children_);
      cap = std::max(guided_floor_, (left + n - 1) / n);
    }
    const auto r = take(in.want, cap);
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
