// A small de-duplicating message list guarded by a mutex (only failures reach it, so it is cold).
#include "http/distinct_errors.hpp"

#include <algorithm>

namespace fanout {

void DistinctErrors::add(const std::string& key, const std::string& message) {
  std::lock_guard lock(mutex_);
  if (messages_.size() >= cap_) return;
  if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) return;
  keys_.push_back(key);
  messages_.push_back(message);
}

std::vector<std::string> DistinctErrors::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

}  // namespace fanout
