// Open-loop pacing: the schedule's next request for a driver, and what its record keeps of it.
#include "workload/io/open_loop.hpp"

#include <algorithm>
#include <limits>
#include <thread>

#include "workload/io/attempt.hpp"

namespace fanout {

Pacer::Pacer(RateSchedule schedule, int index, int of)
    : schedule_(std::move(schedule)), index_(index), of_(std::max(1, of)) {}

PacedStart Pacer::take(Clock::time_point t0, Clock::time_point now) {
  std::uint64_t k = 0;
  {
    std::lock_guard lock(mutex_);
    if (t0 != t0_) {
      t0_ = t0;
      next_ = 0;
    }
    k = next_++;
  }
  const std::uint64_t g = job_arrival(k, index_, of_);
  PacedStart p;
  p.intended_s = schedule_.intended_s(g);
  p.intended =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(p.intended_s));
  p.step = static_cast<std::uint16_t>(
      std::min<std::size_t>(schedule_.step_of(g), std::numeric_limits<std::uint16_t>::max()));
  p.queued = seconds_between(p.intended, now) > kLateAfterS;
  p.driver_load = current_thread_load(now);
  return p;
}

void record_pacing(Sample& s, const PacedStart& p, Clock::time_point sent) {
  HttpFields f = kind_fields<HttpFields>(s);
  const double wait_s = std::max(0.0, seconds_between(p.intended, sent));
  f.open_loop = kPaced;
  if (p.queued) {
    f.open_loop |= kQueued;
  } else if (wait_s > kLateAfterS) {
    f.open_loop |= kLate;
  }
  f.intended_s = p.intended_s;
  f.send_wait_s = static_cast<float>(wait_s);
  f.step = p.step;
  f.driver_cpu_pct = p.driver_load.cpu_pct;
  f.driver_wait_pct = p.driver_load.wait_pct;
  set_kind_fields(s, f);
}

Sample dropped_request(const PacedStart& p) {
  Sample s;
  s.error = ErrorClass::other;
  HttpFields f;
  f.open_loop = kPaced | kQueued | kDropped;
  f.intended_s = p.intended_s;
  f.step = p.step;
  set_kind_fields(s, f);
  return s;
}

Sample stopped_before_start() {
  Sample s;
  s.error = ErrorClass::stopped;
  return s;
}

bool wait_for_start(const PacedStart& p, const StopFlag* stop) {
  constexpr auto kStopCheck = std::chrono::milliseconds(100);
  for (;;) {
    if (stop_requested(stop)) return false;
    const Clock::time_point now = Clock::now();
    if (now >= p.intended) return true;
    std::this_thread::sleep_until(std::min(p.intended, now + kStopCheck));
  }
}

}  // namespace fanout
