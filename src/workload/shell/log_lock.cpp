// The lock beside a log: open file description locks on LOG.lock, and the holders it names.
#include "workload/shell/log_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "cli/config_error.hpp"
#include "workload/append_log.hpp"

namespace fanout {
namespace {

/// The farm's refusal or failure, naming the log by the option that set it.
ConfigError lock_error(const std::string& option, const std::string& log_path,
                       const std::string& what) {
  return ConfigError(option + " " + log_path + ": " + what);
}

/// Opens (or makes: `made` says which) the lock file of `log_path`.
int open_lock_file(const std::string& log_path, const std::string& option, bool* made = nullptr) {
  const std::string path = LogLock::lock_path(log_path);
  // O_APPEND: the farm's processes add their holder lines side by side.
  constexpr int kFlags = O_RDWR | O_APPEND | O_CLOEXEC;
  int fd = ::open(path.c_str(), kFlags | O_CREAT | O_EXCL, 0644);
  if (made) *made = fd >= 0;
  if (fd < 0 && errno == EEXIST) fd = ::open(path.c_str(), kFlags | O_CREAT, 0644);
  if (fd < 0) {
    throw lock_error(option, log_path,
                     "cannot make its lock file " + path + " (" + std::strerror(errno) + ")");
  }
  return fd;
}

/// Takes (or converts to) `type` on the whole file without waiting: false when another open file
/// description holds a lock in the way.
bool try_lock(int fd, short type, const std::string& log_path, const std::string& option) {
  struct flock fl {};
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;  // the whole file
  for (;;) {
    if (::fcntl(fd, F_OFD_SETLK, &fl) == 0) return true;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EACCES) return false;
    const int err = errno;
    ::close(fd);
    throw lock_error(option, log_path,
                     "cannot lock " + LogLock::lock_path(log_path) + " (" + std::strerror(err) +
                         "); a file system without POSIX locks cannot keep two farms apart");
  }
}

[[noreturn]] void refuse(int fd, const std::string& log_path, const std::string& option) {
  ::close(fd);
  const std::vector<std::string> holders = read_lock_holders(LogLock::lock_path(log_path));
  std::string who;
  for (std::size_t i = 0; i < holders.size() && i < 3; ++i) who += (i ? ", " : "") + holders[i];
  if (holders.size() > 3) who += " and " + std::to_string(holders.size() - 3) + " more";
  if (who.empty()) who = "holders not named yet in " + LogLock::lock_path(log_path);
  throw lock_error(option, log_path,
                   "another farm is writing it (fanout " + who +
                       "); run again once it has ended, or give another joblog");
}

}  // namespace

LogLock LogLock::lead(const std::string& log_path, const std::string& option,
                      const std::string& holder) {
  bool made = false;
  const int fd = open_lock_file(log_path, option, &made);
  if (!try_lock(fd, F_WRLCK, log_path, option)) refuse(fd, log_path, option);
  // Alone: the lines of the farm before this one go, this process's line comes first.
  if (::ftruncate(fd, 0) != 0 || !write_all(fd, holder + "\n")) {
    const int err = errno;
    ::close(fd);
    throw lock_error(
        option, log_path,
        "cannot write its lock file " + lock_path(log_path) + " (" + std::strerror(err) + ")");
  }
  // A conversion: no other farm can take it in between.
  if (!try_lock(fd, F_RDLCK, log_path, option)) refuse(fd, log_path, option);
  return LogLock(fd, made ? lock_path(log_path) : "");
}

LogLock LogLock::join(const std::string& log_path, const std::string& option,
                      const std::string& holder) {
  const int fd = open_lock_file(log_path, option);
  if (!try_lock(fd, F_RDLCK, log_path, option)) refuse(fd, log_path, option);
  // The holder line only names who holds it: a failed write costs the message, not the lock.
  (void)write_all(fd, holder + "\n");
  return LogLock(fd, "");
}

LogLock& LogLock::operator=(LogLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    made_ = std::move(other.made_);
    other.fd_ = -1;
  }
  return *this;
}

void LogLock::discard() {
  // Removed while still held, so that no other farm can have taken it in between.
  if (fd_ >= 0 && !made_.empty()) ::unlink(made_.c_str());
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

LogLock::~LogLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::string LogLock::lock_path(const std::string& log_path) { return log_path + ".lock"; }

bool log_lock_held(const std::string& log_path) {
  const int fd = ::open(LogLock::lock_path(log_path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock fl {};
  fl.l_type = F_WRLCK;  // what would conflict with taking it alone: any holder
  fl.l_whence = SEEK_SET;
  const bool held = ::fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  ::close(fd);
  return held;
}

std::string lock_holder(const std::string& host) {
  return "pid " + std::to_string(::getpid()) + " on " + host;
}

std::vector<std::string> read_lock_holders(const std::string& lock_path) {
  std::vector<std::string> out;
  std::ifstream in(lock_path);
  std::string line;
  // Only whole lines of the expected form: a file of another kind names nobody.
  while (std::getline(in, line) && out.size() < 100000) {
    if (line.rfind("pid ", 0) == 0 && line.find(" on ") != std::string::npos) out.push_back(line);
  }
  return out;
}

}  // namespace fanout
