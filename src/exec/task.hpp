// Half-open ranges of task ids (TaskId: timing/record.hpp): the unit every scheduler hands out.
#pragma once

#include "timing/record.hpp"

namespace fanout {

/// A half-open range [begin, end) of task ids.
struct TaskRange {
  TaskId begin = 0;
  TaskId end = 0;

  TaskId size() const { return end > begin ? end - begin : 0; }
  bool empty() const { return end <= begin; }
  friend bool operator==(const TaskRange&, const TaskRange&) = default;
};

}  // namespace fanout
