// One write() per appended line, and a reader that stops before a line a kill cut short.
#include "workload/append_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "cli/config_error.hpp"

namespace fanout {

bool write_all(int fd, std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

bool write_all_at(int fd, std::string_view text, std::uint64_t offset) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::pwrite(fd, p, left, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

bool read_all_at(int fd, char* into, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t got = ::pread(fd, into, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    into += got;
    n -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

AppendLog::AppendLog(const std::string& path, const std::string& option, const std::string& header)
    : fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) {
  if (fd_ < 0) {
    throw ConfigError(option + " " + path + ": cannot open it for appending (" +
                      std::strerror(errno) + ")");
  }
  struct stat st {};
  if (!header.empty() && ::fstat(fd_, &st) == 0 && st.st_size == 0 &&
      !write_all(fd_, header + "\n")) {
    const int err = errno;
    ::close(fd_);
    throw ConfigError(option + " " + path + ": cannot write it (" + std::strerror(err) + ")");
  }
}

AppendLog::~AppendLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool AppendLog::append(std::string_view line) const { return write_all(fd_, line); }

std::uint64_t whole_lines_end(int fd, std::uint64_t size) {
  char block[4096];
  std::uint64_t end = size;
  while (end > 0) {
    const std::uint64_t from = end > sizeof block ? end - sizeof block : 0;
    const std::size_t n = static_cast<std::size_t>(end - from);
    if (!read_all_at(fd, block, n, from)) return size;
    for (std::size_t i = n; i > 0; --i) {
      if (block[i - 1] == '\n') return from + i;
    }
    end = from;
  }
  return 0;
}

bool read_complete_lines(const std::string& path, const std::string& option,
                         const LineVisitor& visit) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  if (!S_ISREG(st.st_mode)) throw ConfigError(option + " " + path + ": not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(option + " " + path + ": cannot read it (" + std::strerror(errno) + ")");
  std::string line;
  for (std::uint64_t lineno = 1; std::getline(in, line); ++lineno) {
    // A last line without its newline was cut by a crash while it was written: not a record.
    if (in.eof()) break;
    visit(line, lineno);
  }
  if (in.bad())
    throw ConfigError(option + " " + path + ": cannot read it (" + std::strerror(errno) + ")");
  return true;
}

}  // namespace fanout
