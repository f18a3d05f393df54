// Whether an open-loop run's generator held its rate: the load of the thread that started each
// request, folded per step, and the verdict the report warns on, so that a figure taken while
// the client could not keep up is never passed off as the server's.
#pragma once

#include <cstdint>
#include <string_view>

#include "timing/thread_load.hpp"

namespace fanout {

/// Share of a step's requests above which the report warns (1 %: a p99 is then no longer the
/// server's).
inline constexpr double kLateWarnShare = 0.01;

/// The driving thread needed a CPU (running, or runnable and waiting) for at least this share of
/// its window: it had no slack to start requests on time. Not 100: an event loop flat out still
/// spends a little of each window in the kernel's wake-ups, outside both counts.
inline constexpr int kBusyPct = 90;
/// ... or it waited, runnable, for a CPU for at least this share: something else held the CPU it
/// needed. On a free CPU a woken thread waits microseconds, so an idle loop waits well under 1 %;
/// a quarter of its window is milliseconds per wake-up, past kLateAfterS.
inline constexpr int kStarvedPct = 25;

/// Whether a request behind its intended start was its driver's doing. Sent late with a transfer
/// free while the driver was busy (kBusyPct) or starved (kStarvedPct): yes. Queued at the cap
/// while the driver was busy: yes, for a loop with no slack takes its next request late, after
/// the transfer that frees its slot has long ended, and that backlog shows as queued. Queued
/// while the driver only waited for a CPU now and then: no, the slots were held by the server.
bool generator_to_blame(ThreadLoad load, bool queued, bool late);

/// The driving threads' load at a step's requests' starts, summed over its requests and ranks.
struct GeneratorLoad {
  std::uint64_t requests = 0;      ///< paced requests sent
  std::uint64_t cpu_pct_sum = 0;   ///< their drivers' CPU share, whole percent, summed
  std::uint64_t wait_pct_sum = 0;  ///< their drivers' run-delay share, summed
  /// Sent behind their intended start by their driver's doing (generator_to_blame).
  std::uint64_t behind_saturated = 0;

  void add(ThreadLoad load, bool queued, bool late);
  void merge(const GeneratorLoad& other);
  /// Mean CPU and run-delay share (0 .. 1) at a request's start; 0 without requests.
  double cpu_share() const;
  double wait_share() const;

  template <class Self, class Io>
  static void fields(Self& g, Io& io) {
    io(g.requests, g.cpu_pct_sum, g.wait_pct_sum, g.behind_saturated);
  }
};

enum class GeneratorVerdict {
  held,              ///< nothing worth a warning
  could_not_hold,    ///< requests behind schedule while their driver was saturated: the client
  late_unexplained,  ///< sent late with a worker free, the driver neither busy nor starved
};

/// A step's verdict: could_not_hold when over kLateWarnShare of its `sent` requests started
/// behind schedule by their driver's doing (generator_to_blame), whichever the server; else
/// late_unexplained when over that share were `late` (a worker free) all the same; else held.
/// Requests queued at the cap while the driver idled are the server's (or the cap's) doing, never
/// the generator's.
GeneratorVerdict judge_generator(std::uint64_t sent, std::uint64_t late,
                                 std::uint64_t behind_saturated);

/// "held", "could not hold", "late, not saturated".
std::string_view to_string(GeneratorVerdict v);

}  // namespace fanout
