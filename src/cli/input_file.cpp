// Input files read whole: stat first, open non-blocking, refuse what is not a regular file, cap the
// size.
#include "cli/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/format.hpp"

namespace fanout {
namespace {

[[noreturn]] void refuse_type(mode_t mode) {
  throw InputFileError("it is " + file_type_name(mode) + ", not a regular file");
}

}  // namespace

std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  return "not a file";
}

void check_input_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputFileError(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) refuse_type(st.st_mode);
}

std::string read_input_file(const std::string& path, std::uint64_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputFileError(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) refuse_type(st.st_mode);
  // O_NONBLOCK: should the path become a FIFO after the stat, the open still does not wait.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw InputFileError(std::strerror(errno));
  std::string text;
  try {
    if (::fstat(fd, &st) != 0) throw InputFileError(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) refuse_type(st.st_mode);
    const auto too_large = [&] {
      return InputFileError("it is larger than " + format_bytes(max_bytes) +
                            ", more than any input of this kind needs");
    };
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) throw too_large();
    char buffer[65536];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw InputFileError(std::strerror(errno));
      if (n == 0) break;
      // The file may grow while it is read: the cap holds all the same.
      if (text.size() + static_cast<std::size_t>(n) > max_bytes) throw too_large();
      text.append(buffer, static_cast<std::size_t>(n));
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return text;
}

}  // namespace fanout
