// The process-wide MPI lock and the test-and-sleep wait every long MPI wait goes through.
#include "mpi/mpi_lock.hpp"

#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>

#include "mpi/check.hpp"

namespace fanout::mpi {

std::mutex& mpi_mutex() {
  static std::mutex m;
  return m;
}

void sleep_for(std::chrono::nanoseconds d) {
  timespec ts{static_cast<time_t>(d.count() / 1'000'000'000),
              static_cast<long>(d.count() % 1'000'000'000)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

PreciseSleeps::PreciseSleeps() : previous_ns_(prctl(PR_GET_TIMERSLACK)) {
  prctl(PR_SET_TIMERSLACK, 1000UL);
}

PreciseSleeps::~PreciseSleeps() {
  if (previous_ns_ > 0) prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(previous_ns_));
}

void wait_idle(MPI_Request* requests, int n, Backoff backoff) {
  auto delay = backoff.first;
  std::optional<PreciseSleeps> precise;
  for (;;) {
    int done = 0;
    {
      MpiGuard lock(mpi_mutex());
      check_mpi(MPI_Testall(n, requests, &done, MPI_STATUSES_IGNORE), "MPI_Testall");
    }
    if (done) return;
    if (backoff.precise && !precise) precise.emplace();
    sleep_for(delay);
    delay = std::min(delay * 2, backoff.cap);
  }
}

void check_mpi(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  FANOUT_CHECK(false,
               std::string(what) + " failed: " + std::string(text, static_cast<std::size_t>(len)));
}

}  // namespace fanout::mpi
