// Saving response bodies: safe file names derived from URLs, created only inside the output
// directory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "exec/task.hpp"

namespace fanout {

/// Longest file name body_file_name() returns, well under NAME_MAX (255) to leave room for a
/// suffix.
inline constexpr std::size_t kMaxBodyNameLength = 160;

/// "<id>-<url without scheme>", every byte outside [A-Za-z0-9._-] replaced by '_', no "..", at most
/// kMaxBodyNameLength bytes. Never empty, never starts with '.', never contains a path separator;
/// nothing is percent-decoded. The task id keeps repeats of one URL apart.
std::string body_file_name(TaskId id, std::string_view url);

/// The output directory of one engine, held open so every body file is created relative to it.
/// Thread-safe after construction.
class BodyDir {
 public:
  /// Opens `path`, creating it (one level, mode 0755) if missing. Throws ConfigError naming
  /// "--io.output PATH" if it cannot be created or is not a directory.
  explicit BodyDir(const std::string& path);
  ~BodyDir();
  BodyDir(const BodyDir&) = delete;
  BodyDir& operator=(const BodyDir&) = delete;

  const std::string& path() const { return path_; }
  /// The directory's descriptor, for files made with openat() and renamed with renameat().
  int fd() const { return fd_; }

  /// Creates a new file for task `id`'s body with O_CREAT|O_EXCL|O_NOFOLLOW inside the directory.
  /// If the name is taken (an earlier run, or a planted symlink), tries "NAME.1", "NAME.2", ... so
  /// nothing existing is ever opened or overwritten. Returns the fd and sets `name`, or returns -1
  /// with errno set.
  int create(TaskId id, std::string_view url, std::string& name) const;

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace fanout
