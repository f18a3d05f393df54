// The request loop of the serial and pool engines: perform, classify, back off, retry.
#include "workload/io/curl_blocking_work.hpp"

#include <chrono>
#include <thread>

namespace fanout {

CurlBlockingWork::CurlBlockingWork(int workers, const IoContext& io)
    : io_(io), policy_(io.spec), workers_(static_cast<std::size_t>(workers)) {}

void CurlBlockingWork::prepare_worker(int worker) {
  Worker& w = workers_[static_cast<std::size_t>(worker)];
  if (!w.transfer) w.transfer = std::make_unique<Transfer>(io_);
}

Sample CurlBlockingWork::run(TaskId id, int worker, const RunContext& ctx) {
  prepare_worker(worker);
  Worker& w = workers_[static_cast<std::size_t>(worker)];
  if (!w.rng) w.rng = make_jitter_rng(ctx.rank * static_cast<int>(workers_.size()) + worker);
  // Open loop: the worker waits for the request's intended start, or drops it when the worker
  // was taken too long for it (every worker busy: the in-flight cap).
  std::optional<PacedStart> paced;
  Clock::time_point sent{};
  if (io_.pacer) {
    paced = io_.pacer->take(ctx.t0, Clock::now());
    if (paced->queued && io_.spec.drop_at_cap) {
      errors_.add(kDroppedMessage, kDroppedMessage);
      return dropped_request(*paced);
    }
    if (!wait_for_start(*paced, ctx.stop)) return stopped_before_start();
    sent = Clock::now();
  }
  Transfer& t = *w.transfer;
  t.start_task(id);
  int retries = 0;
  AttemptResult r;
  for (;;) {
    if (!t.start_attempt()) {
      r = t.settled();
      break;
    }
    if (io_.gate) {
      const double wait_s = io_.gate->admit(url_host(t.url()));
      if (wait_s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait_s));
    }
    if (paced && retries == 0) sent = Clock::now();
    r = t.finish_attempt(curl_easy_perform(t.easy()));
    if (io_.gate && (r.http_status == 429 || r.http_status == 503)) {
      io_.gate->back_off(url_host(t.url()), policy_.delay_s(retries, 0.5, r.retry_after_s));
    }
    if (!policy_.should_retry(r, retries)) break;
    std::this_thread::sleep_for(
        std::chrono::duration<double>(policy_.delay_s(retries, r.retry_after_s, *w.rng)));
    ++retries;
  }
  t.end_task();
  if (!r.message.empty()) errors_.add(r.message_key, r.message);
  Sample s = http_result(r);
  s.attempts = static_cast<std::uint32_t>(retries + 1);
  if (paced) record_pacing(s, *paced, sent);
  return s;
}

}  // namespace fanout
