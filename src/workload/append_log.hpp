// Helpers of the logs of finished tasks: whole writes and reads, an AppendLog that several
// processes append lines to with one write() each (O_APPEND), and logs streamed back line by line.
// The joblog and the download journal have one writer each (GroupCommitLog).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace fanout {

/// Writes all of `text` to `fd`, retrying short writes and EINTR. False on failure (errno set).
bool write_all(int fd, std::string_view text);
/// The same at `offset` (pwrite), for a file whose writer keeps its own end.
bool write_all_at(int fd, std::string_view text, std::uint64_t offset);
/// Reads exactly `n` bytes at `offset` (pread); false at the end of the file or on an error.
bool read_all_at(int fd, char* into, std::size_t n, std::uint64_t offset);

/// An open log that lines are appended to. One write() per line on an O_APPEND descriptor, so
/// lines from several ranks never interleave on a local or POSIX cluster file system, and a line
/// written is kept when the process is killed the next instant.
class AppendLog {
 public:
  /// Opens `path` for appending, creating it; with a non-empty `header`, writes it (and a newline)
  /// when the file is new or empty. Throws ConfigError naming `option` and `path` when it cannot.
  AppendLog(const std::string& path, const std::string& option, const std::string& header);
  ~AppendLog();
  AppendLog(const AppendLog&) = delete;
  AppendLog& operator=(const AppendLog&) = delete;
  /// Appends `line`, which ends with its newline; thread-safe. False when the write failed.
  bool append(std::string_view line) const;

 private:
  int fd_ = -1;
};

/// Where the last whole line ends among the first `size` bytes of `fd`: the byte after its
/// newline, 0 when there is none, `size` when they cannot be read. What follows it is a line a
/// kill cut short.
std::uint64_t whole_lines_end(int fd, std::uint64_t size);

/// Called with each complete line (without its newline) and its 1-based number.
using LineVisitor = std::function<void(const std::string& line, std::uint64_t lineno)>;

/// Streams the regular file at `path` line by line through `visit` (a million lines cost one
/// line at a time). A last line without its newline (a write cut by a kill) is skipped. Returns
/// false when the file does not exist; throws ConfigError naming `option` when it is not a
/// regular file or cannot be read.
bool read_complete_lines(const std::string& path, const std::string& option,
                         const LineVisitor& visit);

}  // namespace fanout
