// Stop signals for every command: SIGTERM (a scheduler's time limit) or SIGINT ends the work in
// hand early, and the command still writes what it has.
#pragma once

#include <sys/types.h>

#include <string>

#include "exec/stop_flag.hpp"

namespace fanout {

/// While alive, the first SIGTERM or SIGINT does not kill the process: the handler only sets
/// flag(), which task sources and engines check (run, compare), wakes wait() (serve), and passes
/// the signal on to the child registered with forward_to() (the point a study runs). A SIGTERM or
/// SIGINT at least kInsistAfter_s after the first kills the process as if no handler were
/// installed (a user who insists). Those within that window count as the same request arriving
/// twice: Slurm signals every process of a step while mpirun forwards its own SIGTERM, and a
/// terminal's Ctrl-C reaches mpirun and the ranks alike. A signal that was ignored when this was
/// created (SIGINT of a background job) stays ignored. One per process at a time; the previous
/// handlers come back on destruction.
class StopRequest {
 public:
  static constexpr double kInsistAfter_s = 1.0;

  StopRequest();
  ~StopRequest();
  StopRequest(const StopRequest&) = delete;
  StopRequest& operator=(const StopRequest&) = delete;

  /// The flag the handler sets; its reason() is the signal (or a farm's halt). The writable one
  /// is for whoever passes on a stop that arrived elsewhere (another rank's signal, see
  /// StopRelay, or a farm's halt rule).
  const StopFlag& flag() const;
  StopFlag& flag();
  /// SIGTERM or SIGINT once one arrived, else 0.
  int signal() const { return flag().reason().signal_number(); }
  /// Sleeps until a stop signal has arrived.
  void wait() const;

  /// Every stop signal from now on is also sent to `pid` (0: to nobody), whether or not a
  /// StopRequest is alive: the child decides for itself what a stop means.
  static void forward_to(pid_t pid);
};

/// "SIGTERM", "SIGINT", or "signal N".
std::string signal_name(int sig);
/// signal_name of a stop's signal, "halt" for a farm's halt, "walltime" for its allocation's end.
std::string stop_name(StopReason reason);

/// The exit status of a farm that stopped at its walltime with tasks left for a later job:
/// sysexits' EX_TEMPFAIL ("try again later"), apart from a failure (1), bad input (2) and a
/// signal (128 + N).
inline constexpr int kWalltimeExitStatus = 75;

/// The exit status of a command that `sig` stopped: 128 + sig (143, 130), as a shell reports a
/// process the signal ended, so batch scripts tell a stopped run from a complete (0) or failed
/// (1, 2) one.
int stopped_exit_status(int sig);
/// That of the stop's signal, 1 for a farm's halt, which its failed tasks caused, or
/// kWalltimeExitStatus.
int stopped_exit_status(StopReason reason);

}  // namespace fanout
