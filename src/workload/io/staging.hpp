// Staging files into io.output for real (io.download): final names, partial data under a
// temporary name, Range/If-Range resume, skip what is complete, verify, rename, journal.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <string>

#include "exec/task.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/digest.hpp"
#include "workload/io/download_journal.hpp"
#include "workload/io/url_entry.hpp"

namespace fanout {

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

/// The output directory and journal of one job's downloads, shared by every transfer of a rank.
/// Thread-safe after construction.
class StagingDir {
 public:
  /// `journal` may be null (no journal); `record` holds the entries --io.resume skips (empty
  /// without resume).
  StagingDir(const BodyDir& dir, std::shared_ptr<const JournalWriter> journal, JournalRecord record);
  const BodyDir& dir() const { return dir_; }
  /// True when the journal records entry `index` (0-based) as finished and --io.resume is on.
  bool journaled(std::uint64_t index) const {
    return index < record_.finished.size() && record_.finished[index];
  }
  /// Appends the finished file to the journal; false when that failed.
  bool record(const JournalEntry& e) const { return !journal_ || journal_->append(e); }

 private:
  const BodyDir& dir_;
  std::shared_ptr<const JournalWriter> journal_;
  JournalRecord record_;
};

/// One transfer's download of its current entry: what to ask for, where the bytes go, and what
/// becomes of the file. Reused task after task; never shared between threads.
class StagedFile {
 public:
  explicit StagedFile(const StagingDir& dir) : dir_(dir) {}
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  /// Before each attempt at entry `index` (0-based in the list). Returns true when a request is
  /// needed; false when the file is settled without one (skipped, or an error in `error`).
  /// Feeds `digest` (reset by the caller, may be null) with the part an earlier attempt wrote.
  bool begin(const UrlEntry& e, std::uint64_t index, Digest* digest, std::string& error);
  /// Range start of the request (0: the whole file) and the If-Range validator that goes with it.
  std::uint64_t resume_from() const { return resume_from_; }
  const std::string& validator() const { return validator_; }
  /// The response's head is in (first body bytes, or the end of a bodiless one): decides where
  /// its body goes. False (and `error`) when the transfer must stop.
  bool on_response(CURL* easy, int status, std::string& error);
  /// True when body bytes go into the part file.
  bool saving() const { return saving_; }
  /// Appends body bytes to the part; false (and `error`) on a write failure.
  bool write(const char* data, std::size_t len, std::string& error);
  /// The attempt ended with `ok` (CURLE_OK) and `status`. Completes the file when it is: checks
  /// size and checksum (`digest_hex`: the streamed digest, "" if none), renames it into place and
  /// journals it. Returns the error class to report (none, checksum, other), the message in
  /// `error`, and sets `restart` when the part was dropped and another attempt should fetch all.
  enum class End { done, failed, bad_data, incomplete };
  End finish(CURL* easy, bool ok, int status, Digest* digest, std::string& error, bool& restart);
  DownloadOutcome outcome() const { return outcome_; }
  /// Bytes of the whole file (for a skipped or completed one).
  std::uint64_t file_bytes() const { return file_bytes_; }
  /// Closes the part, keeping it for a later resume.
  void close();

 private:
  void drop_part();
  bool write_meta(const std::string& validator, std::string& error);

  const StagingDir& dir_;
  UrlEntry entry_;
  std::uint64_t index_ = 0;
  Digest* digest_ = nullptr;
  std::string name_, part_, meta_;
  int fd_ = -1;
  std::uint64_t resume_from_ = 0;
  std::uint64_t written_ = 0;  ///< bytes in the part now
  std::string validator_;
  bool saving_ = false;
  bool responded_ = false;
  DownloadOutcome outcome_ = DownloadOutcome::none;
  std::uint64_t file_bytes_ = 0;
};

}  // namespace fanout
