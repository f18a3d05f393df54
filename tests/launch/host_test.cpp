// Tests of the host facts: thread-count defaults from OMP_NUM_THREADS and the affinity mask.
#include "launch/host.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace fanout {
namespace {

// Sets OMP_NUM_THREADS (or unsets it for nullopt) for one test and restores it afterwards.
class ScopedOmpNumThreads {
 public:
  explicit ScopedOmpNumThreads(std::optional<std::string> value) {
    if (const char* old = std::getenv("OMP_NUM_THREADS")) old_ = old;
    if (value) {
      setenv("OMP_NUM_THREADS", value->c_str(), 1);
    } else {
      unsetenv("OMP_NUM_THREADS");
    }
  }
  ~ScopedOmpNumThreads() {
    if (old_) {
      setenv("OMP_NUM_THREADS", old_->c_str(), 1);
    } else {
      unsetenv("OMP_NUM_THREADS");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(WorkerCount, DefaultThreadsHonoursOmpNumThreads) {
  {
    ScopedOmpNumThreads env("3");
    EXPECT_EQ(default_threads(), 3);
  }
  {
    ScopedOmpNumThreads env("5,2");
    EXPECT_EQ(default_threads(), 5);
  }
  {
    ScopedOmpNumThreads env(" 6 ");
    EXPECT_EQ(default_threads(), 6);
  }
}

TEST(WorkerCount, InvalidOrMissingOmpNumThreadsFallsBackToAffinity) {
  for (const char* bad : {"", "0", "-2", "abc", "4x", "99999999999999"}) {
    ScopedOmpNumThreads env(std::string{bad});
    EXPECT_EQ(default_threads(), affinity_cores()) << "'" << bad << "'";
  }
  ScopedOmpNumThreads env(std::nullopt);
  EXPECT_EQ(default_threads(), affinity_cores());
}

TEST(WorkerCount, AffinityCoresFollowsTheMask) {
  cpu_set_t original;
  ASSERT_EQ(sched_getaffinity(0, sizeof(original), &original), 0);
  EXPECT_EQ(affinity_cores(), CPU_COUNT(&original));
  int first = 0;
  while (!CPU_ISSET(first, &original)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  EXPECT_EQ(affinity_cores(), 1);
  ScopedOmpNumThreads env(std::nullopt);
  EXPECT_EQ(default_threads(), 1);
  ASSERT_EQ(sched_setaffinity(0, sizeof(original), &original), 0);
}

TEST(Host, NameAndCores) {
  EXPECT_FALSE(host_name().empty());
  EXPECT_EQ(host_name().find('.'), std::string::npos) << "the short name";
  EXPECT_GE(online_cores(), 1);
  EXPECT_GE(online_cores(), static_cast<int>(affinity_cpus().size()));
}

}  // namespace
}  // namespace fanout
