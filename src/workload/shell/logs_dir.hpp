// The farm's log directory, made when the farm is bound, and where a task's own log files go in
// it under shell.output = files.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>

namespace fanout {

/// Creates `path` and any missing parent (mode 0755) and checks that files can be created in it.
/// Throws ConfigError naming --shell.logs and what is wrong.
void make_logs_dir(const std::string& path);

/// Tasks whose log files share a bucket folder: 1000 tasks, 2000 files.
constexpr std::uint64_t kTasksPerBucket = 1000;

/// Task `seq`'s log file with extension `ext` (".out", ".err"): LOGS/B/N.ext with B = N / 1000,
/// so that no folder holds more than a thousand tasks' logs (task 12345: LOGS/12/12345.out).
std::string task_log_path(const std::string& logs_dir, std::uint64_t seq, const char* ext);

/// The bucket folders a rank has made or found, so that each costs it one mkdir. Thread-safe.
class LogBuckets {
 public:
  explicit LogBuckets(std::string logs_dir) : logs_dir_(std::move(logs_dir)) {}
  /// Makes task `seq`'s bucket unless this rank made it already: "" or why not.
  std::string make(std::uint64_t seq);

 private:
  std::string logs_dir_;
  std::mutex mutex_;
  std::unordered_set<std::uint64_t> made_;
};

}  // namespace fanout
