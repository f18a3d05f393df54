// Body file names are sanitised, never decoded, and opened with openat() on the directory's fd, so
// a hostile URL path cannot name a file outside the directory or follow a symlink to one.
#include "workload/io/body_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

/// How many "NAME.k" alternatives create() tries before giving up with EEXIST.
constexpr int kMaxNameVersions = 1000;

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

std::string body_file_name(TaskId id, std::string_view url) {
  std::string name = std::to_string(id) + "-";
  const std::size_t prefix = name.size();
  if (const auto p = url.find("://"); p != std::string_view::npos) url.remove_prefix(p + 3);
  for (char c : url) {
    if (name.size() >= kMaxBodyNameLength) break;
    if (!is_name_char(c)) c = '_';
    // A dot right after a dot would form ".." somewhere in the name.
    if (c == '.' && name.back() == '.') c = '_';
    name.push_back(c);
  }
  if (name.size() == prefix) name += "body";
  return name;
}

BodyDir::BodyDir(const std::string& path) : path_(path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    throw ConfigError("--io.output " + path + ": cannot create the directory (" +
                      std::strerror(errno) + "); give a writable directory for the bodies");
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) {
    throw ConfigError("--io.output " + path + ": not a usable directory (" + std::strerror(errno) +
                      "); give a writable directory for the bodies");
  }
  if (::faccessat(fd_, ".", W_OK | X_OK, AT_EACCESS) != 0) {
    const int err = errno;
    ::close(fd_);
    throw ConfigError("--io.output " + path + ": directory is not writable (" + std::strerror(err) +
                      "); give a writable directory for the bodies");
  }
}

BodyDir::~BodyDir() {
  if (fd_ >= 0) ::close(fd_);
}

int BodyDir::create(TaskId id, std::string_view url, std::string& name) const {
  const std::string base = body_file_name(id, url);
  for (int version = 0; version <= kMaxNameVersions; ++version) {
    name = version == 0 ? base : base + "." + std::to_string(version);
    const int fd =
        ::openat(fd_, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

}  // namespace fanout
