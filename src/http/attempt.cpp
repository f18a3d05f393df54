// Mapping curl's result codes and HTTP statuses onto the report's error classes.
#include "http/attempt.hpp"

#include <curl/curl.h>

namespace fanout {

ErrorClass classify(int curl_code, int http_status) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK:
      if (http_status >= 500) return ErrorClass::http_5xx;
      if (http_status >= 400) return ErrorClass::http_4xx;
      return ErrorClass::none;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return ErrorClass::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorClass::timeout;
    default:
      return ErrorClass::other;
  }
}

bool is_retryable(const AttemptResult& r) {
  return r.error == ErrorClass::connect || r.error == ErrorClass::timeout ||
         r.error == ErrorClass::http_5xx || (r.error == ErrorClass::http_4xx && r.http_status == 429);
}

Sample to_sample(TaskId id, Clock::time_point start, Clock::time_point end, const RunContext& ctx,
                 int worker, std::uint32_t retries, const AttemptResult& last) {
  Sample s;
  s.id = id;
  s.start_s = seconds_between(ctx.t0, start);
  s.duration_s = seconds_between(start, end);
  s.rank = ctx.rank;
  s.thread = worker;
  s.error = last.error;
  s.http_status = static_cast<std::int16_t>(last.http_status);
  s.retries = retries;
  s.error_code = last.curl_code;
  s.bytes = last.bytes;
  s.dns_s = static_cast<float>(last.dns_s);
  s.connect_s = static_cast<float>(last.connect_s);
  s.tls_s = static_cast<float>(last.tls_s);
  s.ttfb_s = static_cast<float>(last.ttfb_s);
  return s;
}

}  // namespace fanout
