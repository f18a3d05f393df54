// A capped, mutex-guarded list of distinct error messages.
#include "exec/error_log.hpp"

#include <algorithm>

#include "cli/text.hpp"

namespace fanout {
namespace {

/// Distinct errors beyond the cap are counted up to this many keys, then only "and more".
constexpr std::size_t kMaxDroppedKeys = 1000;

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

void ErrorLog::add(std::string_view key, std::string_view message) noexcept {
  try {
    std::lock_guard lock(mutex_);
    if (contains(keys_, key)) return;
    if (messages_.size() < kMaxMessages) {
      keys_.emplace_back(key);
      messages_.emplace_back(message);
    } else if (dropped_keys_.size() < kMaxDroppedKeys && !contains(dropped_keys_, key)) {
      dropped_keys_.emplace_back(key);
    }
  } catch (...) {
    // Out of memory while recording an error: the task's Sample still carries its error class.
  }
}

std::vector<std::string> ErrorLog::messages() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out = messages_;
  if (!dropped_keys_.empty()) {
    out.push_back("... and " +
                  std::string(dropped_keys_.size() == kMaxDroppedKeys ? "at least " : "") +
                  plural(dropped_keys_.size(), "other error"));
  }
  return out;
}

void ErrorLog::clear() {
  std::lock_guard lock(mutex_);
  keys_.clear();
  messages_.clear();
  dropped_keys_.clear();
}

void ErrorLog::merge_into(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const std::string& m : from) {
    if (into.size() >= kMaxMessages) return;
    if (!contains(into, m)) into.push_back(m);
  }
}

}  // namespace fanout
