// The periodic stall route: its closed-form wait, its query, and one request over HTTP.
#include "server/periodic_stall.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "curl_client.hpp"
#include "server/server.hpp"

namespace fanout {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicStallWait, InsideAWindowWaitsForItsEndOutsideNotAtAll) {
  // Windows [k*1000, k*1000 + 250) ms.
  EXPECT_EQ(periodic_stall_wait(0ms, 1000ms, 250ms), 250ms);
  EXPECT_EQ(periodic_stall_wait(100ms, 1000ms, 250ms), 150ms);
  EXPECT_EQ(periodic_stall_wait(249ms, 1000ms, 250ms), 1ms);
  EXPECT_EQ(periodic_stall_wait(250ms, 1000ms, 250ms), 0ms);
  EXPECT_EQ(periodic_stall_wait(999ms, 1000ms, 250ms), 0ms);
  EXPECT_EQ(periodic_stall_wait(3000ms, 1000ms, 250ms), 250ms);
  EXPECT_EQ(periodic_stall_wait(3200ms, 1000ms, 250ms), 50ms);
}

TEST(PeriodicStallWait, ArrivalsEvenlySpacedOverWholePeriodsWaitHoldOverEveryOnAverage) {
  // The closed form behind the open-loop test: of arrivals evenly spaced over whole periods, the
  // share hold/every falls in a window, and their waits are spread evenly over (0, hold].
  const auto every = 1000ms, hold = 250ms;
  int held = 0;
  double total_wait_ms = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto wait = periodic_stall_wait(std::chrono::milliseconds(i), every, hold);
    if (wait > 0ms) ++held;
    total_wait_ms += std::chrono::duration<double, std::milli>(wait).count();
  }
  EXPECT_EQ(held, 1000);                       // 4 periods x 250 of 1000 ms
  EXPECT_DOUBLE_EQ(total_wait_ms, 4 * 31375);  // sum of 1..250 per period
}

TEST(PeriodicStallRoute, DelaysByTheWaitAndRefusesABadQuery) {
  const Reply held = periodic_stall_route("every=1000&hold=250", 1100ms);
  EXPECT_EQ(held.status, 200);
  EXPECT_EQ(held.delay, std::chrono::steady_clock::duration(150ms));
  EXPECT_EQ(periodic_stall_route("every=1000&hold=250", 1300ms).delay,
            std::chrono::steady_clock::duration(0ms));
  EXPECT_EQ(periodic_stall_route("hold=250&every=1000", 2010ms).delay,
            std::chrono::steady_clock::duration(240ms));
  for (const char* bad :
       {"every=1000", "hold=250", "every=1000&hold=0", "every=250&hold=250", "every=100&hold=500",
        "every=x&hold=1", "every=-5&hold=1", "every=3600001&hold=1"}) {
    const Reply reply = periodic_stall_route(bad, 0ms);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_NE(reply.text.find("0 < hold < every"), std::string::npos) << bad;
  }
}

TEST(PeriodicStallRoute, AnswersOverHttpWhilePlainStallStillNeverAnswers) {
  EmbeddedServer server(ServeOptions{});
  test::CurlClient client;
  const test::Fetched held = client.get(server.base_url() + "/stall?every=60000&hold=1");
  ASSERT_EQ(held.error, "");
  EXPECT_EQ(held.status, 200);
  EXPECT_EQ(held.body.rfind("held ", 0), 0u) << held.body;
  const test::Fetched bad = client.get(server.base_url() + "/stall?every=10&hold=10");
  EXPECT_EQ(bad.status, 400);
}

}  // namespace
}  // namespace fanout
