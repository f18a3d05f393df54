// A lock-free chunked cursor over one range: workers fetch_add their way through it.
#include "exec/range_source.hpp"

#include <algorithm>

namespace fanout {

RangeSource::RangeSource(TaskRange range, TaskId chunk, const StopFlag* stop)
    : range_(range), chunk_(chunk == 0 ? 1 : chunk), next_(range.begin), stop_(stop) {}

std::optional<TaskRange> RangeSource::next() {
  if (stop_requested(stop_)) return std::nullopt;
  if (next_.load(std::memory_order_relaxed) >= range_.end) return std::nullopt;
  const TaskId begin = next_.fetch_add(chunk_, std::memory_order_relaxed);
  if (begin >= range_.end) return std::nullopt;
  return TaskRange{begin, std::min(begin + chunk_, range_.end)};
}

}  // namespace fanout
