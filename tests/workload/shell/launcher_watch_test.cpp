// LauncherWatch: a process whose parent dies is re-parented, and the watch sees it.
#include "workload/shell/launcher_watch.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fanout {
namespace {

TEST(LauncherWatch, ThisProcessesParentIsAlive) {
  EXPECT_FALSE(LauncherWatch(::getppid()).gone());
  EXPECT_FALSE(LauncherWatch().gone());
}

TEST(LauncherWatch, AWatchedParentThatIsNotTheParentIsGone) {
  // Whatever this process's parent is, it is not itself.
  EXPECT_TRUE(LauncherWatch(::getpid()).gone());
}

TEST(LauncherWatch, SeesItsParentDie) {
  // launcher (a child of the test) -> rank (its child): the launcher exits once the rank watches
  // it, and the rank reports through a pipe what its watch said before and after.
  int report_fds[2], ready_fds[2];
  ASSERT_EQ(::pipe(report_fds), 0);
  ASSERT_EQ(::pipe(ready_fds), 0);
  const pid_t launcher = ::fork();
  ASSERT_GE(launcher, 0);
  if (launcher == 0) {
    if (::fork() == 0) {
      const LauncherWatch watch(::getppid());
      const char before = watch.gone() ? 'y' : 'n';
      (void)::write(ready_fds[1], "r", 1);
      char after = 'n';
      for (int i = 0; i < 500 && after == 'n'; ++i) {
        ::usleep(10000);
        after = watch.gone() ? 'y' : 'n';
      }
      const char report[2] = {before, after};
      (void)::write(report_fds[1], report, 2);
      ::_exit(0);
    }
    char c;
    (void)::read(ready_fds[0], &c, 1);
    ::_exit(0);
  }
  ::close(report_fds[1]);
  ::close(ready_fds[0]);
  ::close(ready_fds[1]);
  int status = 0;
  ::waitpid(launcher, &status, 0);
  char report[2] = {0, 0};
  ASSERT_EQ(::read(report_fds[0], report, 2), 2);
  ::close(report_fds[0]);
  EXPECT_EQ(report[0], 'n');
  EXPECT_EQ(report[1], 'y');
}

}  // namespace
}  // namespace fanout
