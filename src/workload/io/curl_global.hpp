// CurlGlobal: libcurl's process-wide initialisation, done once in main before any thread starts.
#pragma once

namespace fanout {

/// Holds curl_global_init for its lifetime (curl_global_cleanup on destruction). Create one in main
/// before threads or MPI progress threads start; libcurl counts nested inits, so tests may make
/// more.
class CurlGlobal {
 public:
  /// Throws std::runtime_error if libcurl cannot initialise (e.g. the TLS library fails).
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

}  // namespace fanout
