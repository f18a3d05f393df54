// Reads and validates the I/O job's URL list (command line, job file, url-file) with the curl URL API.
#include "workload/io/url_plan.hpp"

#include <curl/curl.h>

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
std::string resolve_serve(const std::string& url, const std::string& base, const std::string& where) {
  if (url.compare(0, kServePrefix.size(), kServePrefix) != 0) return url;
  if (base.empty()) {
    throw ConfigError(where + ": \"serve:\" URLs need the embedded server; set io.serve = true "
                              "(--io.serve) or give a full http:// URL");
  }
  std::string path = url.substr(kServePrefix.size());
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  return b + path;
}

void add_url(std::vector<std::string>& out, const std::string& raw, const std::string& base,
             const std::string& where) {
  const std::string url = resolve_serve(raw, base, where);
  if (const std::string why = check_http_url(url); !why.empty()) throw ConfigError(where + ": " + why);
  out.push_back(url);
}

}  // namespace

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
    add_url(urls_, url, serve_base_url, "--io.url " + shown(url));
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
      add_url(urls_, entry.url, serve_base_url,
              spec.url_file + ":" + std::to_string(entry.line) + ": " + shown(entry.url));
    }
  }
  if (urls_.empty()) {
    throw ConfigError("[io]: no URLs to fetch; give --io.url URL (repeatable) or --io.url-file FILE "
                      "(one URL a line)");
  }
}

}  // namespace fanout
