// DistinctErrors: the first few distinct transfer error messages of an I/O engine, for the report.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace fanout {

/// Thread-safe, bounded, keeps first-seen order. Per-task detail lives in the Samples; this only
/// gives the report a readable hint of what went wrong.
class DistinctErrors {
 public:
  static constexpr std::size_t kDefaultCap = 10;
  explicit DistinctErrors(std::size_t cap = kDefaultCap) : cap_(cap) {}

  /// Keeps `message` unless one with the same `key` was kept already or the log is full. The key
  /// says what counts as "the same" error (curl's messages carry varying numbers, e.g. elapsed ms).
  void add(const std::string& key, const std::string& message);
  std::vector<std::string> messages() const;

 private:
  std::size_t cap_;
  mutable std::mutex mutex_;
  std::vector<std::string> keys_;
  std::vector<std::string> messages_;
};

}  // namespace fanout
