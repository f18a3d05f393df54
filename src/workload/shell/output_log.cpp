// A rank's record file: opened with its torn tail cut, then header + copy per record under a lock.
#include "workload/shell/output_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "cli/config_error.hpp"
#include "workload/append_log.hpp"

namespace fanout {
namespace {

bool copy_by_reads(int from, int to, std::uint64_t in, std::uint64_t out, std::uint64_t left) {
  std::vector<char> block(1 << 16);
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
    const ssize_t got = ::pread(from, block.data(), want, static_cast<off_t>(in));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    if (!write_all_at(to, {block.data(), static_cast<std::size_t>(got)}, out)) return false;
    in += static_cast<std::uint64_t>(got);
    out += static_cast<std::uint64_t>(got);
    left -= static_cast<std::uint64_t>(got);
  }
  return true;
}

}  // namespace

std::string output_records_dir(const std::string& logs_dir) { return logs_dir + "/output"; }

std::string output_records_path(const std::string& logs_dir, int rank) {
  return output_records_dir(logs_dir) + "/" + std::to_string(rank) + ".records";
}

bool copy_range(int from, int to, std::uint64_t offset, std::uint64_t bytes) {
  loff_t in = 0, out = static_cast<loff_t>(offset);
  std::uint64_t left = bytes;
  while (left > 0) {
    const ssize_t n = ::copy_file_range(from, &in, to, &out, left, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
                  errno == EBADF)) {
      // Another file system, or one (or a kernel) without it: the same bytes by reads.
      return copy_by_reads(from, to, static_cast<std::uint64_t>(in),
                           static_cast<std::uint64_t>(out), left);
    }
    if (n <= 0) return false;
    left -= static_cast<std::uint64_t>(n);
  }
  return true;
}

RankOutputLog::RankOutputLog(const std::string& path)
    : path_(path), fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
  if (fd_ < 0) {
    throw ConfigError("--shell.logs: cannot open " + path + " for the tasks' output (" +
                      std::strerror(errno) + ")");
  }
  const OutputScan scan = scan_output_records(fd_, [](const OutputRecordAt&) {});
  if (scan.corrupt) {
    ::close(fd_);
    throw ConfigError("--shell.logs: " + path + " holds something other than fanout's output " +
                      "records at byte " + std::to_string(scan.complete_bytes) +
                      "; move it away, or give another --shell.logs");
  }
  end_ = scan.complete_bytes;
  if (scan.torn()) {
    cut_bytes_ = scan.file_bytes - scan.complete_bytes;
    if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) {
      const int err = errno;
      ::close(fd_);
      throw ConfigError("--shell.logs: cannot cut the torn last record of " + path + " (" +
                        std::strerror(err) + ")");
    }
  }
}

RankOutputLog::~RankOutputLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool RankOutputLog::sync() {
  // Nothing appended since the last sync (tasks that print nothing write no record): no
  // fdatasync, which even with nothing to write may flush the disk's cache.
  if (!unsynced_.exchange(false)) return true;
  if (::fdatasync(fd_) == 0) return true;
  unsynced_ = true;
  return false;
}

bool RankOutputLog::append(OutputRecordHeader h, std::initializer_list<Part> parts) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t at = end_;
  for (const Part& p : parts) {
    if (p.bytes == 0) continue;
    h.stream = p.stream;
    h.bytes = p.bytes;
    const std::array<char, kOutputHeaderBytes> header = encode_header(h);
    if (!write_all_at(fd_, {header.data(), header.size()}, at) ||
        !copy_range(p.fd, fd_, at + kOutputHeaderBytes, p.bytes)) {
      const int err = errno;
      // A record half written would hide every later one from a reader: cut it off.
      (void)!::ftruncate(fd_, static_cast<off_t>(end_));
      errno = err;
      return false;
    }
    at += kOutputHeaderBytes + p.bytes;
  }
  if (at != end_) unsynced_ = true;
  end_ = at;
  return true;
}

}  // namespace fanout
