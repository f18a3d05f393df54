// Every I/O engine against dead ends: a listener that never answers (timeouts) and a closed port.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace fanout {
namespace {

class FailureEngines : public ::testing::TestWithParam<Model> {};

TEST_P(FailureEngines, StalledServerTimesOutAndIsRetried) {
  test::StallListener stall;
  IoSpec spec = test::test_spec({stall.url()}, 3);
  spec.timeout_s = 0.2;
  spec.retries = 1;
  const UrlPlan plan(spec);
  std::vector<std::string> messages;
  const auto samples = test::run_io(GetParam(), plan, spec, 3, &messages);
  ASSERT_EQ(samples.size(), 3u);
  for (const Sample& s : samples) {
    EXPECT_EQ(s.error, ErrorClass::timeout);
    EXPECT_EQ(http(s).curl_code, CURLE_OPERATION_TIMEDOUT);
    EXPECT_EQ(s.attempts, 2u);
    EXPECT_EQ(http(s).http_status, 0);
    EXPECT_EQ(http(s).bytes, 0u);
    EXPECT_GE(s.duration_s, 0.4) << "two attempts of 0.2 s";
  }
  ASSERT_EQ(messages.size(), 1u) << "one distinct message for three equal failures";
  EXPECT_EQ(messages[0].rfind(stall.url() + ": ", 0), 0u) << messages[0];
}

TEST_P(FailureEngines, ClosedPortIsAConnectErrorAfterRetries) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::free_port()) + "/x";
  IoSpec spec = test::test_spec({url}, 2);
  spec.retries = 2;
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 2u);
  for (const Sample& s : samples) {
    EXPECT_EQ(s.error, ErrorClass::connect);
    EXPECT_EQ(http(s).curl_code, CURLE_COULDNT_CONNECT);
    EXPECT_EQ(s.attempts, 3u);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, FailureEngines,
                         ::testing::Values(Model::serial, Model::threads, Model::async),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace fanout
