// RankOutputLog: a rank's file of framed output records (LOGS/output/RANK.records), which its
// tasks' stdout and stderr are appended to as each attempt ends, and where it lives.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>

#include "workload/shell/output_record.hpp"

namespace fanout {

/// LOGS/output: where the ranks' record files are.
std::string output_records_dir(const std::string& logs_dir);
/// LOGS/output/RANK.records.
std::string output_records_path(const std::string& logs_dir, int rank);

/// One writer per rank (its own file, so no lock between ranks); thread-safe within the rank.
/// A record is one header write and one copy, at an offset this writer keeps (copy_file_range
/// cannot append to an O_APPEND file), made durable by sync() before the joblog lines that cover
/// them are sent to the joblog's writer.
class RankOutputLog {
 public:
  /// Opens `path`, creating it; a last record a kill cut short (an earlier run's) is cut off, so
  /// what this run appends follows whole records. Throws ConfigError naming --shell.logs when it
  /// cannot, or when the file holds something other than records.
  explicit RankOutputLog(const std::string& path);
  ~RankOutputLog();
  RankOutputLog(const RankOutputLog&) = delete;
  RankOutputLog& operator=(const RankOutputLog&) = delete;

  /// One attempt's output: the first `bytes` bytes of `fd` (read from offset 0) of each stream.
  struct Part {
    OutputStream stream;
    int fd;
    std::uint64_t bytes;
  };
  /// Appends a record per part with bytes, headed by `h` (its stream and bytes set per part),
  /// one after the other under one lock: an attempt's records are adjacent in the file. False
  /// when it could not (errno set); what it wrote of them is cut off again.
  bool append(OutputRecordHeader h, std::initializer_list<Part> parts);

  /// Makes what is appended durable (fdatasync; none when nothing was appended since the last
  /// sync): before the joblog lines of its tasks are. Thread-safe.
  bool sync();

  const std::string& path() const { return path_; }
  /// The bytes of the earlier run's torn record cut off when it was opened (0: none).
  std::uint64_t cut_bytes() const { return cut_bytes_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
  std::uint64_t end_ = 0;  ///< where the next record starts
  std::uint64_t cut_bytes_ = 0;
  std::atomic<bool> unsynced_{false};  ///< records appended since the last sync
};

/// Copies `bytes` bytes of `from` (from its offset 0) into `to` at `offset`: copy_file_range
/// (in-kernel, a reflink where the file system shares blocks), else pread/pwrite. False on an
/// error or when `from` holds fewer bytes.
bool copy_range(int from, int to, std::uint64_t offset, std::uint64_t bytes);

}  // namespace fanout
