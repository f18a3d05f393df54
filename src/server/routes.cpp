// The server's routes: from a request target to what to answer, after how long.
#include "server/routes.hpp"

#include <charconv>
#include <optional>

#include "server/file_route.hpp"
#include "server/periodic_stall.hpp"
#include "server/query.hpp"

namespace fanout {
namespace {

Reply text_reply(int status, std::string text) {
  Reply reply;
  reply.status = status;
  reply.text = std::move(text);
  return reply;
}

Reply bad_request(std::string why) { return text_reply(400, "bad request: " + why + "\n"); }

bool retry_later(int status) { return status == 429 || status == 503; }

Reply default_route(const ServeOptions& options) {
  Reply reply;
  reply.delay = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(options.delay_s));
  reply.pattern_bytes = options.size;
  return reply;
}

Reply delay_route(std::string_view ms_text, std::string_view query) {
  const auto ms = parse_count(ms_text, kMaxDelayMs);
  if (!ms)
    return bad_request("/delay/MS needs MS as whole milliseconds, at most " +
                       std::to_string(kMaxDelayMs));
  Reply reply = text_reply(200, "delayed " + std::to_string(*ms) + " ms\n");
  if (const auto size_text = query_value(query, "size")) {
    const auto size = parse_count(*size_text, kMaxBodyBytes);
    if (!size)
      return bad_request("?size=N needs N as a byte count, at most " +
                         std::to_string(kMaxBodyBytes));
    reply.text.clear();
    reply.pattern_bytes = *size;
  }
  reply.delay = std::chrono::milliseconds(*ms);
  return reply;
}

Reply bytes_route(std::string_view n_text) {
  const auto n = parse_count(n_text, kMaxBodyBytes);
  if (!n)
    return bad_request("/bytes/N needs N as a byte count, at most " +
                       std::to_string(kMaxBodyBytes));
  Reply reply;
  reply.content_type = "application/octet-stream";
  reply.pattern_bytes = *n;
  return reply;
}

Reply status_route(std::string_view code_text) {
  const auto code = parse_count(code_text, 599);
  if (!code || *code < 200) return bad_request("/status/CODE needs CODE between 200 and 599");
  const int status = static_cast<int>(*code);
  // 204 and 304 never carry a body.
  Reply reply = text_reply(
      status, status == 204 || status == 304 ? "" : "status " + std::to_string(status) + "\n");
  if (retry_later(status)) reply.headers.emplace_back("Retry-After", "0");
  return reply;
}

Reply flaky_route(std::string_view rest, FlakyRegistry& flaky) {
  const std::size_t slash = rest.find('/');
  const auto failures = parse_count(rest.substr(0, slash), UINT64_MAX);
  if (!failures || slash == std::string_view::npos || slash + 1 == rest.size()) {
    return bad_request("/flaky/N/KEY needs N as a count of failures and a non-empty KEY");
  }
  const std::string_view key = rest.substr(slash + 1);
  const std::uint64_t attempt = flaky.next_attempt(key);
  const std::string label = "flaky " + std::string(key) + ": attempt " + std::to_string(attempt);
  if (attempt <= *failures) {
    Reply reply = text_reply(503, label + " of " + std::to_string(*failures) + " failing\n");
    reply.headers.emplace_back("Retry-After", "0");
    return reply;
  }
  return text_reply(200, label + " succeeds\n");
}

// "http://host:port/path" -> "/path"; anything else is returned unchanged.
std::string_view origin_form(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.substr(0, scheme.size()) == scheme) {
      const std::size_t path = target.find_first_of("/?", scheme.size());
      if (path == std::string_view::npos) return "/";
      return target.substr(path);
    }
  }
  return target;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

Reply route_request(std::string_view target, ServerState& state, const RequestHeaders& headers) {
  target = origin_form(target);
  if (target.empty()) return bad_request("empty request target");
  if (target.front() != '/') return bad_request("request target must start with /");
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  if (path == "/") return default_route(state.options);
  if (starts_with(path, "/delay/")) return delay_route(path.substr(7), query);
  if (starts_with(path, "/bytes/")) return bytes_route(path.substr(7));
  if (starts_with(path, "/status/")) return status_route(path.substr(8));
  if (starts_with(path, "/flaky/")) return flaky_route(path.substr(7), state.flaky);
  if (starts_with(path, "/file/"))
    return file_route(path.substr(6), query, headers, state.versions, true);
  if (starts_with(path, "/norange/"))
    return file_route(path.substr(9), query, headers, state.versions, false);
  if (starts_with(path, "/touch/")) {
    const std::uint64_t v = state.versions.next_attempt(path.substr(7));
    return text_reply(200, "version " + std::to_string(v) + "\n");
  }
  if (path == "/stall" && (query_value(query, "every") || query_value(query, "hold"))) {
    return periodic_stall_route(query, std::chrono::steady_clock::now() - state.started);
  }
  if (path == "/stall") {
    Reply reply;
    reply.kind = Reply::Kind::stall;
    return reply;
  }
  if (path == "/stats") {
    Reply reply = text_reply(200, counters_json(state.counters.snapshot()));
    reply.content_type = "application/json";
    return reply;
  }
  return text_reply(404, "not found: " + std::string(path) + "\n");
}

}  // namespace fanout
