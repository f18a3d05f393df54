// serve_forever, the body of `fanout serve`: its first line, serving, and a clean stop on
// SIGINT/SIGTERM.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <mutex>
#include <streambuf>
#include <string>
#include <thread>

#include "curl_client.hpp"
#include "server/serve.hpp"
#include "wait_for.hpp"

namespace fanout {
namespace {

// Lets the test read what serve_forever writes on another thread.
class LockedText : public std::streambuf {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  int_type overflow(int_type c) override {
    std::lock_guard lock(mutex_);
    if (!traits_type::eq_int_type(c, traits_type::eof()))
      text_.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* data, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    text_.append(data, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::mutex mutex_;
  std::string text_;
};

class ServeForeverTest : public ::testing::TestWithParam<int> {};

TEST_P(ServeForeverTest, PrintsUrlServesAndStopsCleanlyOnSignal) {
  const int signal_number = GetParam();
  LockedText text;
  std::ostream out(&text);
  int result = -1;
  std::thread serving([&] { result = serve_forever(ServeOptions{}, out); });

  ASSERT_TRUE(test::wait_for([&] { return text.text().find('\n') != std::string::npos; }));
  const std::string first = text.text().substr(0, text.text().find('\n'));
  const std::string prefix = "listening on http://127.0.0.1:";
  ASSERT_EQ(first.rfind(prefix, 0), 0U) << first;
  const std::string url = first.substr(std::string("listening on ").size());
  EXPECT_GT(std::stoi(first.substr(prefix.size())), 0);

  test::CurlClient client;
  EXPECT_EQ(client.get(url + "/bytes/10").status, 200);
  EXPECT_EQ(client.get(url + "/status/503").status, 503);

  ASSERT_EQ(::kill(::getpid(), signal_number), 0);
  serving.join();
  EXPECT_EQ(result, 0);
  const std::string all = text.text();
  const std::string expected_summary =
      std::string(signal_number == SIGINT ? "SIGINT" : "SIGTERM") +
      ": served 2 requests on 1 connections (peak 1 open, 0 malformed); " +
      "statuses: 200=1 503=1\n";
  EXPECT_EQ(all, first + "\n" + expected_summary);
}

INSTANTIATE_TEST_SUITE_P(Signals, ServeForeverTest, ::testing::Values(SIGTERM, SIGINT));

}  // namespace
}  // namespace fanout
