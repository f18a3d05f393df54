// LauncherWatch: whether the launcher that started this rank (mpirun, srun's step daemon) still
// lives, so that a rank whose launcher was killed starts no more tasks of the farm.
#pragma once

#include <sys/types.h>

namespace fanout {

/// A rank of mpirun or srun is its launcher's child. A launcher killed outright (SIGKILL, which it
/// cannot pass on) leaves its ranks running for seconds, each in a process group of its own, and
/// they would go on starting tasks while a resume of the same farm runs them again. When the
/// launcher dies its ranks are re-parented: getppid() no longer names it.
class LauncherWatch {
 public:
  /// Watches nothing: gone() is always false.
  LauncherWatch() = default;
  /// Watches `parent`; 0 or less watches nothing.
  explicit LauncherWatch(pid_t parent) : parent_(parent) {}
  /// This process's parent when a launcher started it as a rank; nothing for a process started by
  /// hand or by a batch script (whose shell may end while it runs on: nohup).
  static LauncherWatch of_this_process();

  /// True once the watched parent is no longer this process's parent.
  bool gone() const;

 private:
  pid_t parent_ = 0;
};

}  // namespace fanout
