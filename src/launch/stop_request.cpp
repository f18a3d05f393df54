// The async-signal-safe SIGTERM/SIGINT handler: it sets lock-free atomics, writes one byte to a
// pipe, forwards the signal to a registered child, and nothing else.
#include "launch/stop_request.hpp"

#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

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
std::atomic<pid_t> g_child{0};
/// Write end of the pipe wait() sleeps on; -1 when none.
std::atomic<int> g_wake_fd{-1};
static_assert(std::atomic<std::int64_t>::is_always_lock_free, "used from a signal handler");
static_assert(std::atomic<pid_t>::is_always_lock_free, "used from a signal handler");
struct sigaction g_previous[2]{};
bool g_installed[2] = {false, false};
int g_pipe[2] = {-1, -1};

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe (POSIX)
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void on_stop_signal(int sig) {
  const int saved_errno = errno;
  if (const pid_t child = g_child.load(); child > 0) ::kill(child, sig);
  const std::int64_t now = monotonic_ns() | 1;
  std::int64_t first = 0;
  // The compare-exchange picks one first signal even when two threads take one each at once.
  if (g_first_ns.compare_exchange_strong(first, now)) {
    g_flag.request(StopReason::signal(sig));
    if (const int fd = g_wake_fd.load(); fd >= 0) {
      const char byte = 1;
      [[maybe_unused]] const ssize_t n = ::write(fd, &byte, 1);
    }
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
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) == 0) g_wake_fd.store(g_pipe[1]);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : kStopSignals) sigaddset(&sa.sa_mask, sig);  // one handler at a time per thread
  sa.sa_flags = SA_RESTART;  // slow system calls elsewhere (MPI, curl, writes, waitpid) carry on
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
  g_wake_fd.store(-1);
  for (int& fd : g_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

const StopFlag& StopRequest::flag() const { return g_flag; }
StopFlag& StopRequest::flag() { return g_flag; }

void StopRequest::wait() const {
  while (!g_flag.requested()) {
    pollfd p{g_pipe[0], POLLIN, 0};
    // Bounded, in case the pipe could not be made: the flag is checked again each time.
    ::poll(&p, g_pipe[0] >= 0 ? 1 : 0, 100);
  }
}

void StopRequest::forward_to(pid_t pid) { g_child.store(pid); }

std::string signal_name(int sig) {
  if (sig == SIGTERM) return "SIGTERM";
  if (sig == SIGINT) return "SIGINT";
  return "signal " + std::to_string(sig);
}

std::string stop_name(StopReason reason) {
  if (reason.kind() == StopReason::Kind::walltime) return "walltime";
  return reason.is_halt() ? "halt" : signal_name(reason.signal_number());
}

int stopped_exit_status(int sig) { return 128 + sig; }

int stopped_exit_status(StopReason reason) {
  // A halt is the farm's own verdict on failed tasks, not a signal: exit 1, as for failed tasks.
  if (reason.kind() == StopReason::Kind::walltime) return kWalltimeExitStatus;
  return reason.is_halt() ? 1 : stopped_exit_status(reason.signal_number());
}

}  // namespace fanout
