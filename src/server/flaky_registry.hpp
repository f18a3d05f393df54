// Per-key request counts behind /flaky/N/KEY, so retry tests see the first N attempts fail.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fanout {

/// Thread-safe attempt counter per key.
class FlakyRegistry {
 public:
  /// Counts one more request for key and returns its number: 1 for the first request, 2 for the
  /// next...
  std::uint64_t next_attempt(std::string_view key);
  /// The requests counted for key so far (0 if none).
  std::uint64_t count(std::string_view key);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> attempts_;
};

}  // namespace fanout
