// GroupCommitLog: the one writer of a log of finished tasks (the farm's joblog, the download
// journal). Lines posted by any thread are appended in batches and made durable with fdatasync at
// most every interval, so that a crash of the node loses at most that interval's lines, and what
// counts as done is what was made durable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "workload/line_sink.hpp"

namespace fanout {

class GroupCommitLog : public LineSink {
 public:
  /// How long lines wait at most before they are appended and made durable: 50 ms, so a busy
  /// farm pays at most 20 fdatasyncs a second per rank (its records, the joblog on rank 0; each
  /// ~1-10 ms on a local disk or a parallel file system, and on ext4 a journal commit other
  /// writers wait for: at 20 ms, with every rank syncing its records each interval, the farm of
  /// tests/bench/joblog_writer.sh lost ~20 % of its tasks/s, at 50 ms none measurable), while a
  /// node crash loses at most 50 ms of finished tasks.
  static constexpr std::chrono::milliseconds kInterval{50};

  struct Hooks {
    /// Called on the committing thread before each batch is appended: makes durable what the
    /// lines refer to (this rank's output records). False: the commit fails.
    std::function<bool()> before;
    /// Called on the committing thread with each batch once it is durable (whole lines).
    std::function<void(std::string_view lines)> durable;
  };

  /// Opens `path` for appending (O_APPEND: other writers' lines, GNU parallel's, stay whole),
  /// creating it. A last line without its newline (a write a kill cut short; readers skip it) is
  /// cut off first, so that what is appended now follows whole lines. With a non-empty `header`,
  /// writes it and a newline, durably, when the file is then empty. Starts the committing thread.
  /// Throws ConfigError naming `option` and `path` when it cannot.
  GroupCommitLog(const std::string& path, const std::string& option, const std::string& header,
                 Hooks hooks = {}, std::chrono::milliseconds interval = kInterval);
  /// Commits what is posted, then stops the thread.
  ~GroupCommitLog() override;
  GroupCommitLog(const GroupCommitLog&) = delete;
  GroupCommitLog& operator=(const GroupCommitLog&) = delete;

  /// Thread-safe; `lines` are whole lines, each with its newline. Dropped once a commit failed.
  void post(std::string_view lines) override;
  /// Blocks until everything posted before the call is durable (at once, not at the next
  /// interval). False when a write, an fdatasync or the hook failed (now or before).
  bool commit() override;
  /// Whether a write, an fdatasync or the hook failed; thread-safe.
  bool failed() const override;

  /// Commits made so far (each one write and one fdatasync), for measurements.
  std::uint64_t commits() const;
  /// The bytes of a torn last line cut off on opening (0: none).
  std::uint64_t cut_bytes() const { return cut_bytes_; }

 private:
  void run();

  int fd_ = -1;
  Hooks hooks_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;  ///< the thread: lines, an urgent commit, or the end
  std::condition_variable done_;  ///< commit(): a batch made durable
  std::string pending_;
  std::uint64_t posted_ = 0;     ///< posts so far
  std::uint64_t committed_ = 0;  ///< posts durable so far
  std::uint64_t commits_ = 0;
  std::uint64_t cut_bytes_ = 0;
  bool urgent_ = false;
  bool stopping_ = false;
  bool failed_ = false;
  std::thread thread_;
};

}  // namespace fanout
