// fanout's embedded HTTP/1.1 server: offline test and demo traffic for the I/O engines.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>

namespace fanout {

/// How `fanout serve` and EmbeddedServer listen and what the default route answers.
struct ServeOptions {
  /// Numeric IP address to listen on (--bind); 0.0.0.0 or :: listens on every interface.
  std::string bind = "127.0.0.1";
  /// TCP port (--port); 0 picks a free one, read back with EmbeddedServer::port().
  std::uint16_t port = 0;
  /// Seconds the default route `/` waits before answering (--delay).
  double delay_s = 0;
  /// Body bytes the default route `/` answers with (--size).
  std::uint64_t size = 1024;
  /// Threads running the event loop; one thread holds tens of thousands of delayed requests.
  int threads = 1;
  /// Seconds a keep-alive connection may sit idle between requests before the server closes it.
  double idle_timeout_s = 60;
  /// Seconds a `/stall` request is held before the server closes its connection.
  double stall_timeout_s = 120;
};

/// A snapshot of what the server has done since it started.
struct ServerCounters {
  /// Requests read completely (every route, /stats included).
  std::uint64_t requests = 0;
  /// Connections accepted in total; a client that reuses connections keeps this low.
  std::uint64_t connections = 0;
  /// Connections open now.
  std::uint64_t active_connections = 0;
  /// Most connections open at the same time.
  std::uint64_t peak_active_connections = 0;
  /// Requests waiting in a delay timer now (`/` with a delay, `/delay/MS`).
  std::uint64_t active_delays = 0;
  /// Most requests waiting in delay timers at the same time.
  std::uint64_t peak_active_delays = 0;
  /// Requests held by `/stall` now.
  std::uint64_t active_stalls = 0;
  /// Requests that could not be parsed (answered 400, then the connection is closed).
  std::uint64_t malformed_requests = 0;
  /// Responses sent, by HTTP status code.
  std::map<int, std::uint64_t> by_status;
};

/// An HTTP server running on its own thread(s); stopped and joined by stop() or the destructor.
/// Routes: `/` (waits delay_s, then `size` bytes), `/delay/MS[?size=N]`, `/bytes/N`,
/// `/status/CODE`,
/// `/flaky/N/KEY` (first N requests per KEY answer 503), `/stall` (never answers),
/// `/stall?every=MS&hold=MS` (a request arriving in [k*every, k*every + hold) from the start waits
/// until the window ends), `/stats` (JSON).
class EmbeddedServer {
 public:
  /// Binds and starts serving at once; throws ConfigError naming --bind or --port when it cannot
  /// listen.
  explicit EmbeddedServer(ServeOptions options);
  /// Stops and joins the server threads.
  ~EmbeddedServer();
  EmbeddedServer(const EmbeddedServer&) = delete;
  EmbeddedServer& operator=(const EmbeddedServer&) = delete;

  /// The port actually bound (the free one picked when ServeOptions::port is 0).
  std::uint16_t port() const;
  /// "http://ADDR:PORT" for the bound address, e.g. "http://127.0.0.1:40123".
  std::string base_url() const;
  /// Counters so far; callable from any thread, also after stop().
  ServerCounters counters() const;
  /// Closes every connection and joins the threads; idempotent. Must not be called from a handler.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fanout
