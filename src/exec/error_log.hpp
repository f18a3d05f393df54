// ErrorLog: the first few task error messages of a run, collected safely from any worker thread.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "workload/task.hpp"

namespace fanout {

class ErrorLog {
 public:
  static constexpr std::size_t kMaxMessages = 10;

  /// Keeps "task <id>: <what>" if fewer than kMaxMessages are kept; counts it either way. Never
  /// throws, so workers may call it from a catch block inside an OpenMP region or a noexcept path.
  void add(TaskId id, std::string_view what) noexcept;
  /// The kept messages, plus a last line saying how many more were dropped, if any.
  std::vector<std::string> messages() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
  std::size_t dropped_ = 0;
};

}  // namespace fanout
