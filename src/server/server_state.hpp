// What every session of one server shares: its options, counters and flaky-route attempt counts.
#pragma once

#include <chrono>

#include "server/counters.hpp"
#include "server/flaky_registry.hpp"
#include "server/server.hpp"

namespace fanout {

/// Owned jointly by the server and its sessions, so it outlives the last handler.
struct ServerState {
  /// The options the server was started with.
  ServeOptions options;
  /// Live counters behind counters() and /stats.
  Counters counters;
  /// Attempts per key for /flaky/N/KEY.
  FlakyRegistry flaky;
  /// Versions per key for /file/KEY (bumped by /touch/KEY).
  FlakyRegistry versions;
  /// When the server started: the phase of `/stall?every=MS&hold=MS`.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

}  // namespace fanout
