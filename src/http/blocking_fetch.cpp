// The request loop shared by the serial and threads engines.
#include "http/blocking_fetch.hpp"

#include <chrono>
#include <thread>

namespace fanout {

Sample fetch_blocking(BlockingWorker& w, TaskId id, const std::string& url) {
  const auto start = Clock::now();
  w.transfer.start_task(id, url);
  int retries = 0;
  AttemptResult r;
  for (;;) {
    w.transfer.start_attempt();
    r = w.transfer.finish_attempt(curl_easy_perform(w.transfer.easy()));
    if (!w.policy.should_retry(r, retries)) break;
    std::this_thread::sleep_for(
        std::chrono::duration<double>(w.policy.delay_s(retries, r.retry_after_s, w.rng)));
    ++retries;
  }
  w.transfer.end_task();
  if (!r.message.empty()) w.errors.add(r.message_key, r.message);
  return to_sample(id, start, Clock::now(), w.ctx, w.index, static_cast<std::uint32_t>(retries), r);
}

}  // namespace fanout
