// The async-signal-safe SIGTERM/SIGINT handler: it sets lock-free atomics and nothing else.
#include "app/stop_request.hpp"

#include <time.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>

namespace fanout {
namespace {

constexpr int kStopSignals[] = {SIGTERM, SIGINT};

StopFlag g_flag;
/// CLOCK_MONOTONIC of the first signal in ns (never 0), or 0 before it.
std::atomic<std::int64_t> g_first_ns{0};
static_assert(std::atomic<std::int64_t>::is_always_lock_free, "used from a signal handler");
struct sigaction g_previous[2] {};
bool g_installed[2] = {false, false};

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe (POSIX)
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void on_stop_signal(int sig) {
  const int saved_errno = errno;
  const std::int64_t now = monotonic_ns() | 1;
  std::int64_t first = 0;
  // The compare-exchange picks one first signal even when two threads take one each at once.
  if (g_first_ns.compare_exchange_strong(first, now)) {
    g_flag.request(sig);
  } else if (now - first >= static_cast<std::int64_t>(StopRequest::kInsistAfter_s * 1e9)) {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(sig, &dfl, nullptr);
    // Blocked while this handler runs: delivered, with the default action, when it returns.
    ::raise(sig);
  }
  errno = saved_errno;
}

}  // namespace

StopRequest::StopRequest() {
  g_flag.clear();
  g_first_ns.store(0);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : kStopSignals) sigaddset(&sa.sa_mask, sig);  // one handler at a time per thread
  sa.sa_flags = SA_RESTART;  // slow system calls elsewhere (MPI, curl, writes) carry on
  for (int i = 0; i < 2; ++i) {
    struct sigaction current {};
    ::sigaction(kStopSignals[i], nullptr, &current);
    if (current.sa_handler == SIG_IGN) continue;
    g_installed[i] = ::sigaction(kStopSignals[i], &sa, &g_previous[i]) == 0;
  }
}

StopRequest::~StopRequest() {
  for (int i = 0; i < 2; ++i) {
    if (g_installed[i]) ::sigaction(kStopSignals[i], &g_previous[i], nullptr);
    g_installed[i] = false;
  }
}

const StopFlag& StopRequest::flag() const { return g_flag; }

std::string signal_name(int sig) {
  if (sig == SIGTERM) return "SIGTERM";
  if (sig == SIGINT) return "SIGINT";
  return "signal " + std::to_string(sig);
}

int stopped_exit_status(int sig) { return 128 + sig; }

}  // namespace fanout
