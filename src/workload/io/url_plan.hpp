// UrlPlan: the validated URL list of an I/O job and the mapping from task id to URL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workload/io/io_spec.hpp"
#include "exec/task.hpp"

namespace fanout {

/// Built once per job (on every rank alike) from the [io] section. Every URL is checked with the
/// curl URL API up front, so a typo fails the job before any work starts (ConfigError).
class UrlPlan {
 public:
  /// Reads `spec.urls` then the lines of `spec.url_file`. URLs starting with "serve:" are rewritten
  /// to `serve_base_url` + path (e.g. "serve:/delay/100"); with an empty base URL they are an error.
  /// Throws ConfigError naming "FILE:LINE" (file entries) or "--io.url URL" (other entries).
  explicit UrlPlan(const IoSpec& spec, const std::string& serve_base_url = "");

  /// The distinct entries, in order, after "serve:" rewriting.
  const std::vector<std::string>& urls() const { return urls_; }
  /// Tasks in the job: every entry, `repeat` times.
  TaskId count() const { return urls_.size() * static_cast<TaskId>(repeat_); }
  /// The URL task `id` fetches: entry id % n, so repeats walk the whole list again.
  const std::string& url(TaskId id) const { return urls_[id % urls_.size()]; }

 private:
  std::vector<std::string> urls_;
  int repeat_ = 1;
};

/// Largest URL file UrlPlan reads: about a million URLs.
inline constexpr std::uint64_t kMaxUrlFileBytes = 256ull << 20;

/// One URL of a URL file and its line.
struct UrlLine {
  int line = 0;
  std::string url;
};

/// The entries of a URL file's text, one a line: blank lines skipped, and comments, which start
/// at a '#' that begins the line or follows a space or tab (a '#' inside a URL is its fragment).
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
