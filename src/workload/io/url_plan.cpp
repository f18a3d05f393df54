// Reads and validates the I/O job's URL list (command line, job file, url-file) with the curl URL API.
#include "workload/io/url_plan.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "cli/config_error.hpp"
#include "cli/ini_reader.hpp"
#include "cli/input_file.hpp"
#include "cli/text.hpp"

namespace fanout {
namespace {

constexpr std::string_view kServePrefix = "serve:";
constexpr const char* kValid = "expected an http:// or https:// URL, e.g. http://127.0.0.1:8080/index.html";

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
    throw ConfigError(where() + ": \"serve:\" URLs need the embedded server; set io.serve = true "
                              "(--io.serve) or give a full http:// URL");
  }
  std::string path = url.substr(kServePrefix.size());
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  return b + path;
}

// `where` names the entry in an error; it is only called then (a URL file may hold millions).
template <class Where>
void add_url(std::vector<std::string>& out, const std::string& raw, const std::string& base,
             const Where& where) {
  std::string url = resolve_serve(raw, base, where);
  if (const std::string why = check_http_url(url); !why.empty()) throw ConfigError(where() + ": " + why);
  out.push_back(std::move(url));
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
    const std::string url(trim(strip_inline_comment(trim(line))));
    if (url.empty() || url.front() == '#') continue;
    out.push_back({lineno, url});
  }
  return out;
}

std::string check_http_url(const std::string& url) {
  if (plainly_http_url(url)) return "";
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return "out of memory while parsing the URL";
  // NON_SUPPORT_SCHEME: let unknown schemes parse so that we can name the scheme in the message.
  const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) return std::string("malformed URL (") + curl_url_strerror(rc) + "); " + kValid;
  char* raw_scheme = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &raw_scheme, 0) != CURLUE_OK || raw_scheme == nullptr) {
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

UrlPlan::UrlPlan(const IoSpec& spec, const std::string& serve_base_url) : repeat_(spec.repeat) {
  if (spec.repeat < 1) {
    throw ConfigError("--io.repeat " + std::to_string(spec.repeat) + ": must be a positive integer");
  }
  for (const std::string& entry : spec.urls) {
    const std::string url(trim(entry));
    add_url(urls_, url, serve_base_url, [&] { return "--io.url " + shown(url); });
  }
  if (!spec.url_file.empty()) {
    std::string text;
    try {
      text = read_input_file(spec.url_file, kMaxUrlFileBytes);
    } catch (const InputFileError& e) {
      throw ConfigError("--io.url-file " + spec.url_file + ": cannot read it: " + e.what() +
                        "; give a readable file with one URL a line");
    }
    for (const UrlLine& entry : url_file_lines(text)) {
      add_url(urls_, entry.url, serve_base_url, [&] {
        return spec.url_file + ":" + std::to_string(entry.line) + ": " + shown(entry.url);
      });
    }
  }
  if (urls_.empty()) {
    throw ConfigError("[io]: no URLs to fetch; give --io.url URL (repeatable) or --io.url-file FILE "
                      "(one URL a line)");
  }
}

}  // namespace fanout
