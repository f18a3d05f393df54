// Live, thread-safe server counters and their renderings (/stats JSON, the serve summary line).
#include "server/counters.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace fanout {
namespace {

// Raises peak to at least value; other threads may race, so retry until ours is not larger.
void raise_peak(std::atomic<std::uint64_t>& peak, std::uint64_t value) {
  std::uint64_t seen = peak.load(std::memory_order_relaxed);
  while (seen < value && !peak.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

}  // namespace

void Counters::connection_opened() {
  connections_.fetch_add(1, std::memory_order_relaxed);
  raise_peak(peak_active_connections_,
             active_connections_.fetch_add(1, std::memory_order_relaxed) + 1);
}

void Counters::connection_closed() { active_connections_.fetch_sub(1, std::memory_order_relaxed); }

void Counters::request_read() { requests_.fetch_add(1, std::memory_order_relaxed); }

void Counters::malformed_request() { malformed_requests_.fetch_add(1, std::memory_order_relaxed); }

void Counters::delay_started() {
  raise_peak(peak_active_delays_, active_delays_.fetch_add(1, std::memory_order_relaxed) + 1);
}

void Counters::delay_finished() { active_delays_.fetch_sub(1, std::memory_order_relaxed); }

void Counters::stall_started() { active_stalls_.fetch_add(1, std::memory_order_relaxed); }

void Counters::stall_finished() { active_stalls_.fetch_sub(1, std::memory_order_relaxed); }

void Counters::response_sent(int status) {
  std::lock_guard lock(status_mutex_);
  ++by_status_[status];
}

ServerCounters Counters::snapshot() const {
  ServerCounters out;
  out.requests = requests_.load(std::memory_order_relaxed);
  out.connections = connections_.load(std::memory_order_relaxed);
  out.active_connections = active_connections_.load(std::memory_order_relaxed);
  out.peak_active_connections = peak_active_connections_.load(std::memory_order_relaxed);
  out.active_delays = active_delays_.load(std::memory_order_relaxed);
  out.peak_active_delays = peak_active_delays_.load(std::memory_order_relaxed);
  out.active_stalls = active_stalls_.load(std::memory_order_relaxed);
  out.malformed_requests = malformed_requests_.load(std::memory_order_relaxed);
  std::lock_guard lock(status_mutex_);
  out.by_status = by_status_;
  return out;
}

std::string counters_json(const ServerCounters& counters) {
  nlohmann::json by_status = nlohmann::json::object();
  for (const auto& [status, count] : counters.by_status) by_status[std::to_string(status)] = count;
  nlohmann::json doc = {
      {"requests", counters.requests},
      {"connections", counters.connections},
      {"active_connections", counters.active_connections},
      {"peak_active_connections", counters.peak_active_connections},
      {"active_delays", counters.active_delays},
      {"peak_active_delays", counters.peak_active_delays},
      {"active_stalls", counters.active_stalls},
      {"malformed_requests", counters.malformed_requests},
      {"by_status", by_status},
  };
  return doc.dump() + "\n";
}

std::string counters_summary(const ServerCounters& counters) {
  std::ostringstream line;
  line << "served " << counters.requests << " requests on " << counters.connections
       << " connections (peak " << counters.peak_active_connections << " open, "
       << counters.malformed_requests << " malformed); statuses:";
  if (counters.by_status.empty()) line << " none";
  for (const auto& [status, count] : counters.by_status) line << ' ' << status << '=' << count;
  return line.str();
}

}  // namespace fanout
