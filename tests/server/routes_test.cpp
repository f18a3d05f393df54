// Each route of the embedded server, fetched over HTTP with a libcurl easy handle.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "curl_client.hpp"
#include "server/response_body.hpp"
#include "server/server.hpp"

namespace fanout {
namespace {

using test::CurlClient;
using test::Fetched;

std::string expected_pattern(std::uint64_t n) {
  std::string bytes;
  for (std::uint64_t i = 0; i < n; ++i) bytes.push_back(pattern_byte(i));
  return bytes;
}

bool has_header(const Fetched& fetched, const std::string& line) {
  return fetched.headers.find(line + "\r\n") != std::string::npos;
}

class RoutesTest : public ::testing::Test {
 protected:
  EmbeddedServer server_{ServeOptions{.size = 300}};
  CurlClient client_;

  Fetched get(const std::string& path) { return client_.get(server_.base_url() + path); }
};

TEST_F(RoutesTest, BaseUrlNamesLoopbackAndTheChosenPort) {
  EXPECT_NE(server_.port(), 0);
  EXPECT_EQ(server_.base_url(), "http://127.0.0.1:" + std::to_string(server_.port()));
}

TEST_F(RoutesTest, DefaultRouteAnswersConfiguredSizeWithServerAndLengthHeaders) {
  const Fetched fetched = get("/");
  ASSERT_EQ(fetched.error, "");
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, expected_pattern(300));
  EXPECT_TRUE(has_header(fetched, "server: fanout"));
  EXPECT_TRUE(has_header(fetched, "content-length: 300"));
}

TEST_F(RoutesTest, BytesRouteAnswersExactlyNDeterministicBytes) {
  for (std::uint64_t n : {0ULL, 1ULL, 1000ULL, 65536ULL + 65ULL, 300000ULL}) {
    const Fetched fetched = get("/bytes/" + std::to_string(n));
    ASSERT_EQ(fetched.error, "") << n;
    EXPECT_EQ(fetched.status, 200) << n;
    EXPECT_EQ(fetched.body.size(), n);
    EXPECT_EQ(fetched.body, expected_pattern(n)) << n;
    EXPECT_TRUE(has_header(fetched, "content-length: " + std::to_string(n)));
  }
}

TEST_F(RoutesTest, HeadReportsLengthWithoutBody) {
  const Fetched fetched = client_.get(server_.base_url() + "/bytes/5000", 10000, true);
  ASSERT_EQ(fetched.error, "");
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, "");
  EXPECT_TRUE(has_header(fetched, "content-length: 5000"));
  // The connection must still be in step: a following GET works on it.
  EXPECT_EQ(get("/bytes/10").body, expected_pattern(10));
  EXPECT_EQ(server_.counters().connections, 1U);
}

TEST_F(RoutesTest, StatusRouteAnswersThatStatus) {
  for (int code : {200, 201, 204, 301, 404, 418, 500, 502, 599}) {
    const Fetched fetched = get("/status/" + std::to_string(code));
    ASSERT_EQ(fetched.error, "") << code;
    EXPECT_EQ(fetched.status, code);
    EXPECT_EQ(fetched.body, code == 204 ? "" : "status " + std::to_string(code) + "\n");
    EXPECT_FALSE(has_header(fetched, "retry-after: 0")) << code;
  }
}

TEST_F(RoutesTest, TooManyRequestsAndUnavailableCarryRetryAfterZero) {
  for (int code : {429, 503}) {
    const Fetched fetched = get("/status/" + std::to_string(code));
    EXPECT_EQ(fetched.status, code);
    EXPECT_TRUE(has_header(fetched, "retry-after: 0")) << fetched.headers;
  }
}

TEST_F(RoutesTest, BadNumbersAreAnswered400) {
  for (const char* path : {"/status/99", "/status/600", "/status/abc", "/bytes/-1", "/bytes/1x",
                           "/bytes/99999999999999999999999", "/delay/soon", "/delay/10?size=big",
                           "/flaky/x/k", "/flaky/2/"}) {
    const Fetched fetched = get(path);
    ASSERT_EQ(fetched.error, "") << path;
    EXPECT_EQ(fetched.status, 400) << path;
  }
}

TEST_F(RoutesTest, UnknownPathIs404) {
  const Fetched fetched = get("/nothing/here");
  EXPECT_EQ(fetched.status, 404);
  EXPECT_EQ(fetched.body, "not found: /nothing/here\n");
}

TEST_F(RoutesTest, FlakyFailsFirstNRequestsPerKey) {
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const Fetched fetched = get("/flaky/3/alpha");
    EXPECT_EQ(fetched.status, 503) << attempt;
    EXPECT_TRUE(has_header(fetched, "retry-after: 0"));
  }
  EXPECT_EQ(get("/flaky/3/alpha").status, 200);
  EXPECT_EQ(get("/flaky/3/alpha").status, 200);
  // Another key counts on its own.
  EXPECT_EQ(get("/flaky/1/beta").status, 503);
  EXPECT_EQ(get("/flaky/1/beta").status, 200);
  EXPECT_EQ(get("/flaky/0/gamma").status, 200);
}

TEST_F(RoutesTest, DelayWaitsAtLeastTheAskedTime) {
  const auto start = std::chrono::steady_clock::now();
  const Fetched fetched = get("/delay/200");
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(fetched.error, "");
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, "delayed 200 ms\n");
  EXPECT_GE(took.count(), 0.2);
}

TEST_F(RoutesTest, DelayWithSizeAnswersThatManyBytes) {
  const Fetched fetched = get("/delay/1?size=777");
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body, expected_pattern(777));
  EXPECT_EQ(get("/delay/0?size=0").body, "");
}

TEST(RoutesDelayTest, DefaultRouteHonoursConfiguredDelay) {
  EmbeddedServer server(ServeOptions{.delay_s = 0.15, .size = 10});
  CurlClient client;
  const auto start = std::chrono::steady_clock::now();
  const Fetched fetched = client.get(server.base_url() + "/");
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.body.size(), 10U);
  EXPECT_GE(took.count(), 0.15);
  EXPECT_EQ(server.counters().peak_active_delays, 1U);
  EXPECT_EQ(server.counters().active_delays, 0U);
}

TEST_F(RoutesTest, KeepAliveReusesOneConnection) {
  EXPECT_EQ(get("/bytes/10").status, 200);
  EXPECT_EQ(get("/status/404").status, 404);
  EXPECT_EQ(get("/delay/1").status, 200);
  const ServerCounters counters = server_.counters();
  EXPECT_EQ(counters.requests, 3U);
  EXPECT_EQ(counters.connections, 1U);
  EXPECT_EQ(counters.active_connections, 1U);
}

TEST_F(RoutesTest, SeparateClientsOpenSeparateConnections) {
  CurlClient other;
  EXPECT_EQ(get("/bytes/1").status, 200);
  EXPECT_EQ(other.get(server_.base_url() + "/bytes/1").status, 200);
  EXPECT_EQ(server_.counters().connections, 2U);
}

TEST_F(RoutesTest, StatsCountsRequestsConnectionsAndStatuses) {
  get("/bytes/1");
  get("/status/503");
  get("/status/503");
  get("/missing");
  const Fetched fetched = get("/stats");
  ASSERT_EQ(fetched.status, 200);
  EXPECT_TRUE(has_header(fetched, "content-type: application/json"));
  const nlohmann::json stats = nlohmann::json::parse(fetched.body);
  // The /stats request itself is counted as read but not yet as answered.
  EXPECT_EQ(stats["requests"], 5);
  EXPECT_EQ(stats["connections"], 1);
  EXPECT_EQ(stats["active_connections"], 1);
  EXPECT_EQ(stats["by_status"]["200"], 1);
  EXPECT_EQ(stats["by_status"]["503"], 2);
  EXPECT_EQ(stats["by_status"]["404"], 1);
  EXPECT_EQ(stats["malformed_requests"], 0);
  EXPECT_EQ(server_.counters().by_status.at(200), 2U);
}

TEST_F(RoutesTest, StallNeverAnswersSoTheClientTimesOut) {
  const Fetched fetched = client_.get(server_.base_url() + "/stall", 300);
  EXPECT_EQ(fetched.status, 0);
  EXPECT_NE(fetched.error, "");
  EXPECT_EQ(server_.counters().requests, 1U);
  EXPECT_TRUE(server_.counters().by_status.empty());
}

}  // namespace
}  // namespace fanout
