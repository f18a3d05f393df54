// Back-off arithmetic for retries; pure apart from the jitter draw.
#include "workload/io/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace fanout {
namespace {
constexpr double kDefaultMaxWait_s = 30;
}

RetryPolicy::RetryPolicy(int max_retries, double backoff_s, double max_wait_s)
    : max_retries_(std::max(0, max_retries)),
      backoff_s_(std::max(0.0, backoff_s)),
      max_wait_s_(std::max(0.0, max_wait_s)) {}

RetryPolicy::RetryPolicy(const IoSpec& spec)
    : RetryPolicy(spec.retries, spec.backoff_s,
                  spec.timeout_s > 0 ? spec.timeout_s : kDefaultMaxWait_s) {}

bool RetryPolicy::should_retry(const AttemptResult& r, int retries_done) const {
  return retries_done < max_retries_ && is_retryable(r);
}

double RetryPolicy::delay_s(int retry, double jitter01, double retry_after_s) const {
  const double exp = backoff_s_ * std::ldexp(1.0, std::min(retry, 30));
  const double jittered = exp * (0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0));
  return std::min(std::max(jittered, retry_after_s), max_wait_s_);
}

double RetryPolicy::delay_s(int retry, double retry_after_s, std::mt19937_64& rng) const {
  return delay_s(retry, std::uniform_real_distribution<double>(0.0, 1.0)(rng), retry_after_s);
}

std::mt19937_64 make_jitter_rng(int worker) {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), static_cast<unsigned>(worker)};
  return std::mt19937_64(seq);
}

}  // namespace fanout
