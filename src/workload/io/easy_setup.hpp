// The one place where an easy handle gets the [io] options (protocols, TLS, timeouts, HTTP
// version).
#pragma once

#include <curl/curl.h>

#include "workload/io/io_spec.hpp"

namespace fanout {

/// Applies the per-job options to `easy`: http/https only (also for redirects), redirects up to
/// max_redirects, TLS verification unless insecure, timeouts, HTTP/2 over TLS or HTTP/1.1, TCP
/// keep-alive, no signals, max_body as a Content-Length limit. Callbacks, the error buffer and the
/// URL are the Transfer's business. Throws ConfigError if this libcurl lacks HTTP/2 when asked for
/// it, std::runtime_error for any other option libcurl refuses.
void apply_io_options(CURL* easy, const IoSpec& spec);

}  // namespace fanout
