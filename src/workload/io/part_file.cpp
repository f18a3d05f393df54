// The part-file protocol: open and OFD-lock NAME.fanout-part, its validator in an extended
// attribute (or NAME.fanout-part.meta), and a rename to NAME that never replaces another's file.
#include "workload/io/part_file.hpp"

#include <fcntl.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "cli/text.hpp"
#include "workload/append_log.hpp"
#include "workload/io/range_decision.hpp"

namespace fanout {
namespace {

/// renameat() that fails with EEXIST instead of replacing `to`: renameat2(RENAME_NOREPLACE), or
/// link and unlink where the file system has no such rename (NFS), or a plain rename where it
/// has neither.
int rename_no_replace(int dfd, const char* from, const char* to) {
  if (::renameat2(dfd, from, dfd, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return -1;
  if (::linkat(dfd, from, dfd, to, 0) == 0) {
    return ::unlinkat(dfd, from, 0) == 0 || errno == ENOENT ? 0 : -1;
  }
  if (errno == EEXIST) return -1;
  return ::renameat(dfd, from, dfd, to);
}

}  // namespace

std::optional<std::uint64_t> written_as_entry(int dfd, const std::string& name) {
  const int fd = ::openat(dfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[24];
  const ssize_t n = ::fgetxattr(fd, kEntryXattr, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  std::uint64_t entry = 0;
  const char* end = buf + n;
  const auto [ptr, ec] = std::from_chars(buf, end, entry);
  if (ec != std::errc{} || ptr != end || entry == 0) return std::nullopt;
  return entry - 1;
}

PartFile::PartFile(const BodyDir& dir, std::string name)
    : dir_(&dir),
      name_(std::move(name)),
      part_(name_ + std::string(kPartSuffix)),
      meta_(name_ + std::string(kMetaSuffix)) {}

PartFile::~PartFile() { close(); }

PartFile::PartFile(PartFile&& other) noexcept
    : dir_(other.dir_),
      name_(std::move(other.name_)),
      part_(std::move(other.part_)),
      meta_(std::move(other.meta_)),
      fd_(std::exchange(other.fd_, -1)),
      stored_validator_(std::move(other.stored_validator_)),
      sidecar_(other.sidecar_),
      stale_final_(other.stale_final_),
      stale_dev_(other.stale_dev_),
      stale_ino_(other.stale_ino_) {}

PartFile& PartFile::operator=(PartFile&& other) noexcept {
  if (this != &other) {
    close();
    dir_ = other.dir_;
    name_ = std::move(other.name_);
    part_ = std::move(other.part_);
    meta_ = std::move(other.meta_);
    fd_ = std::exchange(other.fd_, -1);
    stored_validator_ = std::move(other.stored_validator_);
    sidecar_ = other.sidecar_;
    stale_final_ = other.stale_final_;
    stale_dev_ = other.stale_dev_;
    stale_ino_ = other.stale_ino_;
  }
  return *this;
}

std::string PartFile::part_path() const { return dir_->path() + "/" + part_; }

void PartFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

PartFile::Claim PartFile::claim() {
  Claim c;
  const int dfd = dir_->fd();
  fd_ = ::openat(dfd, part_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    c.error = "cannot open " + part_path() + ": " + std::strerror(errno);
    return c;
  }
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (::fcntl(fd_, F_OFD_SETLK, &lock) != 0 && (errno == EAGAIN || errno == EACCES)) {
    c.error = part_ +
              " is being written by another transfer of this job (two lines of the list "
              "name the same file?); this one leaves it alone";
    c.clash = true;
    close();
    return c;
  }
  // The holder may have renamed it into place between our open and our lock.
  struct stat mine {};
  struct stat now {};
  if (::fstat(fd_, &mine) != 0 || ::fstatat(dfd, part_.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0 ||
      mine.st_ino != now.st_ino || mine.st_dev != now.st_dev) {
    c.error = name_ +
              " was completed by another transfer of this job meanwhile (two lines of the "
              "list name the same file?); this one leaves it alone";
    c.clash = true;
    close();
    return c;
  }
  c.bytes = static_cast<std::uint64_t>(mine.st_size);
  return c;
}

std::string PartFile::read_validator() {
  char buf[kMaxValidatorBytes];
  ssize_t n = ::fgetxattr(fd_, kValidatorXattr, buf, sizeof buf);
  if (n <= 0) {
    // A file system without extended attributes: the sidecar (or a part from an older fanout).
    const int mfd = ::openat(dir_->fd(), meta_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (mfd < 0) return "";
    sidecar_ = true;
    n = ::read(mfd, buf, sizeof buf);
    ::close(mfd);
  }
  if (n > 0) {
    stored_validator_ = std::string(trim(std::string_view(buf, static_cast<std::size_t>(n))));
  }
  return stored_validator_;
}

std::string PartFile::store_validator(const std::string& validator) {
  const int dfd = dir_->fd();
  if (validator.empty()) {
    if (!stored_validator_.empty()) ::fremovexattr(fd_, kValidatorXattr);
    if (sidecar_) ::unlinkat(dfd, meta_.c_str(), 0);
    sidecar_ = false;
    return "";
  }
  // On the part itself: no second file to make and remove for every download.
  if (::fsetxattr(fd_, kValidatorXattr, validator.data(), validator.size(), 0) == 0) {
    if (sidecar_) ::unlinkat(dfd, meta_.c_str(), 0);
    sidecar_ = false;
    return "";
  }
  sidecar_ = true;
  const int mfd =
      ::openat(dfd, meta_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (mfd < 0 || !write_all(mfd, validator + "\n")) {
    std::string error = "cannot write " + dir_->path() + "/" + meta_ + ": " + std::strerror(errno);
    if (mfd >= 0) ::close(mfd);
    return error;
  }
  ::close(mfd);
  return "";
}

std::string PartFile::truncate() {
  if (::ftruncate(fd_, 0) == 0) return "";
  return "cannot truncate " + part_path() + ": " + std::strerror(errno);
}

void PartFile::replace_final(const struct stat& st) {
  stale_final_ = true;
  stale_dev_ = st.st_dev;
  stale_ino_ = st.st_ino;
}

void PartFile::mark_entry(std::uint64_t index) {
  const std::string entry = std::to_string(index + 1);
  ::fsetxattr(fd_, kEntryXattr, entry.data(), entry.size(), 0);
}

PartFile::Rename PartFile::rename_into_place() {
  Rename r;
  const int dfd = dir_->fd();
  int rc = 0;
  if (stale_final_) {
    // Replace the stale file begin saw, and only that one.
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
  if (rc == 0) {
    close();
    if (sidecar_) ::unlinkat(dfd, meta_.c_str(), 0);
    return r;
  }
  if (errno == EEXIST) {
    r.error = name_ +
              " appeared under its final name during this transfer, from another entry of "
              "the list (two lines name the same file?); it is left as it is";
    r.clash = true;
    return r;
  }
  r.error = "cannot rename " + part_ + " to " + name_ + " in " + dir_->path() + ": " +
            std::strerror(errno);
  return r;
}

void PartFile::drop() {
  // Unlinked only while the lock is held: no other transfer can have opened this part meanwhile.
  if (fd_ >= 0) {
    ::unlinkat(dir_->fd(), part_.c_str(), 0);
    if (sidecar_) ::unlinkat(dir_->fd(), meta_.c_str(), 0);
  }
  close();
}

}  // namespace fanout
