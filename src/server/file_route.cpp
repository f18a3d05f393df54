// A versioned file behind a strong ETag, with single byte ranges as RFC 9110 describes them.
#include "server/file_route.hpp"

#include <string>

#include "server/query.hpp"

namespace fanout {
namespace {

constexpr std::uint64_t kDefaultFileBytes = 1 << 20;

Reply error_reply(int status, std::string text) {
  Reply r;
  r.status = status;
  r.text = std::move(text);
  return r;
}

}  // namespace

std::uint64_t file_pattern_offset(std::uint64_t version) { return version * 13; }

Reply file_route(std::string_view rest, std::string_view query, const RequestHeaders& headers,
                 FlakyRegistry& versions, bool ranges) {
  if (rest.empty()) return error_reply(400, "bad request: /file/KEY needs a KEY\n");
  std::uint64_t size = kDefaultFileBytes;
  if (const auto v = query_value(query, "size")) {
    const auto n = parse_count(*v, kMaxBodyBytes);
    if (!n) return error_reply(400, "bad request: ?size=N needs N as a byte count\n");
    size = *n;
  }
  std::uint64_t cut = 0;
  if (const auto v = query_value(query, "cut")) {
    const auto n = parse_count(*v, kMaxBodyBytes);
    if (!n) return error_reply(400, "bad request: ?cut=M needs M as a byte count\n");
    cut = *n;
  }
  const std::uint64_t version = versions.count(rest);
  const std::string etag =
      "\"" + std::string(rest) + "-v" + std::to_string(version) + "-" + std::to_string(size) + "\"";
  Reply r;
  r.content_type = "application/octet-stream";
  r.pattern_offset = file_pattern_offset(version);
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT");
  if (ranges) r.headers.emplace_back("Accept-Ranges", "bytes");
  std::uint64_t start = 0, end = size == 0 ? 0 : size - 1;
  bool partial = false;
  constexpr std::string_view kUnit = "bytes=";
  if (ranges && headers.range.substr(0, kUnit.size()) == kUnit &&
      (headers.if_range.empty() || headers.if_range == etag)) {
    const std::string_view spec = headers.range.substr(kUnit.size());
    const std::size_t dash = spec.find('-');
    const auto s = dash == std::string_view::npos ? std::nullopt
                                                  : parse_count(spec.substr(0, dash), UINT64_MAX);
    const std::string_view e_text = dash == std::string_view::npos ? "" : spec.substr(dash + 1);
    const auto e =
        e_text.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : parse_count(e_text, UINT64_MAX);
    if (s && e && *s <= *e) {
      if (*s >= size) {
        Reply no = error_reply(416, "");
        no.headers = r.headers;
        no.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        return no;
      }
      start = *s;
      end = std::min(*e, size - 1);
      partial = true;
    }
  }
  if (partial) {
    r.status = 206;
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(start) + "-" +
                                                std::to_string(end) + "/" + std::to_string(size));
    r.pattern_bytes = end - start + 1;
    r.pattern_offset += start;
  } else {
    r.pattern_bytes = size;
    r.cut_after = cut < size ? cut : 0;
  }
  if (r.pattern_bytes == 0) r.text.clear();
  return r;
}

}  // namespace fanout
