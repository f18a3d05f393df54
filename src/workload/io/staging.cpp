// A download's life on disk: skip a complete file, resume or restart its part, follow what each
// response decides, then verify, rename into place and journal.
#include "workload/io/staging.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "cli/text.hpp"
#include "workload/io/url_plan.hpp"

namespace fanout {
namespace {

/// The value of response header `name`, "" if absent.
std::string header(CURL* easy, const char* name) {
  struct curl_header* h = nullptr;
  if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || h == nullptr) return "";
  return std::string(trim(h->value));
}

/// The head decide_range() reads: the headers its status makes use of.
ResponseHead read_head(CURL* easy, int status) {
  ResponseHead head;
  head.status = status;
  if (status == 206 || status == 416) head.content_range = header(easy, "Content-Range");
  if (status >= 200 && status < 300) {
    head.etag = header(easy, "ETag");
    head.last_modified = header(easy, "Last-Modified");
  }
  return head;
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

std::string checksum_text(const Checksum& c) {
  return c.known() ? std::string(to_string(c.algo)) + ":" + c.hex : "";
}

}  // namespace

StagingDir::StagingDir(const BodyDir& dir, std::shared_ptr<const JournalWriter> journal,
                       JournalRecord record, const UrlPlan* plan)
    : dir_(dir),
      job_start_(directory_now(dir.fd())),
      journal_(std::move(journal)),
      record_(std::move(record)),
      plan_(plan) {}

bool StagingDir::entry_names(std::uint64_t index, const std::string& name) const {
  return plan_ != nullptr && index < plan_->size() && download_name(plan_->entry(index)) == name;
}

bool StagingDir::changed_this_job(const struct stat& st) const {
  return later_or_same(st.st_ctim, job_start_);
}

StagedFile::StagedFile(const StagingDir& dir, DiskQueue* queue) : dir_(dir), writer_(queue) {}

StagedFile::~StagedFile() { close(); }

void StagedFile::close() {
  if (attempt_.part.fd() >= 0) {
    // What came is kept for a resume; a failed write only leaves the part shorter.
    writer_.flush();
    writer_.settle();
  }
  attempt_.part.close();
}

void StagedFile::drop_part() {
  // The blocks still queued write to the descriptor: settled before it closes.
  writer_.stop();
  attempt_.part.drop();
  writer_.restart();
  attempt_.resume_from = 0;
}

std::uint64_t StagedFile::post_tail() {
  if (attempt_.part.fd() < 0) return 0;
  return writer_.post_tail();
}

StagedFile::Begin StagedFile::begin(const UrlEntry& e, std::uint64_t index, Digest* digest) {
  close();
  attempt_ = Attempt(e, index, digest, PartFile(dir_.dir(), download_name(e)));
  Attempt& a = attempt_;
  struct stat st {};
  if (::fstatat(dir_.dir().fd(), a.part.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISREG(st.st_mode)) {
    if (std::optional<Begin> settled = judge_final(st)) return *std::move(settled);
  }
  PartFile::Claim claim = a.part.claim();
  if (!claim.error.empty()) {
    a.clash = claim.clash;
    a.outcome = DownloadOutcome::none;
    return {false, std::move(claim.error)};
  }
  const std::uint64_t have = claim.bytes;
  if (have > 0) a.validator = a.part.read_validator();
  const bool fits = e.size < 0 || have <= static_cast<std::uint64_t>(e.size);
  if (have > 0 && !a.validator.empty() && fits &&
      (digest == nullptr || digest_file_prefix(a.part.fd(), have, *digest))) {
    a.resume_from = have;
    writer_.start(a.part.fd(), a.part.part_path(), digest, have);
    return {true, ""};
  }
  writer_.start(a.part.fd(), a.part.part_path(), digest, 0);
  if (have > 0) {
    // Nothing tells whether the server still has the same file: fetch it whole.
    if (digest != nullptr) digest->reset();
    if (std::string error = a.part.truncate(); !error.empty()) return {false, std::move(error)};
    a.outcome = DownloadOutcome::restarted;
  }
  return {true, ""};
}

std::optional<StagedFile::Begin> StagedFile::judge_final(const struct stat& st) {
  Attempt& a = attempt_;
  const UrlEntry& e = a.entry;
  const std::string& name = a.part.name();
  const int dfd = dir_.dir().fd();
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const bool size_ok = e.size < 0 || size == static_cast<std::uint64_t>(e.size);
  const bool journaled = dir_.journaled(a.index);
  // Journaled: verified when it was renamed into place. Else its size and checksum must say so.
  bool complete = size_ok && (journaled || e.size >= 0 || e.checksum.known());
  if (complete && !journaled && e.checksum.known()) {
    Digest check(e.checksum.algo);
    const int fd = ::openat(dfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    complete =
        fd >= 0 && digest_file_prefix(fd, size, check) && check.hex_final() == e.checksum.hex;
    if (fd >= 0) ::close(fd);
  }
  if (complete) {
    a.outcome = DownloadOutcome::skipped;
    // Found complete by its size and checksum: journaled now, so a resume need not check again.
    if (!journaled && !dir_.record({a.index + 1, size, checksum_text(e.checksum), name, e.url})) {
      return Begin{false, "cannot append " + name + " to the journal: " + std::strerror(errno)};
    }
    return Begin{false, ""};
  }
  const std::optional<std::uint64_t> writer = written_as_entry(dfd, name);
  const bool other_entry = writer && *writer != a.index && dir_.entry_names(*writer, name);
  if (other_entry || dir_.changed_this_job(st)) {
    // Not this entry's file but another line's of the same name (that line wrote it, or it
    // was written since this job began): not a stale file to replace.
    a.clash = true;
    a.outcome = DownloadOutcome::none;
    return Begin{false, name + " belongs to " +
                            (other_entry ? "entry " + std::to_string(*writer + 1) +
                                               " of the list (fanout wrote it for that line)"
                                         : "another entry of the list (written in this job)") +
                            " and this entry's size or checksum differs: two lines name the same "
                            "file; it is left as it is"};
  }
  a.part.replace_final(st);
  return std::nullopt;
}

std::string StagedFile::on_response(CURL* easy, int status) {
  Attempt& a = attempt_;
  a.responded = true;
  a.decision = decide_range(read_head(easy, status), a.resume_from);
  switch (a.decision.plan) {
    case BodyPlan::append:
      a.saving = true;
      a.outcome = DownloadOutcome::resumed;
      return "";
    case BodyPlan::replace:
      if (a.decision.truncate) {
        // No block of this attempt is out yet, and the earlier ones were settled by begin().
        if (std::string error = a.part.truncate(); !error.empty()) return error;
        if (a.digest != nullptr) a.digest->reset();
        writer_.restart();
        a.resume_from = 0;
        a.outcome = DownloadOutcome::restarted;
      }
      if (std::string error = a.part.store_validator(a.decision.validator); !error.empty()) {
        return error;
      }
      a.saving = true;
      return "";
    case BodyPlan::reject:
      drop_part();
      return a.decision.error;
    case BodyPlan::already_whole:
    case BodyPlan::refetch:
    case BodyPlan::ignore:
      break;
  }
  a.saving = false;
  return "";
}

StagedFile::Finish StagedFile::failed(End end, std::string error, bool restart) {
  attempt_.outcome = DownloadOutcome::none;
  return {end, std::move(error), restart};
}

StagedFile::Finish StagedFile::finish(CURL* easy, bool ok, int status) {
  Attempt& a = attempt_;
  if (!ok) {
    close();
    return failed(End::incomplete);
  }
  if (!a.responded) {
    if (std::string error = on_response(easy, status); !error.empty()) {
      return failed(End::failed, std::move(error));
    }
  }
  if (a.decision.plan == BodyPlan::refetch) {
    drop_part();
    return failed(End::failed, a.decision.error, true);
  }
  if (a.decision.plan == BodyPlan::already_whole) {
    a.outcome = DownloadOutcome::resumed;
  } else if (!a.saving) {
    // An error status: an empty part made for it goes; one an earlier run wrote stays.
    if (writer_.written() == 0) drop_part();
    close();
    return failed(End::failed);
  }
  std::string error = writer_.flush();
  if (error.empty()) error = writer_.settle();
  if (!error.empty()) {
    close();
    return failed(End::failed, std::move(error));
  }
  const std::uint64_t written = writer_.written();
  const std::string& name = a.part.name();
  if (a.entry.size >= 0 && written != static_cast<std::uint64_t>(a.entry.size)) {
    error = name + ": " + std::to_string(written) + " bytes, the list expects " +
            std::to_string(a.entry.size);
    drop_part();
    return failed(End::bad_data, std::move(error));
  }
  std::string verified;
  if (a.digest != nullptr && a.entry.checksum.known()) {
    const std::string hex = a.digest->hex_final();
    if (hex != a.entry.checksum.hex) {
      error = name + ": " + std::string(to_string(a.entry.checksum.algo)) + " " + hex +
              ", the list expects " + a.entry.checksum.hex;
      drop_part();
      return failed(End::bad_data, std::move(error));
    }
    verified = std::string(to_string(a.entry.checksum.algo)) + ":" + hex;
  }
  // Which entry it is goes with the file (where the file system keeps extended attributes).
  a.part.mark_entry(a.index);
  // Renamed while the lock is held, so no other transfer can take the part between.
  PartFile::Rename renamed = a.part.rename_into_place();
  if (!renamed.error.empty()) {
    if (renamed.clash) {
      a.clash = true;
      drop_part();
      return failed(End::clash, std::move(renamed.error));
    }
    close();
    return failed(End::failed, std::move(renamed.error));
  }
  if (!dir_.record({a.index + 1, written, verified, name, a.entry.url})) {
    return {End::failed, "cannot append " + name + " to the journal: " + std::strerror(errno)};
  }
  return {End::done, ""};
}

}  // namespace fanout
