// A lock-free chunked cursor over one range: workers fetch_add their way through it.
#include "exec/range_source.hpp"

#include <algorithm>

namespace fanout {

RangeSource::RangeSource(TaskRange range, TaskId chunk)
    : range_(range), chunk_(chunk == 0 ? 1 : chunk), next_(range.begin) {}

std::optional<TaskRange> RangeSource::next() {
  if (next_.load(std::memory_order_relaxed) >= range_.end) return std::nullopt;
  const TaskId begin = next_.fetch_add(chunk_, std::memory_order_relaxed);
  if (begin >= range_.end) return std::nullopt;
  return TaskRange{begin, std::min(begin + chunk_, range_.end)};
}

}  // namespace fanout
