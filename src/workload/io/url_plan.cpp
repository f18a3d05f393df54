// Reads and validates the I/O job's URL list (command line, job file, url-file) with the curl URL
// API, streaming the file.
#include "workload/io/url_plan.hpp"

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"
#include "cli/text.hpp"

namespace fanout {
namespace {

constexpr std::string_view kServePrefix = "serve:";
constexpr const char* kValid =
    "expected an http:// or https:// URL, e.g. http://127.0.0.1:8080/index.html";
/// Longest line of a URL file: a URL and its columns.
constexpr std::size_t kMaxLineBytes = 64 * 1024;

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

/// Rewrites "serve:PATH" against the embedded server; other URLs pass through unchanged.
template <class Where>
std::string resolve_serve(const std::string& url, const std::string& base, const Where& where) {
  if (url.compare(0, kServePrefix.size(), kServePrefix) != 0) return url;
  if (base.empty()) {
    throw ConfigError(where() +
                      ": \"serve:\" URLs need the embedded server; set io.serve = true "
                      "(--io.serve) or give a full http:// URL");
  }
  std::string path = url.substr(kServePrefix.size());
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  return b + path;
}

/// Parses and checks one entry's text (of a job that downloads, or not); throws ConfigError
/// prefixed with `where()`, which is only called then (a URL file may hold millions).
template <class Where>
UrlEntry parse_entry(std::string_view text, bool download, const std::string& base,
                     const Where& where) {
  UrlEntry e;
  if (const std::string why = parse_url_columns(text, e, download); !why.empty()) {
    throw ConfigError(where() + ": " + why);
  }
  e.url = resolve_serve(e.url, base, where);
  if (const std::string why = check_http_url(e.url); !why.empty())
    throw ConfigError(where() + ": " + why);
  return e;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A decimal number of 1 to `max_digits` digits without a leading zero (but "0"), at most `max`.
bool plain_number(std::string_view s, std::size_t max_digits, long max) {
  if (s.empty() || s.size() > max_digits || (s.size() > 1 && s[0] == '0')) return false;
  long v = 0;
  for (const char c : s) {
    if (!is_digit(c)) return false;
    v = 10 * v + (c - '0');
  }
  return v <= max;
}

// Four decimal octets, or labels of letters, digits and inner dashes whose last starts with a
// letter (so curl's IPv4 reading of numbers never applies).
bool plain_host(std::string_view host) {
  std::size_t labels = 0, numeric = 0;
  std::string_view last;
  for (std::size_t at = 0; at <= host.size();) {
    const std::size_t dot = std::min(host.find('.', at), host.size());
    const std::string_view label = host.substr(at, dot - at);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    ++labels;
    if (plain_number(label, 3, 255)) ++numeric;
    last = label;
    at = dot + 1;
  }
  return (labels == 4 && numeric == 4) || is_alpha(last.front());
}

}  // namespace

bool plainly_http_url(std::string_view url) {
  constexpr std::size_t kMaxPlainBytes = 4096;
  if (url.size() > kMaxPlainBytes) return false;
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  const std::size_t path = std::min(rest.find('/'), rest.size());
  std::string_view authority = rest.substr(0, path);
  if (const std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (!plain_number(port, 5, 65535) || port == "0") return false;
    authority = authority.substr(0, colon);
  }
  if (!plain_host(authority)) return false;
  for (const char c : rest.substr(path)) {
    // Printable ASCII but space and the characters RFC 3986 never allows unencoded.
    if (c <= ' ' || c >= 0x7f) return false;
    if (std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::vector<UrlLine> url_file_lines(const std::string& text) {
  std::vector<UrlLine> out;
  std::istringstream in(text);
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    if (const auto content = url_line_content(line)) out.push_back({lineno, std::string(*content)});
  }
  return out;
}

std::string check_http_url(const std::string& url) {
  if (plainly_http_url(url)) return "";
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return "out of memory while parsing the URL";
  // NON_SUPPORT_SCHEME: let unknown schemes parse so that we can name the scheme in the message.
  const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK)
    return std::string("malformed URL (") + curl_url_strerror(rc) + "); " + kValid;
  char* raw_scheme = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &raw_scheme, 0) != CURLUE_OK ||
      raw_scheme == nullptr) {
    return std::string("URL has no scheme; ") + kValid;
  }
  std::unique_ptr<char, CurlStringDeleter> scheme(raw_scheme);
  const std::string s = scheme.get();
  if (s != "http" && s != "https") return "scheme \"" + s + "\" is not supported; " + kValid;
  char* raw_host = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &raw_host, 0) != CURLUE_OK || raw_host == nullptr) {
    return std::string("URL has no host; ") + kValid;
  }
  curl_free(raw_host);
  return "";
}

namespace {

/// Largest URL file read: a list of a billion URLs.
constexpr std::uint64_t kMaxFileBytes = 1ull << 40;

/// Calls `visit(line, offset, lineno)` for each line of `text` (without its newline; a last line
/// without one too), until it returns false.
template <class Visit>
void each_line(std::string_view text, std::uint64_t offset, std::uint64_t lineno, Visit&& visit) {
  while (offset < text.size()) {
    const std::size_t nl = text.find('\n', offset);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    if (!visit(text.substr(offset, end - offset), offset, lineno)) return;
    offset = end + 1;
    ++lineno;
  }
}

void put_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), 8);
}

std::uint64_t get_u64(std::string_view& in) {
  std::uint64_t v = 0;
  if (in.size() < 8) throw std::runtime_error("URL file index: cut short");
  std::memcpy(&v, in.data(), 8);
  in.remove_prefix(8);
  return v;
}

}  // namespace

std::string UrlFileIndex::to_bytes() const {
  std::string out;
  out.reserve(16 + 16 * marks.size());
  put_u64(out, entries);
  put_u64(out, marks.size());
  for (const auto& [offset, line] : marks) {
    put_u64(out, offset);
    put_u64(out, line);
  }
  return out;
}

UrlFileIndex UrlFileIndex::from_bytes(std::string_view bytes) {
  UrlFileIndex index;
  index.entries = get_u64(bytes);
  index.marks.resize(get_u64(bytes));
  for (auto& [offset, line] : index.marks) {
    offset = get_u64(bytes);
    line = get_u64(bytes);
  }
  return index;
}

std::string read_url_file(const std::string& path) {
  try {
    return read_input_file(path, kMaxFileBytes);
  } catch (const InputFileError& e) {
    throw ConfigError("--io.url-file " + path + ": cannot read it: " + e.what() +
                      "; give a readable file with one URL a line");
  }
}

UrlFileIndex check_url_file(const IoSpec& spec, std::string_view text,
                            const std::string& serve_base_url) {
  UrlFileIndex index;
  each_line(text, 0, 1, [&](std::string_view line, std::uint64_t at, std::uint64_t lineno) {
    const auto where = [&] { return spec.url_file + ":" + std::to_string(lineno); };
    if (line.size() > kMaxLineBytes) {
      throw ConfigError(where() + ": line longer than " + std::to_string(kMaxLineBytes) +
                        " bytes; give one URL and its columns a line");
    }
    const auto content = url_line_content(line);
    if (!content) return true;
    parse_entry(*content, spec.download, serve_base_url,
                [&] { return where() + ": " + shown(*content); });
    if (index.entries % UrlPlan::kStride == 0) index.marks.emplace_back(at, lineno);
    ++index.entries;
    return true;
  });
  return index;
}

void UrlPlan::read_flags(const IoSpec& spec) {
  if (spec.repeat < 1) {
    throw ConfigError("--io.repeat " + std::to_string(spec.repeat) +
                      ": must be a positive integer");
  }
  if (!spec.checksums_file.empty()) manifest_ = read_checksum_manifest(spec.checksums_file);
  for (const std::string& raw : spec.urls) {
    const std::string text(trim(raw));
    flag_entries_.push_back(
        parse_entry(text, download_, base_url_, [&] { return "--io.url " + shown(text); }));
  }
}

UrlPlan::UrlPlan(const IoSpec& spec, const std::string& serve_base_url)
    : path_(spec.url_file),
      base_url_(serve_base_url),
      download_(spec.download),
      repeat_(spec.repeat) {
  read_flags(spec);
  if (!spec.url_file.empty()) {
    auto text = std::make_shared<const std::string>(read_url_file(spec.url_file));
    index_ = check_url_file(spec, *text, serve_base_url);
    file_ = {text, *text};
  }
  if (size() == 0) {
    throw ConfigError(
        "[io]: no URLs to fetch; give --io.url URL (repeatable) or --io.url-file FILE "
        "(one URL a line)");
  }
}

UrlPlan::UrlPlan(const IoSpec& spec, const std::string& serve_base_url, UrlFileText file,
                 UrlFileIndex index)
    : path_(spec.url_file),
      base_url_(serve_base_url),
      download_(spec.download),
      file_(std::move(file)),
      index_(std::move(index)),
      repeat_(spec.repeat) {
  read_flags(spec);
  if (size() == 0) {
    throw ConfigError(
        "[io]: no URLs to fetch; give --io.url URL (repeatable) or --io.url-file FILE "
        "(one URL a line)");
  }
}

UrlEntry UrlPlan::entry(TaskId id) const {
  const TaskId index = id % size();
  if (index < flag_entries_.size()) return with_manifest(flag_entries_[index]);
  return with_manifest(read_file_entry(index - flag_entries_.size()));
}

UrlEntry UrlPlan::with_manifest(UrlEntry e) const {
  if (manifest_.empty() || e.checksum.known()) return e;
  if (const auto it = manifest_.find(download_name(e)); it != manifest_.end())
    e.checksum = it->second;
  return e;
}

UrlEntry UrlPlan::read_file_entry(TaskId index) const {
  std::lock_guard lock(mutex_);
  if (!cursor_valid_ || index < next_index_ || index - next_index_ >= kStride) {
    const auto& [offset, line] = index_.marks[index / kStride];
    next_offset_ = offset;
    next_index_ = index / kStride * kStride;
    next_line_ = line;
    cursor_valid_ = true;
  }
  std::optional<UrlEntry> found;
  each_line(file_.text, next_offset_, next_line_,
            [&](std::string_view text, std::uint64_t at, std::uint64_t lineno) {
              next_offset_ = at + text.size() + 1;
              next_line_ = lineno + 1;
              const auto content = url_line_content(text);
              if (!content || next_index_++ != index) return true;
              // Checked when the plan was made; the same bytes parse the same way again.
              found = parse_entry(*content, download_, base_url_,
                                  [&] { return path_ + ":" + std::to_string(lineno); });
              found->line = lineno;
              return false;
            });
  if (found) return *found;
  cursor_valid_ = false;
  throw std::runtime_error("--io.url-file " + path_ + ": entry " + std::to_string(index + 1) +
                           " is beyond the list's " + std::to_string(index_.entries));
}

}  // namespace fanout
