// Writing report files: each replaced atomically, and only ever a regular file.
#pragma once

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

/// The directory `path` is in: its parent, or "." for a bare name.
std::string directory_of(const std::string& path);

}  // namespace fanout
