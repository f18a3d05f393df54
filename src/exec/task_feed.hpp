// TaskFeed: task ids one at a time from a TaskSource, and none once a stop is requested.
#pragma once

#include <optional>

#include "exec/executor.hpp"

namespace fanout {

/// The pull-a-range loop every engine shares: ranges are taken from the source lazily, ids handed
/// out one by one, and the stop flag is checked before every id, so an engine that asks its feed
/// before each task starts none after a stop. Not thread-safe: one feed per worker thread (the
/// source behind it is).
class TaskFeed {
 public:
  TaskFeed(TaskSource& source, const StopFlag* stop) : source_(source), stop_(stop) {}

  /// The next task to start, or nullopt when the source is dry or a stop was requested.
  std::optional<TaskId> next() {
    if (stop_requested(stop_)) return std::nullopt;
    while (current_.empty()) {
      if (dry_) return std::nullopt;
      const std::optional<TaskRange> range = source_.next();
      if (!range) {
        dry_ = true;
        return std::nullopt;
      }
      current_ = *range;
    }
    return current_.begin++;
  }

 private:
  TaskSource& source_;
  const StopFlag* stop_;
  TaskRange current_;
  bool dry_ = false;
};

}  // namespace fanout
