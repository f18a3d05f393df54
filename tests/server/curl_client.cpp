// A libcurl easy handle for the server tests: GET a URL, keep the connection for the next GET.
#include "curl_client.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace fanout::test {
namespace {

size_t append(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

}  // namespace

CurlClient::CurlClient() : easy_(curl_easy_init()) {
  if (easy_ == nullptr) throw std::runtime_error("curl_easy_init failed");
}

CurlClient::~CurlClient() { curl_easy_cleanup(easy_); }

Fetched CurlClient::get(const std::string& url, long timeout_ms, bool head) {
  Fetched out;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy_, CURLOPT_NOBODY, head ? 1L : 0L);
  curl_easy_setopt(easy_, CURLOPT_HTTPGET, head ? 0L : 1L);
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &out.headers);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(easy_);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, nullptr);
  if (code != CURLE_OK) {
    out.error = error[0] != '\0' ? error : curl_easy_strerror(code);
    return out;
  }
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &out.status);
  curl_off_t total_us = 0;
  curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &total_us);
  out.seconds = static_cast<double>(total_us) / 1e6;
  std::transform(out.headers.begin(), out.headers.end(), out.headers.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace fanout::test
