// Mapping curl's result codes and HTTP statuses onto the report's error classes.
#include "workload/io/attempt.hpp"

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
  // A connection that broke mid-body: a download resumes from what it got.
  const auto code = static_cast<CURLcode>(r.curl_code);
  if (code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING ||
      code == CURLE_SEND_ERROR) {
    return true;
  }
  return r.restart || r.error == ErrorClass::connect || r.error == ErrorClass::timeout ||
         r.error == ErrorClass::http_5xx ||
         (r.error == ErrorClass::http_4xx && r.http_status == 429);
}

bool got_response(const Sample& s) {
  return s.error == ErrorClass::none || s.error == ErrorClass::http_4xx ||
         s.error == ErrorClass::http_5xx;
}

Sample http_result(const AttemptResult& last) {
  Sample s;
  s.error = last.error;
  HttpFields f;
  f.curl_code = last.curl_code;
  f.http_status = static_cast<std::int16_t>(last.http_status);
  f.bytes = last.bytes;
  f.outcome = last.outcome;
  f.dns_s = static_cast<float>(last.dns_s);
  f.connect_s = static_cast<float>(last.connect_s);
  f.tls_s = static_cast<float>(last.tls_s);
  f.ttfb_s = static_cast<float>(last.ttfb_s);
  set_kind_fields(s, f);
  return s;
}

namespace {

HttpFields http(const Sample& s) { return kind_fields<HttpFields>(s); }

constexpr RecordField kHttpFields[] = {
    {"http_status", true, [](const Sample& s) -> std::int64_t { return http(s).http_status; },
     nullptr, 0, true},
    {"bytes", true,
     [](const Sample& s) -> std::int64_t { return static_cast<std::int64_t>(http(s).bytes); },
     nullptr, 0, true},
    {"retries", true,
     [](const Sample& s) -> std::int64_t { return s.attempts > 0 ? s.attempts - 1 : 0; }, nullptr,
     0, true},
    {"dns_s", false, nullptr, [](const Sample& s) -> double { return http(s).dns_s; }, 7, false},
    {"connect_s", false, nullptr, [](const Sample& s) -> double { return http(s).connect_s; }, 7,
     false},
    {"tls_s", false, nullptr, [](const Sample& s) -> double { return http(s).tls_s; }, 7, false},
    {"ttfb_s", false, nullptr, [](const Sample& s) -> double { return http(s).ttfb_s; }, 7, false},
};

}  // namespace

RecordFields http_record_fields() { return kHttpFields; }

}  // namespace fanout
