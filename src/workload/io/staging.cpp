// A download's life on disk: NAME.fanout-part (and its validator in NAME.fanout-part.meta) until
// the file is complete and verified, then a rename to NAME and a journal line.
#include "workload/io/staging.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "cli/text.hpp"
#include "workload/append_log.hpp"

namespace fanout {
namespace {

constexpr std::size_t kMaxValidator = 1024;

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

}  // namespace

StagingDir::StagingDir(const BodyDir& dir, std::shared_ptr<const JournalWriter> journal, JournalRecord record)
    : dir_(dir), journal_(std::move(journal)), record_(std::move(record)) {}

StagedFile::~StagedFile() { close(); }

void StagedFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void StagedFile::drop_part() {
  close();
  ::unlinkat(dir_.dir().fd(), part_.c_str(), 0);
  ::unlinkat(dir_.dir().fd(), meta_.c_str(), 0);
  written_ = 0;
  resume_from_ = 0;
}

bool StagedFile::begin(const UrlEntry& e, std::uint64_t index, Digest* digest, std::string& error) {
  close();
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
  }

  fd_ = ::openat(dfd, part_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error = "cannot open " + dir_.dir().path() + "/" + part_ + ": " + std::strerror(errno);
    outcome_ = DownloadOutcome::none;
    return false;
  }
  if (::fstat(fd_, &st) != 0) st.st_size = 0;
  const auto have = static_cast<std::uint64_t>(st.st_size);
  if (const int mfd = ::openat(dfd, meta_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC); mfd >= 0) {
    char buf[kMaxValidator];
    const ssize_t n = ::read(mfd, buf, sizeof buf);
    if (n > 0) validator_ = std::string(trim(std::string_view(buf, static_cast<std::size_t>(n))));
    ::close(mfd);
  }
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

bool StagedFile::write_meta(const std::string& validator, std::string& error) {
  const int dfd = dir_.dir().fd();
  if (validator.empty()) {
    ::unlinkat(dfd, meta_.c_str(), 0);
    return true;
  }
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
  while (len > 0) {
    const ssize_t w = ::pwrite(fd_, data, len, static_cast<off_t>(written_));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      error = "cannot write " + dir_.dir().path() + "/" + part_ + ": " + std::strerror(errno);
      return false;
    }
    data += w;
    len -= static_cast<std::size_t>(w);
    written_ += static_cast<std::uint64_t>(w);
  }
  return true;
}

StagedFile::End StagedFile::finish(CURL* easy, bool ok, int status, Digest* digest, std::string& error,
                                   bool& restart) {
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
  file_bytes_ = written_;
  if (entry_.size >= 0 && written_ != static_cast<std::uint64_t>(entry_.size)) {
    error = name_ + ": " + std::to_string(written_) + " bytes, the list expects " + std::to_string(entry_.size);
    drop_part();
    outcome_ = DownloadOutcome::none;
    return End::bad_data;
  }
  std::string verified;
  if (digest != nullptr && entry_.checksum.known()) {
    const std::string hex = digest->hex_final();
    if (hex != entry_.checksum.hex) {
      error = name_ + ": " + std::string(to_string(entry_.checksum.algo)) + " " + hex +
              ", the list expects " + entry_.checksum.hex;
      drop_part();
      outcome_ = DownloadOutcome::none;
      return End::bad_data;
    }
    verified = std::string(to_string(entry_.checksum.algo)) + ":" + hex;
  }
  close();
  const int dfd = dir_.dir().fd();
  if (::renameat(dfd, part_.c_str(), dfd, name_.c_str()) != 0) {
    error = "cannot rename " + part_ + " to " + name_ + " in " + dir_.dir().path() + ": " + std::strerror(errno);
    outcome_ = DownloadOutcome::none;
    return End::failed;
  }
  ::unlinkat(dfd, meta_.c_str(), 0);
  if (!dir_.record({index_ + 1, written_, verified, name_, entry_.url})) {
    error = "cannot append " + name_ + " to the journal: " + std::strerror(errno);
    return End::failed;
  }
  return End::done;
}

}  // namespace fanout
