// Open-loop pacing: each request of an I/O engine starts at its intended time from the job's rate
// schedule, and its record says when that was, when it was sent, and whether it was queued behind
// the in-flight cap, started late or dropped.
#pragma once

#include <cstdint>
#include <mutex>

#include "exec/stop_flag.hpp"
#include "timing/clock.hpp"
#include "timing/record.hpp"
#include "timing/thread_load.hpp"
#include "workload/io/rate_schedule.hpp"

namespace fanout {

/// A request sent this long after its intended start, though a worker was free for it, started
/// late: the generator (its CPU, its timers) could not keep up. The event loop's timers are whole
/// milliseconds, so less than this is the loop's own granularity.
inline constexpr double kLateAfterS = 0.002;

/// Bits of HttpFields::open_loop.
enum PacingFlag : std::uint8_t {
  kPaced = 1,    ///< the request was paced by a rate
  kQueued = 2,   ///< every worker was busy at its intended start (the in-flight cap)
  kLate = 4,     ///< sent over kLateAfterS after its intended start with a worker free
  kDropped = 8,  ///< never sent: the cap was reached and io.at-cap = drop
};

/// One request's place in the schedule, taken when a worker picks it up.
struct PacedStart {
  Clock::time_point intended;  ///< when it is meant to start
  double intended_s = 0;       ///< the same, seconds since the run's start
  std::uint16_t step = 0;      ///< its step of the staircase
  /// Picked up over kLateAfterS after its intended start: no worker was free (the cap).
  bool queued = false;
  /// The load of the thread that took it (its driver), over its last window.
  ThreadLoad driver_load;
};

/// Hands out one driver's requests in schedule order: the k-th request it starts in a run is the
/// job's arrival job_arrival(k, index, of). Thread-safe (the threads model's workers share one).
class Pacer {
 public:
  Pacer(RateSchedule schedule, int index, int of);
  /// The next request of the run that started at `t0` (a new t0 starts the count again), picked
  /// up at `now`.
  PacedStart take(Clock::time_point t0, Clock::time_point now);
  const RateSchedule& schedule() const { return schedule_; }

 private:
  RateSchedule schedule_;
  int index_;
  int of_;
  std::mutex mutex_;
  Clock::time_point t0_{};
  std::uint64_t next_ = 0;
};

/// Writes the open-loop fields of a sent request into `s` (an io Sample): intended start, send
/// wait, step and flags.
void record_pacing(Sample& s, const PacedStart& p, Clock::time_point sent);

/// The record of a request dropped at the cap: never sent, class `other`, flagged dropped.
Sample dropped_request(const PacedStart& p);

/// The record of a request the run's stop ended while it waited for its intended start: never
/// sent, class `stopped`, and not part of the open-loop figures.
Sample stopped_before_start();

/// Waits until `p`'s intended start, or until `stop` is set (checked every 100 ms); false when
/// the stop came first.
bool wait_for_start(const PacedStart& p, const StopFlag* stop);

/// The message a run's error list gives for its dropped requests.
inline constexpr const char* kDroppedMessage =
    "open loop: requests dropped, every transfer in flight at their intended start "
    "(io.at-cap = drop; raise io.concurrency or use io.at-cap = queue)";

}  // namespace fanout
