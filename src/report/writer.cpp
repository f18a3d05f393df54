// Atomic file replacement (temp + fsync + rename) of regular files only.
#include "report/writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "cli/input_file.hpp"

namespace fanout {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

mode_t file_mode() {
  // umask can only be read by setting it; this runs once per report, after the workers are done.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

/// Where the text goes: `path`, or the file its symlink points to; refuses what is there when it
/// is not a regular file, since a rename would put a plain file in place of a device or a FIFO.
std::string write_target(const std::string& path) {
  struct stat st {};
  std::string target = path;
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    std::error_code ec;
    target = fs::canonical(path, ec).string();
    if (ec) throw_errno(ec.value(), "cannot follow the symbolic link " + path);
  }
  if (::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    throw_errno(EINVAL, "refusing to replace " + target + ", which is " + file_type_name(st.st_mode));
  }
  return target;
}

}  // namespace

std::string directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

void write_file_atomically(const std::string& path, const std::string& text) {
  write_produced_atomically(path, [&](const auto& write) { write(text); });
}

void write_produced_atomically(const std::string& given_path, const FileProducer& produce) {
  const std::string path = write_target(given_path);
  const std::string dir = directory_of(path);
  std::string tmp = dir + "/." + fs::path(path).filename().string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw_errno(errno, "cannot create a temporary file in '" + dir + "' for " + path);
  bool cleaned = false;  // the temporary file is gone (a failed write of it)
  auto fail = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    cleaned = true;
    throw_errno(err, what + " " + path);
  };
  if (::fchmod(fd, file_mode()) != 0) fail("cannot set the mode of");
  const auto put = [&](std::string_view text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot write");
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  };
  try {
    produce(put);
  } catch (...) {
    if (!cleaned) {
      ::close(fd);
      ::unlink(tmp.c_str());
    }
    throw;
  }
  if (::fsync(fd) != 0) fail("cannot fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_errno(err, "cannot close " + path);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_errno(err, "cannot rename the temporary file onto " + path);
  }
  // Make the rename itself durable; a failure here loses nothing already written.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace fanout
