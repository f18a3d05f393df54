// UrlPlan: the validated URL list of an I/O job and the mapping from task id to URL, over the bytes
// of its file as one reader read them (held once per node; no copy per entry, no copy per rank).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "exec/task.hpp"
#include "workload/io/checksum_file.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/url_entry.hpp"

namespace fanout {

/// What checking a URL file found: its entries, and where every UrlPlan::kStride-th starts. The
/// reader sends it with the file's bytes, so that no other rank checks them again.
struct UrlFileIndex {
  std::uint64_t entries = 0;
  /// Offset and line number of file entry k * kStride.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> marks;

  /// As bytes, for a broadcast, and back.
  std::string to_bytes() const;
  static UrlFileIndex from_bytes(std::string_view bytes);
};

/// The bytes of a URL file, and what keeps them alive (a node's shared copy, or a string).
struct UrlFileText {
  std::shared_ptr<const void> owner;
  std::string_view text;
};

/// Reads io.url-file whole, refusing what is not a regular file. Throws ConfigError naming
/// --io.url-file.
std::string read_url_file(const std::string& path);

/// Checks every line of `text`, the bytes of spec.url_file (its columns, its URL with the curl URL
/// API, "serve:" against `serve_base_url`), and indexes it. Throws ConfigError naming FILE:LINE.
UrlFileIndex check_url_file(const IoSpec& spec, std::string_view text,
                            const std::string& serve_base_url);

/// Built once per job from the [io] section. Every entry is checked up front (by the one rank that
/// read the file), so a typo fails the job before any work starts (ConfigError naming FILE:LINE
/// or the flag). The file's entries are parsed again from its bytes when a task asks for one, from
/// the nearest remembered offset, with a cursor that makes walking the list in order cost one
/// line per task.
class UrlPlan {
 public:
  /// Reads `spec.urls` then the lines of `spec.url_file` (a NAME column only with
  /// `spec.download`), and `spec.checksums_file` (a checksum for each entry whose file name it
  /// lists and whose own columns give none). URLs starting with "serve:" are rewritten
  /// to `serve_base_url` + path (e.g. "serve:/delay/100"); with an empty base URL they are an
  /// error. Throws ConfigError naming "FILE:LINE" (file entries) or "--io.url URL" (other entries).
  explicit UrlPlan(const IoSpec& spec, const std::string& serve_base_url = "");
  /// The same over `file`, the bytes of spec.url_file that one reader read, and `index`, what
  /// check_url_file found in them: the file is neither read nor checked again.
  UrlPlan(const IoSpec& spec, const std::string& serve_base_url, UrlFileText file,
          UrlFileIndex index);

  /// The distinct entries, flags' and file's.
  TaskId size() const { return flag_entries_.size() + index_.entries; }
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
  /// What both constructors check: the repeat, the manifest, the flags' entries, a list at all.
  void read_flags(const IoSpec& spec);
  UrlEntry read_file_entry(TaskId index) const;

  /// The entry with its checksum from the manifest when its own columns give none.
  UrlEntry with_manifest(UrlEntry e) const;

  std::vector<UrlEntry> flag_entries_;
  ChecksumManifest manifest_;  ///< io.checksums, by file name
  std::string path_;
  std::string base_url_;
  bool download_ = false;  ///< io.download: a NAME column is allowed
  UrlFileText file_;
  UrlFileIndex index_;
  int repeat_ = 1;

  mutable std::mutex mutex_;
  mutable std::uint64_t next_offset_ = 0;  ///< where the cursor reads next
  mutable TaskId next_index_ = 0;          ///< the file entry it reads next
  mutable std::uint64_t next_line_ = 0;    ///< and the line it is on, less blank and comment lines
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
