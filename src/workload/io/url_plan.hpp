// UrlPlan: the validated URL list of an I/O job and the mapping from task id to URL, read from
// its file as a stream (a 10M-line list is never held in memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "exec/task.hpp"
#include "workload/io/checksum_file.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/url_entry.hpp"

namespace fanout {

/// Built once per job (on every rank alike) from the [io] section. Every entry is checked up
/// front (its columns, its URL with the curl URL API), so a typo fails the job before any work
/// starts (ConfigError naming FILE:LINE). The file's entries are not kept: the plan remembers where
/// every kStride-th entry starts and reads an entry again when a task asks for it, with a cursor
/// that makes reading the list in order cost one line per task.
class UrlPlan {
 public:
  /// Reads `spec.urls` then the lines of `spec.url_file` (a NAME column only with
  /// `spec.download`), and `spec.checksums_file` (a checksum for each entry whose file name it
  /// lists and whose own columns give none). URLs starting with "serve:" are rewritten
  /// to `serve_base_url` + path (e.g. "serve:/delay/100"); with an empty base URL they are an
  /// error. Throws ConfigError naming "FILE:LINE" (file entries) or "--io.url URL" (other entries).
  explicit UrlPlan(const IoSpec& spec, const std::string& serve_base_url = "");

  /// The distinct entries, flags' and file's.
  TaskId size() const { return flag_entries_.size() + file_entries_; }
  /// Tasks in the job: every entry, `repeat` times.
  TaskId count() const { return size() * static_cast<TaskId>(repeat_); }
  /// The entry task `id` fetches: entry id % size(), so repeats walk the whole list again.
  /// Thread-safe.
  UrlEntry entry(TaskId id) const;
  /// entry(id).url.
  std::string url(TaskId id) const { return entry(id).url; }

  /// Entries between two remembered file offsets.
  static constexpr TaskId kStride = 1024;

 private:
  UrlEntry read_file_entry(TaskId index) const;

  /// The entry with its checksum from the manifest when its own columns give none.
  UrlEntry with_manifest(UrlEntry e) const;

  std::vector<UrlEntry> flag_entries_;
  ChecksumManifest manifest_;  ///< io.checksums, by file name
  std::string path_;
  std::string base_url_;
  bool download_ = false;  ///< io.download: a NAME column is allowed
  TaskId file_entries_ = 0;
  /// Offset and line number of file entry k * kStride.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> marks_;
  int repeat_ = 1;

  mutable std::mutex mutex_;
  mutable std::ifstream in_;
  mutable TaskId next_index_ = 0;        ///< the file entry in_ reads next
  mutable std::uint64_t next_line_ = 0;  ///< and the line it is on, less blank and comment lines
  mutable bool cursor_valid_ = false;
};

/// One URL of a URL file and its line.
struct UrlLine {
  int line = 0;
  std::string url;
};

/// The entries of a URL file's text, one a line: blank lines and comments skipped (see
/// url_line_content); each is the line's content, columns and all.
std::vector<UrlLine> url_file_lines(const std::string& text);

/// Checks one URL with CURLU: empty string if it is an http/https URL with a host, else the reason
/// and what is valid (no location prefix).
std::string check_http_url(const std::string& url);

/// check_http_url's fast path, without CURLU: true for the plain shape curl surely accepts, a
/// lowercase http:// or https://, a host of four decimal octets or of dotted labels (letters,
/// digits, inner dashes) whose last starts with a letter, an optional port 1-65535, and a path of
/// printable characters a URL may hold. False says nothing: curl decides then.
bool plainly_http_url(std::string_view url);

}  // namespace fanout
