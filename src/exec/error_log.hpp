// ErrorLog: the first few distinct task error messages of a run, collected safely from any thread.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

/// Thread-safe, bounded, first-seen order. Per-task detail lives in the Samples; this only gives
/// the report a readable hint of what went wrong. The lock is taken only on the error path.
class ErrorLog {
 public:
  /// Messages kept per run, and per report after merging ranks and repetitions.
  static constexpr std::size_t kMaxMessages = 10;

  /// Keeps `message` unless one with the same `key` was kept already or the log is full; counts it
  /// as dropped if full. The key says what counts as "the same" error (curl's messages carry
  /// varying numbers, e.g. elapsed ms). Never throws, so workers may call it from a catch block
  /// inside an OpenMP region.
  void add(std::string_view key, std::string_view message) noexcept;
  /// The kept messages, plus a last line saying how many distinct others were dropped, if any.
  std::vector<std::string> messages() const;
  void clear();

  /// Appends the messages of `from` not yet in `into`, keeping at most kMaxMessages: how ranks'
  /// and repetitions' lists merge into a report's.
  static void merge_into(std::vector<std::string>& into, const std::vector<std::string>& from);

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> keys_;
  std::vector<std::string> messages_;
  std::vector<std::string> dropped_keys_;
};

}  // namespace fanout
