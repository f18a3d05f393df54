// One thread per slot: the wait for a child is a poll on its pidfd, woken at least every 100 ms
// to see a timeout or the run's stop.
#include "workload/shell/child_blocking_work.hpp"

#include <algorithm>
#include <thread>

namespace fanout {
namespace {

/// Longest wait between looks at the stop flag: how soon a stop reaches a task in flight.
constexpr auto kTick = std::chrono::milliseconds(100);

int wait_ms(Clock::time_point now, Clock::time_point next) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
  return static_cast<int>(std::clamp<long long>(left, 0, kTick.count()));
}

}  // namespace

Sample ChildBlockingWork::run(TaskId id, int worker, const RunContext& ctx) {
  FarmTask t = runner_->begin(id, worker);
  Sample result;
  for (;;) {
    if (!runner_->start_attempt(t, result, ctx)) break;
    Clock::time_point next = runner_->police(t, ctx, Clock::now());
    while (!wait_exit(t.child, wait_ms(Clock::now(), next))) {
      next = runner_->police(t, ctx, Clock::now());
    }
    result = runner_->end_attempt(t, ctx);
    if (runner_->awaits_stop(result, ctx)) {
      const auto until = Clock::now() + FarmRunner::kStopWait;
      while (!stop_ends_tasks(ctx) && Clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      runner_->settle(result, ctx);
    }
    if (!runner_->should_retry(result, t, ctx)) break;
  }
  result.attempts = static_cast<std::uint32_t>(t.attempt);
  runner_->record(result, t, ctx);
  return result;
}

}  // namespace fanout
