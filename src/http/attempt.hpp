// What one HTTP attempt ended with, how it is classified, and how a task's attempts become a Sample.
#pragma once

#include <cstdint>
#include <string>

#include "exec/executor.hpp"
#include "timing/sample.hpp"

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
};

/// Error class of a finished transfer: the CURLcode first (resolve/connect failures -> connect,
/// CURLE_OPERATION_TIMEDOUT -> timeout, anything else -> other), then the status (4xx, 5xx).
ErrorClass classify(int curl_code, int http_status);

/// Connect errors, timeouts, 429 and 5xx are worth another attempt; everything else is final.
bool is_retryable(const AttemptResult& r);

/// The Sample of a task whose attempts ran from `start` to `end`; fields of the last attempt.
Sample to_sample(TaskId id, Clock::time_point start, Clock::time_point end, const RunContext& ctx,
                 int worker, std::uint32_t retries, const AttemptResult& last);

}  // namespace fanout
