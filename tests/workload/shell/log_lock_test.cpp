// One farm per joblog: the lock beside it refuses a second holder, naming who holds it, and lets
// the first farm's other processes join; it goes with its last holder.
#include "workload/shell/log_lock.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include "../../temp_dir.hpp"
#include "cli/config_error.hpp"

namespace fanout {
namespace {

using test::slurp;

std::string refusal(const std::string& log) {
  try {
    LogLock::lead(log, "--shell.joblog", lock_holder("other"));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(LogLock, ASecondLeaderIsRefusedNamingTheHolder) {
  test::ScratchDir dir("loglock");
  const std::string log = dir / "joblog";
  {
    LogLock held = LogLock::lead(log, "--shell.joblog", lock_holder("node01"));
    const std::string why = refusal(log);
    EXPECT_EQ(why, "--shell.joblog " + log + ": another farm is writing it (fanout pid " +
                       std::to_string(::getpid()) +
                       " on node01); run again once it has ended, or give another joblog");
    EXPECT_THROW(LogLock::lead(log, "--shell.joblog", "pid 1 on x"), ConfigError);
  }
  // Released with its holder: the next farm takes it and names itself alone.
  LogLock next = LogLock::lead(log, "--shell.joblog", lock_holder("node02"));
  EXPECT_EQ(slurp(LogLock::lock_path(log)), lock_holder("node02") + "\n");
}

TEST(LogLock, ARefusedFarmLeavesNoLockFileItMade) {
  test::ScratchDir dir("loglock");
  const std::string log = dir / "joblog";
  const std::string lock = LogLock::lock_path(log);
  LogLock made = LogLock::lead(log, "--shell.joblog", lock_holder("node01"));
  made.discard();
  EXPECT_NE(::access(lock.c_str(), F_OK), 0) << "the lock file this lead made stayed";
  // A lock file an earlier farm left stays: only what this farm made goes.
  { LogLock earlier = LogLock::lead(log, "--shell.joblog", lock_holder("node01")); }
  LogLock found = LogLock::lead(log, "--shell.joblog", lock_holder("node02"));
  found.discard();
  EXPECT_EQ(::access(lock.c_str(), F_OK), 0);
  // Released: the next farm takes it at once.
  LogLock next = LogLock::lead(log, "--shell.joblog", lock_holder("node03"));
}

TEST(LogLock, TheFarmsOtherProcessesJoinAndHoldItToo) {
  test::ScratchDir dir("loglock");
  const std::string log = dir / "joblog";
  std::optional<LogLock> lead = LogLock::lead(log, "--shell.joblog", "pid 10 on a");
  std::optional<LogLock> one = LogLock::join(log, "--shell.joblog", "pid 11 on a");
  std::optional<LogLock> two = LogLock::join(log, "--shell.joblog", "pid 12 on b");
  LogLock three = LogLock::join(log, "--shell.joblog", "pid 13 on b");
  EXPECT_EQ(read_lock_holders(LogLock::lock_path(log)),
            (std::vector<std::string>{"pid 10 on a", "pid 11 on a", "pid 12 on b", "pid 13 on b"}));
  EXPECT_NE(refusal(log).find("(fanout pid 10 on a, pid 11 on a, pid 12 on b and 1 more)"),
            std::string::npos)
      << refusal(log);
  // The first process gone, the others still write: still refused.
  lead.reset();
  one.reset();
  two.reset();
  EXPECT_NE(refusal(log).find("another farm is writing it"), std::string::npos);
}

TEST(LogLock, ALockFileThatCannotBeMadeIsNamed) {
  test::ScratchDir dir("loglock");
  const std::string log = (dir.path() / "missing" / "joblog").string();
  try {
    LogLock::lead(log, "--shell.joblog", "pid 1 on a");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--shell.joblog " + log + ": cannot make its lock file " +
                                         log + ".lock ("),
              std::string::npos)
        << e.what();
  }
}

TEST(LogLock, HoldersAreOnlyLinesOfTheirForm) {
  test::ScratchDir dir("loglock");
  const std::string path = dir / "x.lock";
  {
    std::ofstream out(path);
    out << "pid 5 on n1\ngarbage\npid 6 on n2\n";
  }
  EXPECT_EQ(read_lock_holders(path), (std::vector<std::string>{"pid 5 on n1", "pid 6 on n2"}));
  EXPECT_TRUE(read_lock_holders(dir / "absent.lock").empty());
}

}  // namespace
}  // namespace fanout
