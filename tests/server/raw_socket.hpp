// Byte-level client for the server tests: send exactly what a test wrote, read all the server
// answers.
#pragma once

#include <cstdint>
#include <string>

namespace fanout::test {

/// What came back on one connection.
struct RawExchange {
  /// Every byte the server sent before closing (or before the deadline).
  std::string received;
  /// True when the server closed the connection; false when the deadline passed first.
  bool closed_by_server = false;
  /// Seconds from sending until the server closed (or the deadline).
  double seconds = 0;
};

/// Connects to 127.0.0.1:port, sends bytes (possibly malformed, possibly several requests),
/// optionally half-closes its sending side, then reads until the server closes or deadline_s
/// passes.
RawExchange exchange_raw(std::uint16_t port, const std::string& bytes, double deadline_s,
                         bool half_close = false);

}  // namespace fanout::test
