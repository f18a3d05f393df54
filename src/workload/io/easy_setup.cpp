// Easy-handle options for every engine, so serial, threads and async measure the same requests.
#include "workload/io/easy_setup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

long to_ms(double seconds) {
  if (seconds <= 0) return 0;  // 0 = no limit, for curl as for us
  return std::max(1L, std::lround(seconds * 1000));
}

template <typename T>
void set(CURL* easy, CURLoption opt, T value, const char* name) {
  const CURLcode rc = curl_easy_setopt(easy, opt, value);
  if (rc != CURLE_OK) {
    throw std::runtime_error(std::string("curl_easy_setopt(") + name +
                             "): " + curl_easy_strerror(rc));
  }
}

// The variables libcurl reads for every transfer that has no proxy set: a getenv each, over the
// whole environment, which is long under mpirun.
bool proxy_in_environment() {
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                           "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

}  // namespace

void apply_io_options(CURL* easy, const IoSpec& spec) {
  set(easy, CURLOPT_PROTOCOLS_STR, "http,https", "CURLOPT_PROTOCOLS_STR");
  set(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", "CURLOPT_REDIR_PROTOCOLS_STR");
  set(easy, CURLOPT_FOLLOWLOCATION, spec.max_redirects > 0 ? 1L : 0L, "CURLOPT_FOLLOWLOCATION");
  set(easy, CURLOPT_MAXREDIRS, static_cast<long>(std::max(0, spec.max_redirects)),
      "CURLOPT_MAXREDIRS");
  set(easy, CURLOPT_SSL_VERIFYPEER, spec.insecure ? 0L : 1L, "CURLOPT_SSL_VERIFYPEER");
  set(easy, CURLOPT_SSL_VERIFYHOST, spec.insecure ? 0L : 2L, "CURLOPT_SSL_VERIFYHOST");
  set(easy, CURLOPT_TIMEOUT_MS, to_ms(spec.timeout_s), "CURLOPT_TIMEOUT_MS");
  set(easy, CURLOPT_CONNECTTIMEOUT_MS, to_ms(spec.connect_timeout_s), "CURLOPT_CONNECTTIMEOUT_MS");
  const CURLcode http = curl_easy_setopt(
      easy, CURLOPT_HTTP_VERSION, spec.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  if (http != CURLE_OK) {
    if (spec.http2) {
      throw ConfigError("--io.http2: this libcurl cannot do HTTP/2 (" +
                        std::string(curl_easy_strerror(http)) + "); leave io.http2 off");
    }
    throw std::runtime_error(std::string("curl_easy_setopt(CURLOPT_HTTP_VERSION): ") +
                             curl_easy_strerror(http));
  }
  // HTTP keep-alive is curl's default; TCP keep-alive keeps idle pooled connections from dying
  // silently behind firewalls during long runs.
  set(easy, CURLOPT_TCP_KEEPALIVE, 1L, "CURLOPT_TCP_KEEPALIVE");
  set(easy, CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
  if (spec.max_body > 0) {
    set(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(spec.max_body),
        "CURLOPT_MAXFILESIZE_LARGE");
  }
  set(easy, CURLOPT_USERAGENT, "fanout/" FANOUT_VERSION, "CURLOPT_USERAGENT");
  // With none of them set, an explicit "no proxy" is what libcurl would find, without the looking.
  if (!proxy_in_environment()) {
    set(easy, CURLOPT_PROXY, "", "CURLOPT_PROXY");
    set(easy, CURLOPT_NOPROXY, "", "CURLOPT_NOPROXY");
  }
}

}  // namespace fanout
