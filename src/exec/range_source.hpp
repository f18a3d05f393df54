// RangeSource: a thread-safe TaskSource over one local range, handed out in chunks.
#pragma once

#include <atomic>

#include "exec/executor.hpp"
#include "exec/stop_flag.hpp"

namespace fanout {

class RangeSource : public TaskSource {
 public:
  /// Yields `range` in pieces of `chunk` tasks (the last may be shorter); chunk 0 means 1.
  /// Once `stop` (if given) is set, yields nothing more.
  RangeSource(TaskRange range, TaskId chunk, const StopFlag* stop = nullptr);
  std::optional<TaskRange> next() override;

 private:
  TaskRange range_;
  TaskId chunk_;
  std::atomic<TaskId> next_;
  const StopFlag* stop_;
};

}  // namespace fanout
