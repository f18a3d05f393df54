// Live, thread-safe server counters and their renderings (/stats JSON, the serve summary line).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "server/server.hpp"

namespace fanout {

/// Counters updated by sessions on any server thread; snapshot() gives a ServerCounters copy.
class Counters {
 public:
  void connection_opened();
  void connection_closed();
  void request_read();
  void malformed_request();
  void delay_started();
  void delay_finished();
  void stall_started();
  void stall_finished();
  void response_sent(int status);

  ServerCounters snapshot() const;

 private:
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> active_connections_{0};
  std::atomic<std::uint64_t> peak_active_connections_{0};
  std::atomic<std::uint64_t> active_delays_{0};
  std::atomic<std::uint64_t> peak_active_delays_{0};
  std::atomic<std::uint64_t> active_stalls_{0};
  std::atomic<std::uint64_t> malformed_requests_{0};
  mutable std::mutex status_mutex_;
  std::map<int, std::uint64_t> by_status_;
};

/// The /stats document: {"requests":..,"connections":..,...,"by_status":{"200":..}}.
std::string counters_json(const ServerCounters& counters);

/// One line for the end of `fanout serve`, e.g.
/// "served 12 requests on 3 connections (peak 2 open, 0 malformed); statuses: 200=10 503=2".
std::string counters_summary(const ServerCounters& counters);

}  // namespace fanout
