// What one HTTP attempt ended with, how it is classified, and what of it a task's Sample keeps.
#pragma once

#include <cstdint>
#include <string>

#include "timing/record.hpp"

namespace fanout {

/// The outcome of one attempt of one task, read from the easy handle after the transfer ended.
struct AttemptResult {
  ErrorClass error = ErrorClass::none;  ///< classify(curl_code, http_status)
  int curl_code = 0;                    ///< CURLcode, 0 on success
  int http_status = 0;                  ///< last response code, 0 if no response
  std::uint64_t bytes = 0;              ///< body bytes received in this attempt
  double dns_s = 0;                     ///< CURLINFO_NAMELOOKUP_TIME_T
  double connect_s = 0;                 ///< CURLINFO_CONNECT_TIME_T
  double tls_s = 0;                     ///< CURLINFO_APPCONNECT_TIME_T (0 for plain http)
  double ttfb_s = 0;                    ///< CURLINFO_STARTTRANSFER_TIME_T
  double total_s = 0;                   ///< CURLINFO_TOTAL_TIME_T
  double retry_after_s = 0;             ///< the server's Retry-After, 0 if none
  std::string message;                  ///< "URL: what went wrong"; empty when error is none
  std::string message_key;  ///< "URL CURLcode status": equal keys are the same error for the report
  std::uint8_t outcome = 0;  ///< DownloadOutcome of an io.download task (staging.hpp), 0 otherwise
  bool restart = false;      ///< the partial file was dropped: another attempt fetches it whole
};

/// Error class of a finished transfer: the CURLcode first (resolve/connect failures -> connect,
/// CURLE_OPERATION_TIMEDOUT -> timeout, anything else -> other), then the status (4xx, 5xx).
ErrorClass classify(int curl_code, int http_status);

/// Connect errors, timeouts, 429 and 5xx are worth another attempt, and so are connections that
/// broke mid-body and a download whose partial file was dropped; everything else is final.
bool is_retryable(const AttemptResult& r);

/// The io kind's per-task fields, stored in Sample::kind (exec/record.hpp).
struct HttpFields {
  std::int32_t curl_code = 0;    ///< CURLcode of the last attempt, 0 if none
  std::int16_t http_status = 0;  ///< last HTTP status, 0 if none
  std::uint8_t outcome = 0;      ///< DownloadOutcome (staging.hpp) of an io.download task
  std::uint8_t open_loop = 0;    ///< PacingFlag bits (open_loop.hpp); 0 in a closed-loop run
  std::uint64_t bytes = 0;       ///< body bytes received in the last attempt
  float dns_s = 0, connect_s = 0, tls_s = 0, ttfb_s = 0;  ///< phases, cumulative as curl reports
  /// Open loop (io.rate): when the request was meant to start, seconds since the common start.
  double intended_s = 0;
  /// Open loop: seconds from the intended start to the actual send of its first attempt.
  float send_wait_s = 0;
  /// Open loop: the step of the rate staircase the request belongs to.
  std::uint16_t step = 0;
  /// Open loop: the load of the thread that started it, over its last window (thread_load.hpp).
  std::uint8_t driver_cpu_pct = 0, driver_wait_pct = 0;
};

/// The result of a task whose last attempt was `last`: its error class and HttpFields (the engine
/// fills the core).
Sample http_result(const AttemptResult& last);

/// Requests that got an HTTP response (success, 4xx, 5xx) count toward latency; connect errors,
/// timeouts and other transfer failures do not, as in wrk.
bool got_response(const Sample& s);

/// The CSV columns and trace args of an I/O task: http_status, bytes, retries, dns_s,
/// connect_s, tls_s, ttfb_s (the last four printed with "%.7g", their own precision).
RecordFields http_record_fields();

}  // namespace fanout
