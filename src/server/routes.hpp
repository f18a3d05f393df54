// The server's routes: from a request target to what to answer, after how long.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/server_state.hpp"

namespace fanout {

/// Longest /delay/MS accepted (one hour); longer asks are answered 400.
inline constexpr std::uint64_t kMaxDelayMs = 3'600'000;
/// Largest /bytes/N or ?size=N accepted (1 TiB; bodies are streamed, never held in memory).
inline constexpr std::uint64_t kMaxBodyBytes = std::uint64_t{1} << 40;

/// What a session does with one request.
struct Reply {
  enum class Kind {
    respond,  ///< wait `delay`, then send status, headers and body
    stall,    ///< never answer; the session holds the connection until its stall timeout
  };
  /// Respond or stall.
  Kind kind = Kind::respond;
  /// HTTP status code.
  int status = 200;
  /// Time to wait, on a timer, before responding.
  std::chrono::steady_clock::duration delay{};
  /// Content-Type of the body.
  std::string content_type = "text/plain";
  /// Body text, used when pattern_bytes is 0.
  std::string text;
  /// Body of this many deterministic bytes (pattern_byte) instead of text.
  std::uint64_t pattern_bytes = 0;
  /// The body's first byte is pattern_byte(pattern_offset).
  std::uint64_t pattern_offset = 0;
  /// Break the connection after this many body bytes; 0: never.
  std::uint64_t cut_after = 0;
  /// Extra header fields, e.g. {"Retry-After", "0"}.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// The request's header fields that routes look at.
struct RequestHeaders {
  std::string_view range;     ///< "bytes=START-" or "bytes=START-END", "" if none
  std::string_view if_range;  ///< an ETag or a date, "" if none
};

/// Routes a request target ("/bytes/100?x=y"; the absolute form "http://host/bytes/100" also
/// works). Counts /flaky attempts in state.flaky and reads state.counters for /stats.
Reply route_request(std::string_view target, ServerState& state,
                    const RequestHeaders& headers = {});

}  // namespace fanout
