// Internal to src/mpi: the lock that serialises MPI calls, and waiting on requests without a busy
// core.
#pragma once

#include <mpi.h>

#include <chrono>
#include <mutex>

namespace fanout::mpi {

/// Every MPI call of the program holds this lock: MPI is initialised with MPI_THREAD_SERIALIZED,
/// and rank 0's dispatcher thread talks MPI while the main thread may be in a collective.
std::mutex& mpi_mutex();

using MpiGuard = std::lock_guard<std::mutex>;

/// Aborts through FANOUT_CHECK when an MPI call did not return MPI_SUCCESS.
void check_mpi(int rc, const char* what);

/// How long to sleep between polls: starts at `first`, doubles up to `cap`.
struct Backoff {
  std::chrono::nanoseconds first{20'000};
  std::chrono::nanoseconds cap{10'000'000};
  /// Sleep with 1 us timer slack instead of Linux's default 50 us, so that short sleeps on the
  /// critical path of dispatch are not stretched (on a loaded VM a 1 us sleep took 300 us).
  bool precise = false;
};

/// For waits that may last long (a rank sitting out while rank 0 measures): at most ~10 ms late,
/// and each wake-up (~30 us of CPU on a VM) then costs ~0.3 % of a core instead of ~3 % at a 1 ms
/// cap, which showed as a 3-point efficiency loss of the threads model on 2 cores. Where a
/// precise common start matters, World::sync_barrier follows the idle barrier.
inline constexpr Backoff kIdleBackoff{};
/// For waits on the critical path of task dispatch: at most ~64 us late.
inline constexpr Backoff kDispatchBackoff{std::chrono::nanoseconds{2'000},
                                          std::chrono::nanoseconds{64'000}, true};

/// Sets the calling thread's timer slack to 1 us; restores the previous slack when destroyed.
class PreciseSleeps {
 public:
  PreciseSleeps();
  ~PreciseSleeps();
  PreciseSleeps(const PreciseSleeps&) = delete;
  PreciseSleeps& operator=(const PreciseSleeps&) = delete;

 private:
  long previous_ns_;
};

/// Waits until all `n` requests complete by MPI_Testall under the lock, sleeping in between.
/// Open MPI busy-polls inside blocking calls; this keeps a waiting rank off the cores others
/// measure on.
void wait_idle(MPI_Request* requests, int n, Backoff backoff = kIdleBackoff);
inline void wait_idle(MPI_Request& request, Backoff backoff = kIdleBackoff) {
  wait_idle(&request, 1, backoff);
}

/// Starts a nonblocking call (`start(MPI_Request*)` returns its error code) under the lock, then
/// waits for it idly.
template <class Start>
void run_idle(Start&& start, const char* what, Backoff backoff = kIdleBackoff) {
  MPI_Request req = MPI_REQUEST_NULL;
  {
    MpiGuard lock(mpi_mutex());
    check_mpi(start(&req), what);
  }
  wait_idle(req, backoff);
}

/// Sleeps for `d` (nanosleep); the one place the back-off sleeps.
void sleep_for(std::chrono::nanoseconds d);

}  // namespace fanout::mpi
