// Staging files into io.output for real (io.download): final names, partial data under a
// temporary name, Range/If-Range resume, skip what is complete, verify, rename, journal.
#pragma once

#include <curl/curl.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exec/task.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/digest.hpp"
#include "workload/io/disk_queue.hpp"
#include "workload/io/download_journal.hpp"
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

/// Suffixes of the partial data and of its validator (ETag or Last-Modified) beside the final name.
inline constexpr std::string_view kPartSuffix = ".fanout-part";
inline constexpr std::string_view kMetaSuffix = ".fanout-part.meta";
/// Extended attribute of a file fanout renamed into place: the list entry (1-based) it is, so a
/// later run tells another line's file of the same name from a stale one.
inline constexpr const char* kEntryXattr = "user.fanout.entry";
/// Extended attribute of a part (kept by the file it becomes): the validator (ETag or
/// Last-Modified) its bytes came with. Where the file system has none, NAME.fanout-part.meta.
inline constexpr const char* kValidatorXattr = "user.fanout.validator";

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
/// Body bytes are gathered into blocks; each block is written to the part and fed to the digest
/// in order, on the calling thread, or with a `queue`, on the queue's thread (an event loop's
/// thread then only copies bytes). Every step that reads the part or the digest (finish, close,
/// the next begin) first waits for this file's blocks; a failed block write is reported by the
/// next write() or by finish().
class StagedFile {
 public:
  /// `queue` (may be null) outlives this.
  explicit StagedFile(const StagingDir& dir, DiskQueue* queue = nullptr);
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  /// Before each attempt at entry `index` (0-based in the list). Returns true when a request is
  /// needed; false when the file is settled without one (skipped, or an error in `error`).
  /// Feeds `digest` (reset by the caller, may be null, kept until the next begin) with the part an
  /// earlier attempt wrote, and then with every body byte saved.
  bool begin(const UrlEntry& e, std::uint64_t index, Digest* digest, std::string& error);
  /// Range start of the request (0: the whole file) and the If-Range validator that goes with it.
  std::uint64_t resume_from() const { return resume_from_; }
  const std::string& validator() const { return validator_; }
  /// The response's head is in (first body bytes, or the end of a bodiless one): decides where
  /// its body goes. False (and `error`) when the transfer must stop.
  bool on_response(CURL* easy, int status, std::string& error);
  /// True when body bytes go into the part file.
  bool saving() const { return saving_; }
  /// Appends body bytes to the part (and the digest); false (and `error`) on a write failure.
  bool write(const char* data, std::size_t len, std::string& error);
  /// The body has ended: queues its last block, and returns the queue's ticket to wait for
  /// (DiskQueue::wake_at) before finish() can complete the file without waiting; 0 without a
  /// queue or with nothing queued.
  std::uint64_t post_tail();
  /// The attempt ended with `ok` (CURLE_OK) and `status`. Completes the file when it is: checks
  /// size and checksum (of the digest begin() was given), renames it into place and
  /// journals it. Returns the error class to report (none, checksum, other), the message in
  /// `error`, and sets `restart` when the part was dropped and another attempt should fetch all.
  /// `clash`: another entry of the list names the same file and holds it or wrote it in this job
  /// (settled by begin() too: see clash()); nothing of the other's is touched.
  enum class End { done, failed, bad_data, incomplete, clash };
  End finish(CURL* easy, bool ok, int status, std::string& error, bool& restart);
  DownloadOutcome outcome() const { return outcome_; }
  /// True when begin() or finish() found the file's name taken by another entry of this job.
  bool clash() const { return clash_; }
  /// Bytes of the whole file (for a skipped or completed one).
  std::uint64_t file_bytes() const { return file_bytes_; }
  /// Closes the part, keeping it for a later resume.
  void close();

 private:
  void drop_part();
  bool write_meta(const std::string& validator, std::string& error);
  bool claim_part(struct stat& st, std::string& error);
  void read_validator();
  /// Writes (or queues) the buffered block; false (and `error`) if a block write failed.
  bool flush(std::string& error);
  /// Waits until every queued block of this file is written; false (and `error`) if one failed.
  bool settle(std::string& error);
  /// Writes `n` bytes at `offset` to the part and feeds them to the digest: one block, on
  /// whichever thread runs it. Records a failure in disk_error_ and disk_end_.
  bool write_block(const char* data, std::size_t n, std::uint64_t offset);
  /// The size of a block: the queue's, or kWriteBufferBytes inline.
  std::size_t block_bytes() const;
  /// A buffer for the next block: from the queue's pool, or made once inline.
  void take_block_buffer();
  bool rename_into_place(std::string& error);

  const StagingDir& dir_;
  UrlEntry entry_;
  std::uint64_t index_ = 0;
  Digest* digest_ = nullptr;
  std::string name_, part_, meta_;
  int fd_ = -1;
  std::uint64_t resume_from_ = 0;
  std::uint64_t written_ = 0;  ///< bytes of the part now, the buffered ones included
  std::string validator_;
  bool saving_ = false;
  bool responded_ = false;
  bool clash_ = false;
  bool sidecar_ = false;  ///< the validator is in the .meta file (no extended attributes here)
  DiskQueue* queue_;
  /// The queue's ticket of this file's last block (an earlier file's until this one posts one:
  /// done by then, since close() settled it).
  std::uint64_t last_block_ = 0;
  /// A block write failed: set (release) after disk_error_ and disk_end_, by the thread that ran
  /// it; later blocks of the file are dropped.
  std::atomic<bool> disk_failed_{false};
  std::string disk_error_;
  std::uint64_t disk_end_ = 0;  ///< where the part ends after the failed write
  DiskQueue::Buffer buf_;  ///< body bytes not yet written to the part, block_bytes() of room
  std::size_t buffered_ = 0;
  /// The file under the final name when begin() looked, judged stale (replaced on success).
  bool stale_final_ = false;
  dev_t stale_dev_ = 0;
  ino_t stale_ino_ = 0;
  DownloadOutcome outcome_ = DownloadOutcome::none;
  std::uint64_t file_bytes_ = 0;
};

}  // namespace fanout
