// RetryPolicy: whether a failed attempt is tried again, and how long to wait before it.
#pragma once

#include <random>

#include "workload/io/attempt.hpp"
#include "workload/io/io_spec.hpp"

namespace fanout {

/// Exponential back-off with jitter, at least the server's Retry-After, never longer than
/// max_wait_s. Delay before retry k (0-based): backoff_s * 2^k * u with u uniform in [0.5, 1)
/// ("equal jitter", so that many clients failing together do not retry in lock-step).
class RetryPolicy {
 public:
  RetryPolicy(int max_retries, double backoff_s, double max_wait_s);
  /// From [io]: retries, backoff_s; a single wait never exceeds the transfer timeout (or 30 s
  /// without one), so a hostile Retry-After cannot stall a run.
  explicit RetryPolicy(const IoSpec& spec);

  int max_retries() const { return max_retries_; }
  /// True if `r` is retryable and fewer than max_retries retries were spent on the task.
  bool should_retry(const AttemptResult& r, int retries_done) const;
  /// Seconds to wait before retry number `retry` (0-based); `jitter01` in [0, 1).
  double delay_s(int retry, double jitter01, double retry_after_s) const;
  /// delay_s with a fresh jitter from `rng`.
  double delay_s(int retry, double retry_after_s, std::mt19937_64& rng) const;

 private:
  int max_retries_;
  double backoff_s_;
  double max_wait_s_;
};

/// A per-worker generator for jitter, seeded differently for every worker and process.
std::mt19937_64 make_jitter_rng(int worker);

}  // namespace fanout
