// LogLock: one farm per joblog. The processes that append to a log hold a lock on a file beside it
// (LOG.lock) for as long as they may write, and a second farm on the same log is refused, naming
// the processes that hold it.
#pragma once

#include <string>
#include <vector>

namespace fanout {

/// An open file description lock (fcntl F_OFD_SETLK) on `LOG.lock`: kept however many other
/// descriptors of the file the process opens and closes (unlike a classic fcntl lock), never
/// inherited by the tasks (close-on-exec), released by the kernel when the process ends however it
/// ends, and honoured across the nodes of a cluster file system that supports POSIX locks (NFS,
/// Lustre mounted with flock). The lock file names its holders, one "pid host" line each.
class LogLock {
 public:
  /// The first process of a farm: takes the lock alone, writes `holder` ("pid host") as the
  /// file's only line, then shares it so that the farm's other processes can join(). Throws
  /// ConfigError naming `option` and `log_path` and the holders when another process holds it,
  /// or when the lock file cannot be made or locked.
  static LogLock lead(const std::string& log_path, const std::string& option,
                      const std::string& holder);
  /// Another process of the farm, after lead(): shares the lock and adds `holder` to the file.
  /// Throws ConfigError as lead() does when it cannot (a farm that took the log meanwhile).
  static LogLock join(const std::string& log_path, const std::string& option,
                      const std::string& holder);

  LogLock(LogLock&& other) noexcept : fd_(other.fd_), made_(std::move(other.made_)) {
    other.fd_ = -1;
  }
  LogLock& operator=(LogLock&& other) noexcept;
  LogLock(const LogLock&) = delete;
  LogLock& operator=(const LogLock&) = delete;
  /// Releases it (closing the descriptor).
  ~LogLock();

  /// Releases it and removes the lock file when lead() made it: for a farm refused before it
  /// wrote anything, which leaves nothing behind.
  void discard();

  /// "LOG.lock".
  static std::string lock_path(const std::string& log_path);

 private:
  LogLock(int fd, std::string made) : fd_(fd), made_(std::move(made)) {}
  int fd_ = -1;
  std::string made_;  ///< the lock file's path when lead() made it
};

/// True when some process holds the lock beside `log_path` now (a farm writing that log); false
/// when none does or there is no lock file.
bool log_lock_held(const std::string& log_path);

/// "pid 1234 on node01": the holder line of this process on `host`.
std::string lock_holder(const std::string& host);

/// The holders a lock file names ("pid 1234 on node01"), in the order they joined; empty when
/// the file names none.
std::vector<std::string> read_lock_holders(const std::string& lock_path);

}  // namespace fanout
