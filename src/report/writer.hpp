// Writing report files: output paths checked before the run, files replaced atomically after it.
#pragma once

#include <string>

namespace fanout {

/// Writes text to path through a temporary file in the same directory, fsync, then rename, so
/// readers (and a job killed mid-write) see either the old file or the whole new one, never half
/// of it. The file gets mode 0666 minus the umask. Throws std::system_error naming the path on
/// failure, leaving no temporary file behind.
void write_file_atomically(const std::string& path, const std::string& text);

/// Validates an output path before any work starts: not empty, not a directory, its directory
/// exists, is a directory and is writable. Throws ConfigError naming the flag, e.g.
/// "--json out/x.json: directory 'out' does not exist".
void check_output_path(const std::string& path, const std::string& flag);

}  // namespace fanout
