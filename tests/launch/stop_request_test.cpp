// StopRequest: the first SIGTERM/SIGINT only sets the flag, a repeat within a second too, one
// later kills; the previous handlers come back.
#include "launch/stop_request.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace fanout {
namespace {

void (*current_handler(int sig))(int) {
  struct sigaction sa {};
  sigaction(sig, nullptr, &sa);
  return sa.sa_handler;
}

TEST(StopRequest, FirstSignalOnlySetsTheFlag) {
  StopRequest stop;
  EXPECT_FALSE(stop.flag().requested());
  EXPECT_EQ(stop.signal(), 0);
  std::raise(SIGTERM);
  EXPECT_TRUE(stop.flag().requested());
  EXPECT_EQ(stop.signal(), SIGTERM);
  std::raise(SIGINT);  // within the second: the same request, and the first reason stays
  EXPECT_EQ(stop.signal(), SIGTERM);
}

TEST(StopRequest, EachInstanceStartsClearAndRestoresThePreviousHandlers) {
  EXPECT_EQ(current_handler(SIGTERM), SIG_DFL);
  {
    StopRequest stop;
    EXPECT_FALSE(stop.flag().requested()) << "a signal of an earlier StopRequest leaked in";
    EXPECT_NE(current_handler(SIGTERM), SIG_DFL);
    EXPECT_NE(current_handler(SIGINT), SIG_DFL);
    std::raise(SIGINT);
    EXPECT_EQ(stop.signal(), SIGINT);
  }
  EXPECT_EQ(current_handler(SIGTERM), SIG_DFL);
  EXPECT_EQ(current_handler(SIGINT), SIG_DFL);
}

TEST(StopRequest, AnIgnoredSignalStaysIgnored) {
  std::signal(SIGINT, SIG_IGN);
  {
    StopRequest stop;
    EXPECT_EQ(current_handler(SIGINT), SIG_IGN);
    std::raise(SIGINT);
    EXPECT_FALSE(stop.flag().requested());
  }
  EXPECT_EQ(current_handler(SIGINT), SIG_IGN);
  std::signal(SIGINT, SIG_DFL);
}

TEST(StopRequest, SignalFromAnotherThreadIsSeen) {
  StopRequest stop;
  std::thread([] { ::kill(::getpid(), SIGTERM); }).join();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!stop.flag().requested() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(stop.signal(), SIGTERM);
}

TEST(StopRequestDeathTest, ASignalMoreThanASecondLaterKills) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        StopRequest stop;
        std::raise(SIGTERM);
        std::this_thread::sleep_for(
            std::chrono::duration<double>(StopRequest::kInsistAfter_s + 0.2));
        std::raise(SIGINT);
        std::exit(0);  // not reached: the user insisted
      },
      testing::KilledBySignal(SIGINT), "");
}

TEST(StopRequest, NamesAndExitStatuses) {
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGINT), "SIGINT");
  EXPECT_EQ(signal_name(SIGUSR1), "signal " + std::to_string(SIGUSR1));
  EXPECT_EQ(stopped_exit_status(SIGTERM), 143);
  EXPECT_EQ(stopped_exit_status(SIGINT), 130);
}

}  // namespace
}  // namespace fanout
