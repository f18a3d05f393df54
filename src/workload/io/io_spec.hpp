// IoSpec: the [io] section of a job (fetch a URL list, repeated), resolved into plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fanout {

struct IoSpec {
  std::vector<std::string> urls;  ///< `url`, repeatable
  std::string url_file;           ///< one URL a line, '#' comments
  int repeat = 1;                 ///< how many times the whole list is fetched
  int concurrency = 50;           ///< transfers in flight per async driver / threads pool size cap
  double timeout_s = 30;          ///< per transfer
  double connect_timeout_s = 10;
  int retries = 2;  ///< on connect errors, timeouts, 429 and 5xx, with backoff and jitter
  double backoff_s = 0.05;
  std::uint64_t max_body = 64ull << 20;  ///< larger bodies fail the task (class other)
  std::string output_dir;                ///< save bodies here; empty discards them
  /// Stage files into output_dir under their final names: partial data under NAME.fanout-part,
  /// resumed with Range/If-Range, complete files skipped, sizes and checksums verified.
  bool download = false;
  std::string journal;         ///< download journal; default OUTPUT/.fanout-journal
  std::string checksums_file;  ///< sha256sum/md5sum manifest: checksums by NAME for the list
  bool resume = false;         ///< no request for the files the journal records
  /// Connections to one host the whole job may hold open at once, over every rank; 0: no cap.
  int per_host = 0;
  /// Requests per second the whole job starts to one host, over every rank; 0: no limit.
  double rate_per_host = 0;
  /// This rank's share of per_host (set when the workload is bound): at most this many
  /// connections per host from this process; 0: no cap.
  int host_connections = 0;
  bool http2 = false;
  bool insecure = false;  ///< skip TLS verification (off by default)
  int max_redirects = 5;
  bool driver_per_rank = false;  ///< processes+async: one driver per rank instead of per node
  /// Start the embedded server and fetch from it: URLs may use the prefix "serve:" (e.g.
  /// "serve:/delay/100") which is replaced by the server's base URL.
  bool serve = false;
  /// Open loop: requests per second the whole job starts, one rate or a staircase; empty: closed
  /// loop (each worker sends its next request when the last one is answered).
  std::vector<double> rates;
  /// Seconds each rate of `rates` lasts, which sets the request count; 0: the URL list's count.
  double step_s = 0;
  /// Open loop, at the in-flight cap: drop a request that cannot start on time instead of sending
  /// it late (its latency still counted from its intended start).
  bool drop_at_cap = false;
  /// Open loop: a directory for the corrected and uncorrected percentile distributions as .hgrm
  /// files with a gnuplot script per step (hgrm_files.hpp), the JSON carrying them too; "": none.
  std::string hgrm_dir;
  double serve_delay_s = 0;  ///< default route delay of the embedded server
  std::uint64_t serve_size = 1024;
};

}  // namespace fanout
