// Writing report files: each replaced atomically, and only ever a regular file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace fanout {

/// Writes text to path through a temporary file in the same directory, fsync, then rename, so
/// readers (and a job killed mid-write) see either the old file or the whole new one, never half
/// of it. The file gets mode 0666 minus the umask. A symlink is followed: the file it points to
/// is replaced and the link stays. Something at the path that is not a regular file (a device,
/// a FIFO, a socket, a directory) is never replaced. Throws std::system_error naming the path on
/// failure, leaving no temporary file behind.
void write_file_atomically(const std::string& path, const std::string& text);

/// Gives a file's bytes, in order, to `write`, which may be called any number of times.
using FileProducer = std::function<void(const std::function<void(std::string_view)>& write)>;

/// write_file_atomically of what `produce` gives, written as it comes, so a file far larger than
/// memory (rows streamed to a spool) is replaced the same way: never half of it under `path`.
/// What `produce` throws leaves no temporary file behind and is rethrown.
void write_produced_atomically(const std::string& path, const FileProducer& produce);

/// A file built by appending over a whole run and published once: the bytes go to a temporary
/// file beside `path` (created at once, under the rules of write_file_atomically: a symlink is
/// followed, only a regular file is replaced), which publish() renames onto `path`, so appending
/// costs only the bytes appended and a reader never sees half a file. The destructor removes a
/// temporary that was never published. Not thread-safe. Every failure throws std::system_error
/// naming the path.
class PendingFile {
 public:
  explicit PendingFile(const std::string& path);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  void append(std::string_view bytes);
  /// Bytes appended so far.
  std::uint64_t size() const { return size_; }
  /// Replaces `path` with a copy of the first `bytes` bytes (write_produced_atomically); the
  /// temporary stays and appending goes on: what is measured so far, under the final name.
  void publish_copy(std::uint64_t bytes) const;
  /// Cuts the temporary to its first `bytes` bytes, syncs it and renames it onto `path`. Once:
  /// nothing may be appended or published after.
  void publish(std::uint64_t bytes);
  bool published() const { return fd_ < 0; }

 private:
  std::string path_;  ///< the target, its symlink followed
  std::string tmp_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

/// The directory `path` is in: its parent, or "." for a bare name.
std::string directory_of(const std::string& path);

}  // namespace fanout
