// One server thread holding 10,000 concurrent delayed requests: delays are timers, not sleeping
// threads.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "load_client.hpp"
#include "server/server.hpp"
#include "wait_for.hpp"

namespace fanout {
namespace {

constexpr std::size_t kWantedConnections = 10000;
// Descriptors each process keeps besides the connections (stdio, epoll, timers, pipes, the
// listener).
constexpr std::size_t kSpareDescriptors = 64;
constexpr double kClientDeadlineS = 60;
// Every request waits on a server timer; all of them must be read within this time to overlap. On 2
// busy cores the one server thread took up to 0.95 s to read 10,000 requests, hence 2 s; sanitizers
// are slower.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr const char* kTarget = "/delay/10000";
#else
constexpr const char* kTarget = "/delay/2000";
#endif

// Raises the soft descriptor limit to the hard one; returns how many connections one process can
// then hold.
std::size_t usable_connections() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur <= kSpareDescriptors) return 0;
  return std::min<std::size_t>(kWantedConnections, limit.rlim_cur - kSpareDescriptors);
}

bool read_exactly(int fd, void* data, std::size_t size) {
  return ::read(fd, data, size) == static_cast<ssize_t>(size);
}

// The load client runs in a child process, so server and client each have a whole descriptor table
// (10,000 connections need 20,000 descriptors in one process). Forked before the server starts any
// thread. Protocol: parent sends the port; child connects everything and sends 'r'; parent waits
// until the server has accepted every connection and sends 'g'; child sends all requests and
// finally its report text.
TEST(ConcurrencyTest, TenThousandDelayedRequestsOnOneServerThread) {
  const std::size_t connections = usable_connections();
  ASSERT_GT(connections, 0U) << "RLIMIT_NOFILE too low to open any connection";
  if (connections < kWantedConnections) {
    std::cout << "descriptor hard limit allows only " << connections
              << " connections per process\n";
  }
  int to_child[2];
  int from_child[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(from_child), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    std::uint16_t port = 0;
    int status = 3;
    if (read_exactly(to_child[0], &port, sizeof port)) {
      try {
        const auto wait_for_go = [&] {
          char byte = 'r';
          if (::write(from_child[1], &byte, 1) == 1) read_exactly(to_child[0], &byte, 1);
        };
        const test::LoadResult result =
            test::run_load(port, connections, kTarget, kClientDeadlineS, wait_for_go);
        const std::string text = test::describe(result);
        status =
            ::write(from_child[1], text.data(), text.size()) >= 0 && result.completed == connections
                ? 0
                : 1;
      } catch (...) {
        status = 2;
      }
    }
    ::_exit(status);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);

  EmbeddedServer server(ServeOptions{.threads = 1});
  const std::uint16_t port = server.port();
  ASSERT_TRUE(::write(to_child[1], &port, sizeof port) == sizeof port);
  char byte = 0;
  const bool ready = read_exactly(from_child[0], &byte, 1);
  const bool all_accepted =
      ready && test::wait_for([&] { return server.counters().active_connections == connections; },
                              kClientDeadlineS);
  byte = 'g';
  const auto burst_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(::write(to_child[1], &byte, 1) == 1);
  ::close(to_child[1]);
  // Only reported: how long the one server thread took to have every request waiting in its timer.
  const bool overlapped =
      test::wait_for([&] { return server.counters().peak_active_delays >= connections; }, 5);
  const std::chrono::duration<double> to_overlap = std::chrono::steady_clock::now() - burst_start;
  std::string report;
  char buffer[512];
  for (ssize_t n; (n = ::read(from_child[0], buffer, sizeof buffer)) > 0;) {
    report.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(from_child[0]);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
  const ServerCounters counters = server.counters();
  std::cout << "load client: " << report
            << "\nserver: peak_active_connections=" << counters.peak_active_connections
            << " peak_active_delays=" << counters.peak_active_delays
            << " connections=" << counters.connections;
  if (overlapped)
    std::cout << "; all delayed at once " << to_overlap.count() << " s after the burst began";
  std::cout << "\n";

  EXPECT_TRUE(all_accepted) << "server accepted only " << counters.connections << " of "
                            << connections;
  ASSERT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << report;
  EXPECT_EQ(counters.connections, connections);
  EXPECT_GE(counters.peak_active_connections, connections);
  EXPECT_GE(counters.peak_active_delays, connections)
      << "delayed requests did not all overlap: " << report;
  EXPECT_EQ(counters.requests, connections);
  EXPECT_EQ(counters.by_status.count(200) ? counters.by_status.at(200) : 0, connections);
}

}  // namespace
}  // namespace fanout
