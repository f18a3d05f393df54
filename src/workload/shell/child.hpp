// Child: one attempt of a farm task as a process of its own — /bin/sh -c COMMAND in a process group
// of its own, output straight into its log files, watched through a pidfd, reaped with its rusage.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace fanout {

/// What every task of a rank is started with.
struct ChildSetup {
  std::string workdir;           ///< "" keeps fanout's working directory
  std::vector<std::string> env;  ///< this process's environment minus the variables set per task
  int cores = 1;                 ///< OMP_NUM_THREADS and FANOUT_CORES
  int rank = 0;                  ///< FANOUT_RANK
  int node = 0;                  ///< FANOUT_NODE
  /// Builds `env` from this process's environment; with `gpus`, without its CUDA_VISIBLE_DEVICES
  /// and ROCR_VISIBLE_DEVICES (each task gets its own).
  static ChildSetup from_environment(std::string workdir, int cores, int rank, int node,
                                     bool gpus = false);
};

/// A started attempt: its pid, which is also its process group, and a pidfd that turns readable
/// when it exits.
struct Child {
  pid_t pid = -1;
  int pidfd = -1;
};

/// How an attempt ended.
struct ChildEnd {
  int exit_code = 0;  ///< its exit status; 0 when a signal ended it
  int signal = 0;     ///< the signal that ended it, 0 if it exited
  rusage usage{};     ///< of the shell and every child it waited for (wait4)
};

/// Where an attempt's stdout and stderr go; the child writes there itself, nothing passes through
/// this process.
struct ChildOutput {
  /// Files the child opens: created, then truncated, or appended to with `append`.
  std::string out_path, err_path;
  bool append = false;
  /// Or descriptors of this process (close-on-exec) it gets as its own: the paths are then unused.
  int out_fd = -1, err_fd = -1;
  /// What an error message names as where the output goes.
  std::string where() const { return out_fd >= 0 ? "its output spool" : "logs " + out_path; }
};

/// Starts `/bin/sh -c command` for task `seq` in slot `slot` (both 1-based; FANOUT_TASK_ID and
/// FANOUT_SLOT), with `gpus` ("" none) as its CUDA_VISIBLE_DEVICES and ROCR_VISIBLE_DEVICES, in a
/// new process group, stdin from /dev/null, stdout and stderr to `output`, the stop signals at
/// their defaults. nullopt, with `error` saying why, when it cannot be started.
std::optional<Child> start_child(const ChildSetup& setup, const std::string& command,
                                 unsigned long long seq, int slot, const std::string& gpus,
                                 const ChildOutput& output, std::string& error);

/// Sends `sig` to every process of the attempt's group (the shell and what it started).
void signal_group(const Child& child, int sig);

/// Once the child has exited (its pidfd readable): kills what it left running in its group (so no
/// task leaves orphans behind; setsid escapes this on purpose), reaps it and closes the pidfd.
ChildEnd reap_child(Child& child);

/// Waits up to `timeout_ms` (-1: for ever) for the child to exit; true when it has.
bool wait_exit(const Child& child, int timeout_ms);

}  // namespace fanout
