// RangeSource: a thread-safe TaskSource over one local range, handed out in chunks.
#pragma once

#include <atomic>

#include "exec/executor.hpp"

namespace fanout {

class RangeSource : public TaskSource {
 public:
  /// Yields `range` in pieces of `chunk` tasks (the last may be shorter); chunk 0 means 1.
  RangeSource(TaskRange range, TaskId chunk);
  std::optional<TaskRange> next() override;

 private:
  TaskRange range_;
  TaskId chunk_;
  std::atomic<TaskId> next_;
};

}  // namespace fanout
