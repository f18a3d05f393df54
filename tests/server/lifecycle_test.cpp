// Starting, binding, timing out and stopping the embedded server.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "cli/config_error.hpp"
#include "curl_client.hpp"
#include "raw_socket.hpp"
#include "server/server.hpp"
#include "wait_for.hpp"

namespace fanout {
namespace {

using test::CurlClient;
using test::Fetched;
using test::wait_for;

std::string config_error_of(const ServeOptions& options) {
  try {
    EmbeddedServer server(options);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(LifecycleTest, PortInUseIsAConfigErrorNamingPort) {
  EmbeddedServer first(ServeOptions{});
  const std::string message = config_error_of(ServeOptions{.port = first.port()});
  EXPECT_NE(message.find("--port " + std::to_string(first.port())), std::string::npos) << message;
  EXPECT_NE(message.find("already in use"), std::string::npos) << message;
}

TEST(LifecycleTest, BadBindAddressIsAConfigErrorNamingBind) {
  std::string message = config_error_of(ServeOptions{.bind = "not-an-address"});
  EXPECT_NE(message.find("--bind not-an-address"), std::string::npos) << message;
  // A TEST-NET address that no interface here has.
  message = config_error_of(ServeOptions{.bind = "192.0.2.1"});
  EXPECT_NE(message.find("--bind 192.0.2.1"), std::string::npos) << message;
}

TEST(LifecycleTest, BadOptionsAreConfigErrors) {
  EXPECT_NE(config_error_of(ServeOptions{.delay_s = -1}).find("--delay"), std::string::npos);
  EXPECT_NE(config_error_of(ServeOptions{.threads = 0}).find("--threads"), std::string::npos);
}

TEST(LifecycleTest, StopIsIdempotentAndRefusesNewConnections) {
  EmbeddedServer server(ServeOptions{});
  CurlClient client;
  const std::string url = server.base_url() + "/bytes/3";
  EXPECT_EQ(client.get(url).status, 200);
  server.stop();
  server.stop();
  CurlClient fresh;
  const Fetched after = fresh.get(url, 2000);
  EXPECT_EQ(after.status, 0);
  EXPECT_NE(after.error, "");
  EXPECT_EQ(server.counters().requests, 1U);
  EXPECT_EQ(server.counters().active_connections, 0U);
}

TEST(LifecycleTest, StopEndsPendingDelaysAndStalls) {
  EmbeddedServer server(ServeOptions{});
  const std::string base = server.base_url();
  std::vector<std::thread> clients;
  std::atomic<int> failed{0};
  for (const char* path : {"/delay/600000", "/stall"}) {
    clients.emplace_back([&failed, url = base + path] {
      CurlClient client;
      if (client.get(url, 60000).status == 0) ++failed;
    });
  }
  ASSERT_TRUE(wait_for([&] {
    const ServerCounters c = server.counters();
    return c.active_delays == 1 && c.active_stalls == 1;
  }));
  server.stop();
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(failed.load(), 2);
  const ServerCounters counters = server.counters();
  EXPECT_EQ(counters.active_connections, 0U);
  EXPECT_EQ(counters.active_delays, 0U);
  EXPECT_EQ(counters.active_stalls, 0U);
}

TEST(LifecycleTest, StallIsClosedByTheServerAfterItsCap) {
  EmbeddedServer server(ServeOptions{.stall_timeout_s = 0.2});
  const test::RawExchange exchange =
      test::exchange_raw(server.port(), "GET /stall HTTP/1.1\r\nHost: x\r\n\r\n", 20);
  EXPECT_TRUE(exchange.closed_by_server);
  EXPECT_EQ(exchange.received, "");
  EXPECT_GE(exchange.seconds, 0.2);
  EXPECT_TRUE(wait_for([&] { return server.counters().active_stalls == 0; }));
}

TEST(LifecycleTest, ClientGivingUpOnAStallReleasesIt) {
  EmbeddedServer server(ServeOptions{});
  CurlClient client;
  EXPECT_EQ(client.get(server.base_url() + "/stall", 200).status, 0);
  EXPECT_TRUE(wait_for([&] { return server.counters().active_connections == 0; }));
  EXPECT_EQ(server.counters().active_stalls, 0U);
}

TEST(LifecycleTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  EmbeddedServer server(ServeOptions{.idle_timeout_s = 0.2});
  const test::RawExchange exchange =
      test::exchange_raw(server.port(), "GET /bytes/5 HTTP/1.1\r\nHost: x\r\n\r\n", 20);
  EXPECT_TRUE(exchange.closed_by_server);
  EXPECT_NE(exchange.received.find("HTTP/1.1 200 OK\r\n"), std::string::npos);
  EXPECT_GE(exchange.seconds, 0.2);
  EXPECT_TRUE(wait_for([&] { return server.counters().active_connections == 0; }));
}

TEST(LifecycleTest, ManyClientThreadsAgainstSeveralServerThreads) {
  EmbeddedServer server(ServeOptions{.threads = 4});
  constexpr int kClients = 8;
  constexpr int kRequestsEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      CurlClient client;
      for (int r = 0; r < kRequestsEach; ++r) {
        const Fetched fetched = client.get(server.base_url() + "/bytes/" + std::to_string(100 + i));
        if (fetched.status == 200 && fetched.body.size() == static_cast<std::size_t>(100 + i)) ++ok;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ok.load(), kClients * kRequestsEach);
  const ServerCounters counters = server.counters();
  EXPECT_EQ(counters.requests, static_cast<std::uint64_t>(kClients * kRequestsEach));
  EXPECT_EQ(counters.connections, static_cast<std::uint64_t>(kClients));
  EXPECT_EQ(counters.by_status.at(200), static_cast<std::uint64_t>(kClients * kRequestsEach));
}

}  // namespace
}  // namespace fanout
