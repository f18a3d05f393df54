// One committing thread per log: batches of lines, one write() and one fdatasync() each, at most
// one batch an interval unless a caller waits for its lines.
#include "workload/group_commit_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/config_error.hpp"
#include "workload/append_log.hpp"

namespace fanout {
namespace {

/// Where the file's last whole line ends: `size` when it ends with a newline (or is empty), else
/// just after its last newline (0 when it has none). A read error counts as whole: nothing is cut.
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

}  // namespace

GroupCommitLog::GroupCommitLog(const std::string& path, const std::string& option,
                               const std::string& header, Hooks hooks,
                               std::chrono::milliseconds interval)
    : fd_(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)),
      hooks_(std::move(hooks)),
      interval_(interval) {
  if (fd_ < 0) {
    throw ConfigError(option + " " + path + ": cannot open it for appending (" +
                      std::strerror(errno) + ")");
  }
  const auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd_);
    throw ConfigError(option + " " + path + ": cannot " + what + " it (" + std::strerror(err) +
                      ")");
  };
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail("read");
  const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t whole = whole_lines_end(fd_, size);
  if (whole != size) {
    // A kill cut the last batch's write (Linux stops a write to a file between pages for a fatal
    // signal): readers skip the torn line; cut it, so that the lines appended now stay whole.
    if (::ftruncate(fd_, static_cast<off_t>(whole)) != 0) fail("cut the torn last line of");
    cut_bytes_ = size - whole;
  }
  if (!header.empty() && whole == 0 && (!write_all(fd_, header + "\n") || ::fdatasync(fd_) != 0)) {
    fail("write");
  }
  thread_ = std::thread([this] { run(); });
}

GroupCommitLog::~GroupCommitLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  ::close(fd_);
}

void GroupCommitLog::post(std::string_view lines) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    if (failed_) return;
    first = pending_.empty();
    pending_.append(lines);
    ++posted_;
  }
  // Only the first line of a batch wakes the thread (a wake-up per line would cost a context
  // switch per task): it then waits out the interval whatever else arrives.
  if (first) wake_.notify_one();
}

bool GroupCommitLog::commit() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = posted_;
  if (committed_ < target) {
    urgent_ = true;
    wake_.notify_one();
    done_.wait(lock, [&] { return committed_ >= target || failed_; });
  }
  return !failed_;
}

bool GroupCommitLog::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::uint64_t GroupCommitLog::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void GroupCommitLog::run() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mutex_);
  Clock::time_point last = Clock::now() - interval_;
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || urgent_ || !pending_.empty(); });
    if (pending_.empty() && stopping_) break;
    // Group commit: what arrives within an interval of the last commit waits for the next one,
    // unless a caller waits for it (or the log is closing).
    if (!urgent_ && !stopping_) {
      wake_.wait_until(lock, last + interval_, [&] { return urgent_ || stopping_; });
    }
    std::string batch;
    batch.swap(pending_);
    const std::uint64_t upto = posted_;
    urgent_ = false;
    lock.unlock();
    bool ok = true;
    if (!batch.empty()) {
      ok = (!hooks_.before || hooks_.before()) && write_all(fd_, batch) && ::fdatasync(fd_) == 0;
      if (ok && hooks_.durable) hooks_.durable(batch);
    }
    last = Clock::now();
    lock.lock();
    if (!ok) failed_ = true;
    committed_ = upto;
    ++commits_;
    done_.notify_all();
  }
}

}  // namespace fanout
