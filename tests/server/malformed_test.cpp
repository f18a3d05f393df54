// The embedded server facing clients that send garbage, oversized or unusual requests: 400 or
// close, never a crash.
#include <gtest/gtest.h>

#include <string>

#include "curl_client.hpp"
#include "raw_socket.hpp"
#include "server/server.hpp"
#include "wait_for.hpp"

namespace fanout {
namespace {

using test::exchange_raw;
using test::RawExchange;

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class MalformedTest : public ::testing::Test {
 protected:
  EmbeddedServer server_{ServeOptions{}};

  void expect_still_serving() {
    test::CurlClient client;
    EXPECT_EQ(client.get(server_.base_url() + "/bytes/4").status, 200);
  }
};

TEST_F(MalformedTest, GarbageIsAnswered400AndClosed) {
  for (const std::string& garbage :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nno colon here\r\n\r\n"),
        std::string("\x01\x02\xff\xfe binary\r\n\r\n"),
        std::string("GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n")}) {
    const RawExchange exchange = exchange_raw(server_.port(), garbage, 10);
    EXPECT_TRUE(starts_with(exchange.received, "HTTP/1.1 400 Bad Request\r\n"))
        << exchange.received;
    EXPECT_NE(exchange.received.find("Connection: close\r\n"), std::string::npos);
    EXPECT_TRUE(exchange.closed_by_server);
  }
  EXPECT_EQ(server_.counters().malformed_requests, 5U);
  EXPECT_EQ(server_.counters().by_status.at(400), 5U);
  expect_still_serving();
}

TEST_F(MalformedTest, OversizedHeaderIsAnswered400) {
  const std::string request =
      "GET / HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  const RawExchange exchange = exchange_raw(server_.port(), request, 10);
  EXPECT_TRUE(starts_with(exchange.received, "HTTP/1.1 400")) << exchange.received.substr(0, 80);
  expect_still_serving();
}

TEST_F(MalformedTest, OversizedBodyIsAnswered400) {
  const std::string request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc";
  const RawExchange exchange = exchange_raw(server_.port(), request, 10);
  EXPECT_TRUE(starts_with(exchange.received, "HTTP/1.1 400")) << exchange.received;
  expect_still_serving();
}

TEST_F(MalformedTest, ClientLeavingMidRequestIsNotCountedMalformed) {
  const RawExchange exchange =
      exchange_raw(server_.port(), "GET /bytes/5 HTTP/1.1\r\nHo", 10, true);
  EXPECT_TRUE(exchange.closed_by_server);
  EXPECT_EQ(exchange.received, "");
  EXPECT_TRUE(test::wait_for([&] { return server_.counters().active_connections == 0; }));
  EXPECT_EQ(server_.counters().malformed_requests, 0U);
  expect_still_serving();
}

TEST_F(MalformedTest, BadTargetsGet400Or404) {
  RawExchange exchange =
      exchange_raw(server_.port(), "GET nothing-slash HTTP/1.1\r\nHost: x\r\n\r\n", 10, true);
  EXPECT_TRUE(starts_with(exchange.received, "HTTP/1.1 400")) << exchange.received;
  exchange =
      exchange_raw(server_.port(), "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 10, true);
  EXPECT_TRUE(starts_with(exchange.received, "HTTP/1.1 404")) << exchange.received;
  expect_still_serving();
}

TEST_F(MalformedTest, PipelinedRequestsAreAnsweredInOrder) {
  const std::string two =
      "GET /status/201 HTTP/1.1\r\nHost: x\r\n\r\nGET /status/202 HTTP/1.1\r\nHost: x\r\n\r\n";
  const RawExchange exchange = exchange_raw(server_.port(), two, 10, true);
  const std::size_t first = exchange.received.find("HTTP/1.1 201");
  const std::size_t second = exchange.received.find("HTTP/1.1 202");
  ASSERT_NE(first, std::string::npos) << exchange.received;
  ASSERT_NE(second, std::string::npos) << exchange.received;
  EXPECT_LT(first, second);
  EXPECT_EQ(server_.counters().connections, 1U);
}

TEST_F(MalformedTest, Http10ClosesAfterOneResponseAndAbsoluteFormWorks) {
  const RawExchange exchange =
      exchange_raw(server_.port(), "GET http://example.test/bytes/7 HTTP/1.0\r\n\r\n", 10);
  EXPECT_TRUE(starts_with(exchange.received, "HTTP/1.0 200 OK\r\n")) << exchange.received;
  EXPECT_TRUE(exchange.closed_by_server);
  EXPECT_EQ(count_of(exchange.received, "Server: fanout\r\n"), 1U);
  EXPECT_NE(exchange.received.find("Content-Length: 7\r\n"), std::string::npos);
}

}  // namespace
}  // namespace fanout
