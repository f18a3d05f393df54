// Atomic file replacement (temp + fsync + rename) of regular files only, written at once or
// appended to over a run.
#include "report/writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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
    throw_errno(EINVAL,
                "refusing to replace " + target + ", which is " + file_type_name(st.st_mode));
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

namespace {

/// A new temporary file beside `path`, named for it, with the mode the file will have; its
/// descriptor. Throws naming the path.
int make_temporary(const std::string& path, std::string& tmp) {
  const std::string dir = directory_of(path);
  tmp = dir + "/." + fs::path(path).filename().string() + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw_errno(errno, "cannot create a temporary file in '" + dir + "' for " + path);
  if (::fchmod(fd, file_mode()) != 0) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    throw_errno(err, "cannot set the mode of " + path);
  }
  return fd;
}

void write_all(int fd, std::string_view text, const std::function<void()>& fail) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail();
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

/// Makes a rename in `dir` durable; a failure here loses nothing already written.
void sync_directory(const std::string& dir) {
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace

void write_produced_atomically(const std::string& given_path, const FileProducer& produce) {
  const std::string path = write_target(given_path);
  const std::string dir = directory_of(path);
  std::string tmp;
  const int fd = make_temporary(path, tmp);
  bool cleaned = false;  // the temporary file is gone (a failed write of it)
  auto fail = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    cleaned = true;
    throw_errno(err, what + " " + path);
  };
  const auto put = [&](std::string_view text) {
    write_all(fd, text, [&] { fail("cannot write"); });
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
  sync_directory(dir);
}

PendingFile::PendingFile(const std::string& path) : path_(write_target(path)) {
  fd_ = make_temporary(path_, tmp_);
}

PendingFile::~PendingFile() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
}

void PendingFile::append(std::string_view bytes) {
  if (fd_ < 0) throw_errno(EBADF, "cannot append to " + path_ + " once it is published");
  write_all(fd_, bytes, [&] { throw_errno(errno, "cannot write " + path_); });
  size_ += bytes.size();
}

void PendingFile::publish_copy(std::uint64_t bytes) const {
  if (fd_ < 0) throw_errno(EBADF, "cannot copy " + path_ + " once it is published");
  bytes = std::min(bytes, size_);
  write_produced_atomically(path_, [&](const auto& put) {
    std::string buffer(std::size_t{1} << 20, '\0');
    for (std::uint64_t done = 0; done < bytes;) {
      const auto want =
          static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), bytes - done));
      const ssize_t n = ::pread(fd_, buffer.data(), want, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw_errno(n < 0 ? errno : EIO, "cannot read back the rows of " + path_);
      put(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      done += static_cast<std::uint64_t>(n);
    }
  });
}

void PendingFile::publish(std::uint64_t bytes) {
  if (fd_ < 0) throw_errno(EBADF, "cannot publish " + path_ + " twice");
  const auto fail = [&](const std::string& what) { throw_errno(errno, what + " " + path_); };
  // Always cut: a write that failed half-way may have left bytes past size_.
  if (::ftruncate(fd_, static_cast<off_t>(std::min(bytes, size_))) != 0) fail("cannot cut");
  if (::fsync(fd_) != 0) fail("cannot fsync");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    throw_errno(err, "cannot close " + path_);
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    throw_errno(err, "cannot rename the temporary file onto " + path_);
  }
  sync_directory(directory_of(path_));
}

}  // namespace fanout
