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
