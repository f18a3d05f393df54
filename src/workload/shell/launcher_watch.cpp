// getppid() against the parent seen at the start: one system call, cheap enough to ask before
// every task starts and on every tick of the farm's engines.
#include "workload/shell/launcher_watch.hpp"

#include <unistd.h>

#include "launch/launcher_env.hpp"

namespace fanout {

LauncherWatch LauncherWatch::of_this_process() {
  return started_by_launcher() ? LauncherWatch(::getppid()) : LauncherWatch();
}

bool LauncherWatch::gone() const { return parent_ > 0 && ::getppid() != parent_; }

}  // namespace fanout
