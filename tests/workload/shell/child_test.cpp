// Child: /bin/sh -c in a process group of its own, logs written by the child, the task's
// variables, exit codes and signals from wait4, and nothing of the group left behind.
#include "workload/shell/child.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "../../temp_dir.hpp"
#include "process_probe.hpp"

namespace fanout {
namespace {

using test::slurp;

/// True while `pid` is a live process (a zombie is not).
using test::alive;

ChildOutput files(const std::string& out, const std::string& err) {
  ChildOutput o;
  o.out_path = out;
  o.err_path = err;
  return o;
}

struct ChildRun {
  test::ScratchDir dir{"child"};
  ChildSetup setup = ChildSetup::from_environment("", 2, 5, 1);
  ChildEnd go(const std::string& command, bool append = false, int slot = 3,
              const std::string& gpus = "") {
    std::string error;
    ChildOutput output = files(dir / "17.out", dir / "17.err");
    output.append = append;
    auto child = start_child(setup, command, 17, slot, gpus, output, error);
    EXPECT_TRUE(child) << error;
    if (!child) return {};
    EXPECT_TRUE(wait_exit(*child, 10000));
    return reap_child(*child);
  }
};

TEST(Child, RunsThroughShWithTheTasksVariablesAndItsOwnLogs) {
  ChildRun r;
  ::setenv("FANOUT_TASK_ID", "999", 1);  // fanout's own environment never leaks into a task's
  r.setup = ChildSetup::from_environment(r.dir.path().string(), 2, 5, 1);
  ::unsetenv("FANOUT_TASK_ID");
  const ChildEnd end = r.go(
      "echo $FANOUT_TASK_ID $FANOUT_RANK $FANOUT_SLOT $FANOUT_NODE $FANOUT_CORES $OMP_NUM_THREADS; "
      "pwd; echo oops >&2; read x || echo no-stdin");
  EXPECT_EQ(end.exit_code, 0);
  EXPECT_EQ(end.signal, 0);
  EXPECT_EQ(slurp((r.dir / "17.out")), "17 5 3 1 2 2\n" + r.dir.path().string() + "\nno-stdin\n");
  EXPECT_EQ(slurp((r.dir / "17.err")), "oops\n");
}

TEST(Child, GpusReplaceFanoutsOwnVisibleDevicesOnlyWhenHandedOut) {
  ChildRun r;
  ::setenv("CUDA_VISIBLE_DEVICES", "0,1,2,3", 1);
  ::setenv("ROCR_VISIBLE_DEVICES", "0,1,2,3", 1);
  r.setup = ChildSetup::from_environment("", 1, 0, 0, true);
  r.go("echo \"$CUDA_VISIBLE_DEVICES $ROCR_VISIBLE_DEVICES\"", false, 1, "1,3");
  EXPECT_EQ(slurp((r.dir / "17.out")), "1,3 1,3\n");
  // Without GPUs handed out, a task sees what fanout was given.
  r.setup = ChildSetup::from_environment("", 1, 0, 0);
  r.go("echo \"$CUDA_VISIBLE_DEVICES $ROCR_VISIBLE_DEVICES\"");
  ::unsetenv("CUDA_VISIBLE_DEVICES");
  ::unsetenv("ROCR_VISIBLE_DEVICES");
  EXPECT_EQ(slurp((r.dir / "17.out")), "0,1,2,3 0,1,2,3\n");
}

TEST(Child, ExitCodesSignalsAndAMissingCommand) {
  ChildRun r;
  EXPECT_EQ(r.go("exit 3").exit_code, 3);
  const ChildEnd killed = r.go("kill -9 $$");
  EXPECT_EQ(killed.signal, 9);
  EXPECT_EQ(killed.exit_code, 0);
  EXPECT_EQ(r.go("no-such-command-fanout").exit_code, 127);
  EXPECT_NE(slurp((r.dir / "17.err")).find("not found"), std::string::npos);
}

TEST(Child, RetriesAppendToTheLogs) {
  ChildRun r;
  r.go("echo first");
  r.go("echo second", true);
  EXPECT_EQ(slurp((r.dir / "17.out")), "first\nsecond\n");
  r.go("echo fresh");
  EXPECT_EQ(slurp((r.dir / "17.out")), "fresh\n");
}

TEST(Child, WritesToDescriptorsItIsHanded) {
  ChildRun r;
  const std::string out = r.dir / "spool.out", err = r.dir / "spool.err";
  const int out_fd = ::open(out.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const int err_fd = ::open(err.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  ASSERT_GE(out_fd, 0);
  ASSERT_GE(err_fd, 0);
  ChildOutput output;
  output.out_fd = out_fd;
  output.err_fd = err_fd;
  std::string error;
  auto child = start_child(r.setup, "echo to-out; echo to-err >&2", 17, 1, "", output, error);
  ::close(out_fd);
  ::close(err_fd);
  ASSERT_TRUE(child) << error;
  ASSERT_TRUE(wait_exit(*child, 10000));
  EXPECT_EQ(reap_child(*child).exit_code, 0);
  EXPECT_EQ(slurp(out), "to-out\n");
  EXPECT_EQ(slurp(err), "to-err\n");
}

TEST(Child, UsageComesFromWait4) {
  ChildRun r;
  const ChildEnd end = r.go("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
  const double cpu = end.usage.ru_utime.tv_sec + end.usage.ru_utime.tv_usec / 1e6 +
                     end.usage.ru_stime.tv_sec + end.usage.ru_stime.tv_usec / 1e6;
  EXPECT_GT(cpu, 0.01);
  EXPECT_GT(end.usage.ru_maxrss, 0);
}

TEST(Child, ReapEndsWhatTheTaskLeftRunningInItsGroup) {
  ChildRun r;
  r.go("sleep 1000 & echo $! > " + (r.dir / "pid"));
  const pid_t orphan = static_cast<pid_t>(std::stol(slurp((r.dir / "pid"))));
  for (int i = 0; i < 100 && alive(orphan); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(alive(orphan)) << "the task's background sleep survived it";
}

TEST(Child, SignalGroupReachesEveryProcessAndDefaultsApplyEvenWhenFanoutIgnoresThem) {
  ChildRun r;
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGTERM, &ignore, &old);
  std::string error;
  auto child = start_child(r.setup, "sleep 1000 & echo $! > " + (r.dir / "pid") + "; wait", 1, 1,
                           "", files(r.dir / "o", r.dir / "e"), error);
  ::sigaction(SIGTERM, &old, nullptr);
  ASSERT_TRUE(child) << error;
  for (int i = 0; i < 500 && slurp((r.dir / "pid")).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const pid_t grandchild = static_cast<pid_t>(std::stol(slurp((r.dir / "pid"))));
  signal_group(*child, SIGTERM);
  ASSERT_TRUE(wait_exit(*child, 10000));
  const ChildEnd end = reap_child(*child);
  EXPECT_EQ(end.signal, SIGTERM);
  for (int i = 0; i < 100 && alive(grandchild); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(alive(grandchild));
}

TEST(Child, UnstartableTaskSaysWhy) {
  ChildRun r;
  r.setup.workdir = (r.dir / "missing-dir");
  std::string error;
  EXPECT_FALSE(start_child(r.setup, "true", 1, 1, "", files(r.dir / "o", r.dir / "e"), error));
  EXPECT_NE(error.find("cannot start /bin/sh"), std::string::npos) << error;
  EXPECT_NE(error.find("missing-dir"), std::string::npos) << error;
  r.setup.workdir.clear();
  error.clear();
  EXPECT_FALSE(
      start_child(r.setup, "true", 1, 1, "", files(r.dir / "no/such/o", r.dir / "e"), error));
  EXPECT_NE(error.find("no/such/o"), std::string::npos) << error;
}

}  // namespace
}  // namespace fanout
