// A capped, mutex-guarded list of error messages; the lock is taken only on the error path.
#include "exec/error_log.hpp"

namespace fanout {

void ErrorLog::add(TaskId id, std::string_view what) noexcept {
  try {
    std::lock_guard lock(mutex_);
    if (messages_.size() < kMaxMessages) {
      std::string message = "task " + std::to_string(id) + ": ";
      message += what;
      messages_.push_back(std::move(message));
    } else {
      ++dropped_;
    }
  } catch (...) {
    // Out of memory while recording an error: the task's Sample still carries its error class.
  }
}

std::vector<std::string> ErrorLog::messages() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out = messages_;
  if (dropped_ > 0) out.push_back("... and " + std::to_string(dropped_) + " more");
  return out;
}

void ErrorLog::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
  dropped_ = 0;
}

}  // namespace fanout
