// fetch_blocking: one task on a blocking easy handle, retries and back-off included.
#pragma once

#include <random>
#include <string>

#include "exec/executor.hpp"
#include "http/distinct_errors.hpp"
#include "http/retry_policy.hpp"
#include "http/transfer.hpp"

namespace fanout {

/// What a blocking worker needs besides the task: its handle, policy, jitter and where errors go.
struct BlockingWorker {
  Transfer& transfer;
  const RetryPolicy& policy;
  std::mt19937_64& rng;
  DistinctErrors& errors;
  const RunContext& ctx;
  int index = 0;  ///< Sample::thread
};

/// Fetches `url` for task `id` with curl_easy_perform, sleeping between retries (this worker has
/// nothing else to do meanwhile). The Sample's duration covers every attempt and wait.
Sample fetch_blocking(BlockingWorker& w, TaskId id, const std::string& url);

}  // namespace fanout
