// The request loop of the serial and pool engines: perform, classify, back off, retry.
#include "workload/io/curl_blocking_work.hpp"

#include <chrono>
#include <thread>

namespace fanout {

CurlBlockingWork::CurlBlockingWork(int workers, const UrlPlan& plan, const IoSpec& spec,
                                   const BodyDir* bodies, const StagingDir* staging)
    : plan_(plan),
      spec_(spec),
      bodies_(bodies),
      staging_(staging),
      policy_(spec),
      workers_(static_cast<std::size_t>(workers)) {}

void CurlBlockingWork::prepare_worker(int worker) {
  Worker& w = workers_[static_cast<std::size_t>(worker)];
  if (!w.transfer) w.transfer = std::make_unique<Transfer>(spec_, bodies_, staging_);
}

Sample CurlBlockingWork::run(TaskId id, int worker, const RunContext& ctx) {
  prepare_worker(worker);
  Worker& w = workers_[static_cast<std::size_t>(worker)];
  if (!w.rng) w.rng = make_jitter_rng(ctx.rank * static_cast<int>(workers_.size()) + worker);
  Transfer& t = *w.transfer;
  t.start_task(id, plan_);
  int retries = 0;
  AttemptResult r;
  for (;;) {
    if (!t.start_attempt()) {
      r = t.settled();
      break;
    }
    r = t.finish_attempt(curl_easy_perform(t.easy()));
    if (!policy_.should_retry(r, retries)) break;
    std::this_thread::sleep_for(
        std::chrono::duration<double>(policy_.delay_s(retries, r.retry_after_s, *w.rng)));
    ++retries;
  }
  t.end_task();
  if (!r.message.empty()) errors_.add(r.message_key, r.message);
  Sample s = http_result(r);
  s.attempts = static_cast<std::uint32_t>(retries + 1);
  return s;
}

}  // namespace fanout
