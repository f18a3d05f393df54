// A download's life on disk: NAME.fanout-part (and its validator in NAME.fanout-part.meta) until
// the file is complete and verified, then a rename to NAME and a journal line.
#include "workload/io/staging.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "cli/text.hpp"
#include "workload/append_log.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout {
namespace {

constexpr std::size_t kMaxValidator = 1024;
/// Body bytes gathered before a write to the part: libcurl hands them over 16 KiB at a time.
constexpr std::size_t kWriteBufferBytes = 64 * 1024;

/// The value of response header `name`, "" if absent.
std::string header(CURL* easy, const char* name) {
  struct curl_header* h = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == nullptr) return "";
  return std::string(trim(h->value));
}

bool parse_u64(std::string_view s, std::uint64_t& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc{} && ptr == s.data() + s.size();
}

/// The list entry (0-based) kEntryXattr says the file `name` in `dfd` is; false if it says none.
bool written_as_entry(int dfd, const std::string& name, std::uint64_t& index) {
  const int fd = ::openat(dfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[24];
  const ssize_t n = ::fgetxattr(fd, kEntryXattr, buf, sizeof buf);
  ::close(fd);
  std::uint64_t entry = 0;
  if (n <= 0 || !parse_u64(std::string_view(buf, static_cast<std::size_t>(n)), entry) || entry == 0) return false;
  index = entry - 1;
  return true;
}

bool later_or_same(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec >= b.tv_nsec;
}

/// The ctime a file made now in `dfd` gets: the directory's file system's clock (a remote one's
/// may differ from this node's), so it compares with the ctimes of the files there.
struct timespec directory_now(int dfd) {
  struct stat st {};
  int fd = ::openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  std::string named;
  if (fd < 0) {
    // No O_TMPFILE on this file system: a named one, gone at once.
    named = ".fanout-clock-" + std::to_string(::getpid());
    fd = ::openat(dfd, named.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  }
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    // Cannot tell: every existing final file counts as this job's, so none is replaced.
    if (fd >= 0) ::close(fd);
    return {};
  }
  ::close(fd);
  if (!named.empty()) ::unlinkat(dfd, named.c_str(), 0);
  return st.st_ctim;
}

/// renameat() that fails with EEXIST instead of replacing `to`: renameat2(RENAME_NOREPLACE), or
/// link and unlink where the file system has no such rename (NFS), or a plain rename where it
/// has neither.
int rename_no_replace(int dfd, const char* from, const char* to) {
  if (::renameat2(dfd, from, dfd, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return -1;
  if (::linkat(dfd, from, dfd, to, 0) == 0) return ::unlinkat(dfd, from, 0) == 0 || errno == ENOENT ? 0 : -1;
  if (errno == EEXIST) return -1;
  return ::renameat(dfd, from, dfd, to);
}

}  // namespace

StagingDir::StagingDir(const BodyDir& dir, std::shared_ptr<const JournalWriter> journal, JournalRecord record,
                       const UrlPlan* plan)
    : dir_(dir), job_start_(directory_now(dir.fd())), journal_(std::move(journal)), record_(std::move(record)), plan_(plan) {}

bool StagingDir::entry_names(std::uint64_t index, const std::string& name) const {
  return plan_ != nullptr && index < plan_->size() && download_name(plan_->entry(index)) == name;
}

bool StagingDir::changed_this_job(const struct stat& st) const { return later_or_same(st.st_ctim, job_start_); }

StagedFile::StagedFile(const StagingDir& dir, DiskQueue* queue) : dir_(dir), queue_(queue) {}

StagedFile::~StagedFile() { close(); }

void StagedFile::close() {
  if (fd_ >= 0) {
    // What came is kept for a resume; a failed write only leaves the part shorter.
    std::string ignored;
    flush(ignored);
    settle(ignored);
    ::close(fd_);
  }
  fd_ = -1;
  buffered_ = 0;
}

bool StagedFile::write_block(const char* data, std::size_t n, std::uint64_t offset) {
  std::size_t at = 0;
  while (at < n) {
    const ssize_t w = ::pwrite(fd_, data + at, n - at, static_cast<off_t>(offset + at));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      disk_error_ = "cannot write " + dir_.dir().path() + "/" + part_ + ": " +
                    std::strerror(w < 0 ? errno : ENOSPC);
      disk_end_ = offset + at;
      disk_failed_.store(true, std::memory_order_release);
      return false;
    }
    at += static_cast<std::size_t>(w);
  }
  if (digest_ != nullptr) digest_->update(data, n);
  return true;
}

std::size_t StagedFile::block_bytes() const {
  return queue_ != nullptr ? queue_->block_bytes() : kWriteBufferBytes;
}

void StagedFile::take_block_buffer() {
  buf_ = queue_ != nullptr ? queue_->take_buffer()
                           : std::make_unique_for_overwrite<char[]>(kWriteBufferBytes);
}

bool StagedFile::flush(std::string& error) {
  if (disk_failed_.load(std::memory_order_acquire)) {
    buffered_ = 0;
    return settle(error);
  }
  if (buffered_ == 0) return true;
  const std::uint64_t offset = written_ - buffered_;
  const std::size_t n = buffered_;
  buffered_ = 0;
  if (queue_ == nullptr) {
    if (write_block(buf_.get(), n, offset)) return true;
    return settle(error);
  }
  // The block goes to the disk thread with its buffer; this file takes another from the pool.
  last_block_ = queue_->post(std::move(buf_), n, [this, n, offset](const char* block) {
    if (!disk_failed_.load(std::memory_order_relaxed)) write_block(block, n, offset);
  });
  take_block_buffer();
  return true;
}

std::uint64_t StagedFile::post_tail() {
  if (queue_ == nullptr || fd_ < 0) return 0;
  // A failed block is reported by finish(), which settles first.
  std::string later;
  flush(later);
  return last_block_;
}

bool StagedFile::settle(std::string& error) {
  if (queue_ != nullptr) queue_->wait(last_block_);
  if (!disk_failed_.load(std::memory_order_acquire)) return true;
  error = disk_error_;
  // The part ends where the file does: what is not in it is not counted.
  written_ = std::min(written_, disk_end_);
  return false;
}

void StagedFile::drop_part() {
  // Unlinked while the lock is held: no other transfer can have opened this part meanwhile.
  ::unlinkat(dir_.dir().fd(), part_.c_str(), 0);
  if (sidecar_) ::unlinkat(dir_.dir().fd(), meta_.c_str(), 0);
  buffered_ = 0;
  close();
  written_ = 0;
  resume_from_ = 0;
}

bool StagedFile::begin(const UrlEntry& e, std::uint64_t index, Digest* digest, std::string& error) {
  close();
  disk_failed_.store(false, std::memory_order_relaxed);
  disk_error_.clear();
  entry_ = e;
  index_ = index;
  digest_ = digest;
  name_ = download_name(e);
  part_ = name_ + std::string(kPartSuffix);
  meta_ = name_ + std::string(kMetaSuffix);
  resume_from_ = 0;
  written_ = 0;
  validator_.clear();
  saving_ = false;
  responded_ = false;
  clash_ = false;
  stale_final_ = false;
  sidecar_ = false;
  buffered_ = 0;
  outcome_ = DownloadOutcome::fetched;
  file_bytes_ = 0;
  const int dfd = dir_.dir().fd();

  struct stat st {};
  if (::fstatat(dfd, name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const bool size_ok = e.size < 0 || size == static_cast<std::uint64_t>(e.size);
    // Journaled: verified when it was renamed into place. Else its size and checksum must say so.
    bool complete = size_ok && (dir_.journaled(index) || e.size >= 0 || e.checksum.known());
    if (complete && !dir_.journaled(index) && e.checksum.known()) {
      Digest check(e.checksum.algo);
      const int fd = ::openat(dfd, name_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      complete = fd >= 0 && digest_file_prefix(fd, size, check) && check.hex_final() == e.checksum.hex;
      if (fd >= 0) ::close(fd);
    }
    if (complete) {
      outcome_ = DownloadOutcome::skipped;
      file_bytes_ = size;
      // Found complete by its size and checksum: journaled now, so a resume need not check again.
      if (!dir_.journaled(index) &&
          !dir_.record({index + 1, size, e.checksum.known() ? std::string(to_string(e.checksum.algo)) + ":" + e.checksum.hex : "", name_, e.url})) {
        error = "cannot append " + name_ + " to the journal: " + std::strerror(errno);
      }
      return false;
    }
    std::uint64_t writer = 0;
    const bool other_entry = written_as_entry(dfd, name_, writer) && writer != index &&
                             dir_.entry_names(writer, name_);
    if (other_entry || dir_.changed_this_job(st)) {
      // Not this entry's file but another line's of the same name (that line wrote it, or it
      // was written since this job began): not a stale file to replace.
      error = name_ + " belongs to " +
              (other_entry ? "entry " + std::to_string(writer + 1) + " of the list (fanout wrote it for that line)"
                           : "another entry of the list (written in this job)") +
              " and this entry's size or checksum differs: two lines name the same file; it is "
              "left as it is";
      clash_ = true;
      outcome_ = DownloadOutcome::none;
      return false;
    }
    stale_final_ = true;
    stale_dev_ = st.st_dev;
    stale_ino_ = st.st_ino;
  }

  if (!claim_part(st, error)) {
    outcome_ = DownloadOutcome::none;
    return false;
  }
  const auto have = static_cast<std::uint64_t>(st.st_size);
  if (have > 0) read_validator();
  const bool fits = e.size < 0 || have <= static_cast<std::uint64_t>(e.size);
  if (have > 0 && !validator_.empty() && fits &&
      (digest == nullptr || digest_file_prefix(fd_, have, *digest))) {
    resume_from_ = have;
    written_ = have;
    return true;
  }
  if (have > 0) {
    // Nothing tells whether the server still has the same file: fetch it whole.
    if (digest != nullptr) digest->reset();
    if (::ftruncate(fd_, 0) != 0) {
      error = "cannot truncate " + dir_.dir().path() + "/" + part_ + ": " + std::strerror(errno);
      return false;
    }
    outcome_ = DownloadOutcome::restarted;
  }
  return true;
}

void StagedFile::read_validator() {
  char buf[kMaxValidator];
  ssize_t n = ::fgetxattr(fd_, kValidatorXattr, buf, sizeof buf);
  if (n <= 0) {
    // A file system without extended attributes: the sidecar (or a part from an older fanout).
    const int mfd = ::openat(dir_.dir().fd(), meta_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (mfd < 0) return;
    sidecar_ = true;
    n = ::read(mfd, buf, sizeof buf);
    ::close(mfd);
  }
  if (n > 0) validator_ = std::string(trim(std::string_view(buf, static_cast<std::size_t>(n))));
}

bool StagedFile::claim_part(struct stat& mine, std::string& error) {
  const int dfd = dir_.dir().fd();
  fd_ = ::openat(dfd, part_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = "cannot open " + dir_.dir().path() + "/" + part_ + ": " + std::strerror(errno);
    return false;
  }
  // One writer per part at a time, over every transfer, rank and node of the job (the lock goes
  // with its holder's descriptor, so a killed run's parts are free again).
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (::fcntl(fd_, F_OFD_SETLK, &lock) != 0 && (errno == EAGAIN || errno == EACCES)) {
    error = part_ + " is being written by another transfer of this job (two lines of the list "
            "name the same file?); this one leaves it alone";
    close();
    clash_ = true;
    return false;
  }
  // The holder may have renamed it into place between our open and our lock.
  struct stat now {};
  if (::fstat(fd_, &mine) != 0 || ::fstatat(dfd, part_.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0 ||
      mine.st_ino != now.st_ino || mine.st_dev != now.st_dev) {
    error = name_ + " was completed by another transfer of this job meanwhile (two lines of the "
            "list name the same file?); this one leaves it alone";
    close();
    clash_ = true;
    return false;
  }
  return true;
}

bool StagedFile::rename_into_place(std::string& error) {
  const int dfd = dir_.dir().fd();
  int rc = 0;
  if (stale_final_) {
    // Replace the stale file begin() saw, and only that one.
    struct stat st {};
    if (::fstatat(dfd, name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        (st.st_ino != stale_ino_ || st.st_dev != stale_dev_)) {
      errno = EEXIST;
      rc = -1;
    } else {
      rc = ::renameat(dfd, part_.c_str(), dfd, name_.c_str());
    }
  } else {
    rc = rename_no_replace(dfd, part_.c_str(), name_.c_str());
  }
  if (rc == 0) return true;
  if (errno == EEXIST) {
    error = name_ + " appeared under its final name during this transfer, from another entry of "
            "the list (two lines name the same file?); it is left as it is";
    clash_ = true;
    return false;
  }
  error = "cannot rename " + part_ + " to " + name_ + " in " + dir_.dir().path() + ": " + std::strerror(errno);
  return false;
}

bool StagedFile::write_meta(const std::string& validator, std::string& error) {
  const int dfd = dir_.dir().fd();
  if (validator.empty()) {
    if (!validator_.empty()) ::fremovexattr(fd_, kValidatorXattr);
    if (sidecar_) ::unlinkat(dfd, meta_.c_str(), 0);
    sidecar_ = false;
    return true;
  }
  // On the part itself: no second file to make and remove for every download.
  if (::fsetxattr(fd_, kValidatorXattr, validator.data(), validator.size(), 0) == 0) {
    if (sidecar_) ::unlinkat(dfd, meta_.c_str(), 0);
    sidecar_ = false;
    return true;
  }
  sidecar_ = true;
  const int mfd = ::openat(dfd, meta_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (mfd < 0 || !write_all(mfd, validator + "\n")) {
    error = "cannot write " + dir_.dir().path() + "/" + meta_ + ": " + std::strerror(errno);
    if (mfd >= 0) ::close(mfd);
    return false;
  }
  ::close(mfd);
  return true;
}

bool StagedFile::on_response(CURL* easy, int status, std::string& error) {
  responded_ = true;
  if (status == 206) {
    // "bytes START-END/TOTAL": continue only where the part ends.
    const std::string range = header(easy, "Content-Range");
    std::uint64_t start = 0;
    const auto sp = range.find(' ');
    const auto dash = range.find('-');
    const bool parsed = sp != std::string::npos && dash != std::string::npos && dash > sp &&
                        parse_u64(std::string_view(range).substr(sp + 1, dash - sp - 1), start);
    if (resume_from_ == 0 || !parsed || start != resume_from_) {
      error = "the server answered 206 with Content-Range \"" + range + "\" where bytes " +
              std::to_string(resume_from_) + "- were asked for";
      drop_part();
      return false;
    }
    saving_ = true;
    outcome_ = DownloadOutcome::resumed;
    return true;
  }
  if (status >= 200 && status < 300) {
    if (written_ > 0 || resume_from_ > 0) {
      // No block of this attempt is out yet, and the earlier ones were settled by begin().
      // If-Range failed (the file changed) or the server ignores Range: the whole file comes.
      if (::ftruncate(fd_, 0) != 0) {
        error = "cannot truncate " + dir_.dir().path() + "/" + part_ + ": " + std::strerror(errno);
        return false;
      }
      if (digest_ != nullptr) digest_->reset();
      written_ = 0;
      resume_from_ = 0;
      outcome_ = DownloadOutcome::restarted;
    }
    // A weak ETag cannot validate a range (RFC 9110 13.1.5): Last-Modified then.
    std::string v = header(easy, "ETag");
    if (v.rfind("W/", 0) == 0) v.clear();
    if (v.empty()) v = header(easy, "Last-Modified");
    if (v.size() >= kMaxValidator) v.clear();
    if (!write_meta(v, error)) return false;
    saving_ = true;
    return true;
  }
  saving_ = false;
  return true;
}

bool StagedFile::write(const char* data, std::size_t len, std::string& error) {
  if (disk_failed_.load(std::memory_order_acquire)) return settle(error);
  if (!buf_) take_block_buffer();
  while (len > 0) {
    const std::size_t take = std::min(len, block_bytes() - buffered_);
    std::memcpy(buf_.get() + buffered_, data, take);
    buffered_ += take;
    written_ += take;
    data += take;
    len -= take;
    if (buffered_ == block_bytes() && !flush(error)) return false;
  }
  return true;
}

StagedFile::End StagedFile::finish(CURL* easy, bool ok, int status, std::string& error, bool& restart) {
  restart = false;
  if (!ok) {
    close();
    outcome_ = DownloadOutcome::none;
    return End::incomplete;
  }
  if (!responded_ && !on_response(easy, status, error)) {
    outcome_ = DownloadOutcome::none;
    return End::failed;
  }
  if (status == 416 && resume_from_ > 0) {
    // "bytes */TOTAL": the part may be the whole file already.
    const std::string range = header(easy, "Content-Range");
    const auto slash = range.rfind('/');
    std::uint64_t total = 0;
    const bool parsed = slash != std::string::npos && parse_u64(std::string_view(range).substr(slash + 1), total);
    if (!parsed || total != resume_from_) {
      error = "416 for bytes " + std::to_string(resume_from_) + "- (Content-Range \"" + range +
              "\"): the partial file is dropped and fetched whole";
      drop_part();
      restart = true;
      outcome_ = DownloadOutcome::none;
      return End::failed;
    }
    outcome_ = DownloadOutcome::resumed;
  } else if (!saving_) {
    // An error status: an empty part made for it goes; one an earlier run wrote stays.
    if (written_ == 0) drop_part();
    close();
    outcome_ = DownloadOutcome::none;
    return End::failed;
  }
  if (!flush(error) || !settle(error)) {
    close();
    outcome_ = DownloadOutcome::none;
    return End::failed;
  }
  file_bytes_ = written_;
  if (entry_.size >= 0 && written_ != static_cast<std::uint64_t>(entry_.size)) {
    error = name_ + ": " + std::to_string(written_) + " bytes, the list expects " + std::to_string(entry_.size);
    drop_part();
    outcome_ = DownloadOutcome::none;
    return End::bad_data;
  }
  std::string verified;
  if (digest_ != nullptr && entry_.checksum.known()) {
    const std::string hex = digest_->hex_final();
    if (hex != entry_.checksum.hex) {
      error = name_ + ": " + std::string(to_string(entry_.checksum.algo)) + " " + hex +
              ", the list expects " + entry_.checksum.hex;
      drop_part();
      outcome_ = DownloadOutcome::none;
      return End::bad_data;
    }
    verified = std::string(to_string(entry_.checksum.algo)) + ":" + hex;
  }
  // Which entry it is goes with the file (where the file system keeps extended attributes).
  const std::string entry = std::to_string(index_ + 1);
  ::fsetxattr(fd_, kEntryXattr, entry.data(), entry.size(), 0);
  // Renamed while the lock is held, so no other transfer can take the part between.
  const int dfd = dir_.dir().fd();
  if (!rename_into_place(error)) {
    outcome_ = DownloadOutcome::none;
    if (clash_) {
      drop_part();
      return End::clash;
    }
    close();
    return End::failed;
  }
  close();
  if (sidecar_) ::unlinkat(dfd, meta_.c_str(), 0);
  if (!dir_.record({index_ + 1, written_, verified, name_, entry_.url})) {
    error = "cannot append " + name_ + " to the journal: " + std::strerror(errno);
    return End::failed;
  }
  return End::done;
}

}  // namespace fanout
