// Sample: what one task's execution measured, a plain record that MPI can move as bytes.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "workload/task.hpp"

namespace fanout {

/// Why a task failed; `none` means it succeeded. Per-task failures are data, never exceptions.
enum class ErrorClass : std::uint8_t {
  none = 0,
  wrong_result,  ///< a CPU kernel's result did not check out
  exception,     ///< the task threw (caught inside the worker)
  connect,       ///< could not resolve or connect
  timeout,       ///< transfer exceeded its timeout
  http_4xx,
  http_5xx,
  other,  ///< any other transfer error (TLS, protocol, body too large, write error)
};
inline constexpr int kErrorClassCount = 8;

std::string_view to_string(ErrorClass e);

/// One task's measurement. Times are seconds, as double, relative to the run's common start (t0),
/// which every rank takes right after a barrier.
struct Sample {
  TaskId id = 0;
  double start_s = 0;     ///< task start, seconds since the common start
  double duration_s = 0;  ///< task wall time, seconds
  std::int32_t rank = 0;  ///< MPI rank that ran it (0 without MPI)
  std::int32_t thread = 0;  ///< worker index inside the rank (OpenMP thread, driver slot)
  ErrorClass error = ErrorClass::none;
  std::int16_t http_status = 0;  ///< last HTTP status (I/O tasks), 0 if none
  std::uint32_t retries = 0;     ///< retries spent (I/O tasks)
  std::int32_t error_code = 0;   ///< CURLcode or kernel-specific code, 0 if none
  std::uint64_t bytes = 0;       ///< body bytes received (I/O tasks)
  float dns_s = 0, connect_s = 0, tls_s = 0, ttfb_s = 0;  ///< I/O phases, cumulative as curl reports

  bool ok() const { return error == ErrorClass::none; }
};
static_assert(std::is_trivially_copyable_v<Sample>, "Sample travels through MPI as bytes");

}  // namespace fanout
