// Staging files into io.output for real (io.download): final names, partial data under a
// temporary name, Range/If-Range resume, skip what is complete, verify, rename, journal.
#pragma once

#include <curl/curl.h>
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "workload/io/block_writer.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/digest.hpp"
#include "workload/io/disk_queue.hpp"
#include "workload/io/download_journal.hpp"
#include "workload/io/part_file.hpp"
#include "workload/io/range_decision.hpp"
#include "workload/io/url_entry.hpp"

namespace fanout {

class UrlPlan;

/// How a download ended, in the task's HttpFields.
enum class DownloadOutcome : std::uint8_t {
  none = 0,   ///< not a download (or it failed)
  fetched,    ///< fetched whole
  skipped,    ///< already complete (journaled, or its size and checksum matched): no request
  resumed,    ///< a partial file was continued with Range (a 416 for a complete one included)
  restarted,  ///< a partial file was there but the server's copy changed or ignores ranges
};

/// The output directory and journal of one job's downloads, shared by every transfer of a rank.
/// Thread-safe after construction.
class StagingDir {
 public:
  /// `journal` may be null (no journal); `record` holds the entries --io.resume skips (empty
  /// without resume).
  /// `plan` (may be null) is the list, asked which name another entry has when a final file
  /// says that entry wrote it.
  StagingDir(const BodyDir& dir, std::shared_ptr<const JournalWriter> journal, JournalRecord record,
             const UrlPlan* plan = nullptr);
  const BodyDir& dir() const { return dir_; }
  /// True when the journal records entry `index` (0-based) as finished and --io.resume is on.
  bool journaled(std::uint64_t index) const {
    return index < record_.finished.size() && record_.finished[index];
  }
  /// Appends the finished file to the journal; false when that failed.
  bool record(const JournalEntry& e) const { return !journal_ || journal_->append(e); }
  /// True when `st` (a file in the directory) was changed since this job began, by the
  /// directory's own clock: a final name written by this job, so not a stale file to replace.
  bool changed_this_job(const struct stat& st) const;
  /// True when the list's entry `index` (0-based) saves to `name` too.
  bool entry_names(std::uint64_t index, const std::string& name) const;

 private:
  const BodyDir& dir_;
  struct timespec job_start_ {};  ///< ctime of a file made in the directory as the job began
  std::shared_ptr<const JournalWriter> journal_;
  JournalRecord record_;
  const UrlPlan* plan_;
};

/// One transfer's download of its current entry: what to ask for, where the bytes go, and what
/// becomes of the file. Reused task after task; never shared between threads.
///
/// The part file (PartFile) holds the bytes until the file is complete; the BlockWriter writes
/// body bytes to it and feeds the digest, inline or on a DiskQueue's thread; decide_range() says
/// what each response means for the part. Every step that reads the part or the digest (finish,
/// close, the next begin) first waits for this file's blocks; a failed block write is reported by
/// the next write() or by finish().
class StagedFile {
 public:
  /// `queue` (may be null) outlives this.
  explicit StagedFile(const StagingDir& dir, DiskQueue* queue = nullptr);
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  /// What begin() found.
  struct Begin {
    bool request = false;  ///< a request is needed; false: settled without one
    std::string error;     ///< why a file settled without a request failed ("" skipped)
  };
  /// Before each attempt at entry `index` (0-based in the list). Feeds `digest` (reset by the
  /// caller, may be null, kept until the next begin) with the part an earlier attempt wrote, and
  /// then with every body byte saved.
  Begin begin(const UrlEntry& e, std::uint64_t index, Digest* digest);
  /// Range start of the request (0: the whole file) and the If-Range validator that goes with it.
  std::uint64_t resume_from() const { return attempt_.resume_from; }
  const std::string& validator() const { return attempt_.validator; }
  /// The response's head is in (first body bytes, or the end of a bodiless one): decides where
  /// its body goes. Returns "" to go on, or why the transfer must stop.
  std::string on_response(CURL* easy, int status);
  /// True when body bytes go into the part file.
  bool saving() const { return attempt_.saving; }
  /// Appends body bytes to the part (and the digest); "" or the write failure.
  std::string write(const char* data, std::size_t len) { return writer_.write(data, len); }
  /// The body has ended: queues its last block, and returns the queue's ticket to wait for
  /// (DiskQueue::wake_at) before finish() can complete the file without waiting; 0 without a
  /// queue or with nothing queued.
  std::uint64_t post_tail();

  /// How an attempt ended for the file. clash: another entry of the list names the same file
  /// and holds it or wrote it in this job (settled by begin() too: see clash()); nothing of the
  /// other's is touched.
  enum class End { done, failed, bad_data, incomplete, clash };
  /// What finish() did.
  struct Finish {
    End end = End::failed;
    std::string error;     ///< what went wrong ("" done, or a transfer that broke off)
    bool restart = false;  ///< the part was dropped: another attempt should fetch it all
  };
  /// The attempt ended with `ok` (CURLE_OK) and `status`. Completes the file when it is: checks
  /// size and checksum (of the digest begin() was given), renames it into place and journals it.
  Finish finish(CURL* easy, bool ok, int status);
  DownloadOutcome outcome() const { return attempt_.outcome; }
  /// True when begin() or finish() found the file's name taken by another entry of this job.
  bool clash() const { return attempt_.clash; }
  /// Closes the part, keeping it for a later resume.
  void close();

 private:
  /// Everything one attempt knows, made afresh by begin() in one assignment.
  struct Attempt {
    Attempt() = default;
    Attempt(const UrlEntry& e, std::uint64_t i, Digest* d, PartFile p)
        : entry(e), index(i), digest(d), part(std::move(p)) {}
    UrlEntry entry;
    std::uint64_t index = 0;
    Digest* digest = nullptr;
    PartFile part;
    std::uint64_t resume_from = 0;  ///< bytes of the part the request continues
    std::string validator;          ///< the part's If-Range validator
    bool responded = false;
    bool saving = false;
    bool clash = false;
    RangeDecision decision;  ///< on the response's head, once responded
    DownloadOutcome outcome = DownloadOutcome::fetched;
  };

  /// A file under the final name: settled (skipped, or another entry's), or nullopt when it is
  /// stale and the download goes on to replace it.
  std::optional<Begin> judge_final(const struct stat& st);
  /// The part goes, with what was written and queued of it.
  void drop_part();
  /// An attempt that ended without a complete file.
  Finish failed(End end, std::string error = "", bool restart = false);

  const StagingDir& dir_;
  BlockWriter writer_;
  Attempt attempt_;
};

}  // namespace fanout
