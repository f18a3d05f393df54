// NginxServer: a private nginx (Debian's) started in the foreground for one test, then stopped.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fanout::test {

/// Static files the server holds, by URL path and exact size in bytes.
struct StaticFile {
  const char* path;
  std::uint64_t bytes;
};
inline constexpr StaticFile kSmall{"/small.txt", 100};
inline constexpr StaticFile kOneKiB{"/1k.bin", 1024};
inline constexpr StaticFile kSixtyFourKiB{"/64k.bin", 65536};

/// nginx -p TEMP -c TEMP/nginx.conf -g 'daemon off;' on a free 127.0.0.1 port, rendered from
/// tests/http/nginx.conf.in (routes: the static files, /status/404, /status/503, /status/429,
/// /retry-after, /redirect, /loop, /to-ftp, /chunked/FILE). With TLS, also an https + HTTP/2 server
/// with a fresh self-signed certificate. The access log records "$connection ..." per request.
class NginxServer {
 public:
  /// Throws std::runtime_error if nginx (or openssl, with_tls) is missing or does not come up.
  explicit NginxServer(bool with_tls = false);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  /// "http://127.0.0.1:PORT".
  std::string base_url() const;
  /// "https://127.0.0.1:TLS_PORT" (only with TLS).
  std::string tls_base_url() const;
  /// The access log's lines, after waiting (up to a few seconds) until there are at least
  /// `at_least`: nginx writes a line just after the response, so a client can be a little ahead.
  std::vector<std::string> access_log(std::size_t at_least) const;
  /// Distinct connections among the first `requests` logged requests.
  std::size_t connections(std::size_t requests) const;

 private:
  bool start(std::uint16_t port, std::uint16_t tls_port);
  void stop();

  std::filesystem::path prefix_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t tls_port_ = 0;
  bool with_tls_;
};

/// True if the nginx binary the tests use exists (the tests skip otherwise).
bool nginx_available();
/// True if the openssl command line tool exists (TLS tests skip otherwise).
bool openssl_available();

}  // namespace fanout::test
