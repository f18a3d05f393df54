// A one-thread Asio client that holds thousands of connections at once, for the server's
// concurrency test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace fanout::test {

/// How a load run went.
struct LoadResult {
  /// Connections established.
  std::size_t connected = 0;
  /// Requests answered 200 with the whole body.
  std::size_t completed = 0;
  /// Connections or requests that failed.
  std::size_t failed = 0;
  /// The first failure, for the test's message.
  std::string first_error;
  /// Seconds to establish every connection (phase 1).
  double connect_s = 0;
  /// Seconds from sending the first request until the last answer (phase 2).
  double requests_s = 0;
};

/// Opens `connections` connections to 127.0.0.1:port (phase 1), calls between_phases (which may
/// block, e.g. until the server has accepted them all), then sends one GET `target` on every
/// connection at once and waits for all answers (phase 2), so that every request is in the server
/// at the same time. Gives up after deadline_s in total.
LoadResult run_load(std::uint16_t port, std::size_t connections, const std::string& target,
                    double deadline_s, const std::function<void()>& between_phases);

/// "connected=.. completed=.. failed=.. connect_s=.. requests_s=.. first_error=.."
std::string describe(const LoadResult& result);

}  // namespace fanout::test
