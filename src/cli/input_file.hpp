// Reading a user's input file whole and safely: only a regular file (never blocking on a FIFO or
// reading a device forever), at most a size cap; and naming what a path is when it is not a file.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace fanout {

/// A path a command reads or writes, and the flag or key that named it ("--json", "job file").
struct NamedPath {
  std::string path;
  std::string flag;
};

/// Why an input file could not be read: the reason only ("it is a FIFO (named pipe), not a regular
/// file"), for the caller to prefix with the file and the flag that named it.
class InputFileError : public std::runtime_error {
 public:
  explicit InputFileError(const std::string& why) : std::runtime_error(why) {}
};

/// "a directory", "a FIFO (named pipe)", "a socket", "a character device", "a block device",
/// "a regular file", "a symbolic link": what `mode` (st_mode) is, for error messages.
std::string file_type_name(mode_t mode);

/// Reads `path` whole. It must be a regular file (a symlink to one is followed) of at most
/// `max_bytes`; it is opened without blocking, so a FIFO is refused at once. Throws
/// InputFileError with the reason otherwise.
std::string read_input_file(const std::string& path, std::uint64_t max_bytes);

/// Checks that `path` is a regular file (a symlink to one is followed) before it is streamed, so a
/// FIFO or a device is refused at once. Throws InputFileError with the reason otherwise.
void check_input_file(const std::string& path);

}  // namespace fanout
