// A libcurl easy handle for the server tests: GET a URL, keep the connection for the next GET.
#pragma once

#include <curl/curl.h>

#include <string>

namespace fanout::test {

/// One response as the client saw it.
struct Fetched {
  /// 0 when the transfer failed (see error).
  long status = 0;
  std::string body;
  /// Response header lines, all lower-cased, e.g. "retry-after: 0".
  std::string headers;
  /// libcurl's message when the transfer failed; empty on success.
  std::string error;
  /// Total transfer time as libcurl measured it.
  double seconds = 0;
};

/// One reused easy handle, so successive GETs may reuse one connection (like a browser session).
class CurlClient {
 public:
  CurlClient();
  ~CurlClient();
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  /// GET (or HEAD when head is true) with a timeout; failures come back in Fetched::error.
  Fetched get(const std::string& url, long timeout_ms = 10000, bool head = false);

 private:
  CURL* easy_;
};

}  // namespace fanout::test
