// Per-key request counts behind /flaky/N/KEY, so retry tests see the first N attempts fail.
#include "server/flaky_registry.hpp"

namespace fanout {

std::uint64_t FlakyRegistry::next_attempt(std::string_view key) {
  std::lock_guard lock(mutex_);
  return ++attempts_[std::string(key)];
}

std::uint64_t FlakyRegistry::count(std::string_view key) {
  std::lock_guard lock(mutex_);
  const auto it = attempts_.find(std::string(key));
  return it == attempts_.end() ? 0 : it->second;
}

}  // namespace fanout
