// The download journal: one line per file downloaded and verified, sent to the one process that
// writes it (rank 0, group commit) as each one lands under its final name, and read back by
// --io.resume so that no finished file is asked for again.
#pragma once

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "workload/append_log.hpp"
#include "workload/line_sink.hpp"

namespace fanout {

/// One finished file as a journal line records it.
struct JournalEntry {
  std::uint64_t entry =
      0;  ///< 1-based number of the URL list's entry (flags' first, then the file's)
  std::uint64_t bytes = 0;
  std::string checksum;  ///< "sha256:HEX" or "md5:HEX" as verified, "-" when none was known
  std::string name;      ///< final file name inside io.output
  std::string url;
};

/// The journal's first line.
const std::string& journal_header();
/// "ENTRY\tBYTES\tCHECKSUM\tNAME\tURL\n".
std::string journal_line(const JournalEntry& e);

/// Which entries of a list of `entries` the journal at `path` records as finished (bit per
/// entry, so a 10M-entry list costs 1.25 MB), and how many lines it holds. A missing journal
/// records none. Throws ConfigError naming path:line for a line of another format or an entry
/// beyond the list.
struct JournalRecord {
  std::vector<bool> finished;
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
};
JournalRecord read_journal(const std::string& path, std::uint64_t entries);

/// The record as bytes (its counts, then the finished entries as a bitmap, 8 per byte), for the
/// one rank that read the journal to broadcast; and back, for a list of `entries`.
std::string to_bytes(const JournalRecord& r);
JournalRecord journal_record_from(std::string_view bytes, std::uint64_t entries);

/// Where a rank's finished files' journal lines go: the journal rank 0 alone writes, with group
/// commit (RankLog).
class JournalWriter {
 public:
  explicit JournalWriter(std::shared_ptr<LineSink> log) : log_(std::move(log)) {}
  /// Thread-safe; false (errno EIO) once the journal failed (a write, an fdatasync or a send).
  bool append(const JournalEntry& e) const {
    if (log_->failed()) {
      errno = EIO;
      return false;
    }
    log_->post(journal_line(e));
    return true;
  }

 private:
  std::shared_ptr<LineSink> log_;
};

}  // namespace fanout
