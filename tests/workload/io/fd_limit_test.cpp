// Transfers in flight need a file descriptor each: the soft limit is raised for them, and a
// concurrency past the hard limit is refused up front instead of failing as "Couldn't connect".
#include "workload/io/fd_limit.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include "cli/config_error.hpp"
#include "job/job_options.hpp"

namespace fanout {
namespace {

rlimit current() {
  rlimit l{};
  ::getrlimit(RLIMIT_NOFILE, &l);
  return l;
}

TEST(FdLimit, RaisesTheSoftLimitUpToTheHardOne) {
  rlimit l = current();
  if (l.rlim_max != RLIM_INFINITY && l.rlim_max < 512) GTEST_SKIP() << "hard limit too low";
  l.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &l), 0);
  EXPECT_EQ(raise_fd_limit(500), 500u);
  EXPECT_EQ(current().rlim_cur, 500u);
  EXPECT_EQ(raise_fd_limit(100), 100u);  // never lowered
  EXPECT_EQ(current().rlim_cur, 500u);
}

TEST(FdLimit, AConcurrencyPastTheHardLimitIsRefusedNamingTheKey) {
  // Lowering the hard limit lasts for this process only: each test runs in its own.
  rlimit l{200, 200};
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &l), 0);
  try {
    job_from_flags(
        {"--workload", "io", "--io.url", "http://127.0.0.1:1/", "--io.concurrency", "1000"});
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("--io.concurrency '1000': needs about 1064 open files", 0), 0u) << msg;
    EXPECT_NE(msg.find("use io.concurrency of at most 136"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(job_from_flags(
      {"--workload", "io", "--io.url", "http://127.0.0.1:1/", "--io.concurrency", "100"}));
}

}  // namespace
}  // namespace fanout
