// Every I/O engine against fanout's embedded server: flaky routes (retries), /stall (timeouts),
// sizes, and connection reuse from the server's own connection count.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "exec/range_source.hpp"
#include "server/server.hpp"
#include "test_support.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/io_engines.hpp"

namespace fanout {
namespace {

class ServerEngines : public ::testing::TestWithParam<Model> {
 protected:
  EmbeddedServer server_{ServeOptions{.port = 0}};
  /// Flaky keys are per server lifetime; a per-model prefix keeps parameterised runs apart.
  std::string key(int i) const { return to_string(GetParam()) + "-" + std::to_string(i); }
};

TEST_P(ServerEngines, FlakyRouteSucceedsAfterRetries) {
  IoSpec spec;
  for (int i = 0; i < 8; ++i) spec.urls.push_back("serve:/flaky/2/" + key(i));
  spec = test::test_spec(spec.urls);
  spec.retries = 3;
  const UrlPlan plan(spec, server_.base_url());
  std::vector<std::string> messages;
  const auto samples = test::run_io(GetParam(), plan, spec, 3, &messages);
  ASSERT_EQ(samples.size(), 8u);
  for (const Sample& s : samples) {
    EXPECT_TRUE(s.ok()) << plan.url(s.id);
    EXPECT_EQ(http(s).http_status, 200);
    EXPECT_EQ(s.attempts, 3u) << "two 503s, then success";
  }
  EXPECT_TRUE(messages.empty()) << "retried failures that end well are not errors";
  EXPECT_EQ(server_.counters().by_status[503], 16u);
}

TEST_P(ServerEngines, SavedBodyOfARetriedTaskHoldsOnlyTheLastAttempt) {
  test::ScratchDir tmp;
  IoSpec spec = test::test_spec({"serve:/flaky/2/" + key(50), "serve:/flaky/1/" + key(51)});
  spec.retries = 2;
  spec.output_dir = (tmp.path() / "bodies").string();
  const UrlPlan plan(spec, server_.base_url());
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 2u);
  for (const Sample& s : samples) {
    ASSERT_TRUE(s.ok());
    const auto file = tmp.path() / "bodies" / body_file_name(s.id, plan.url(s.id));
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_EQ(std::filesystem::file_size(file), http(s).bytes)
        << "the 503 bodies were truncated away";
  }
}

TEST_P(ServerEngines, FlakyRouteGivesUpAfterTheRetryLimit) {
  IoSpec spec = test::test_spec({"serve:/flaky/5/" + key(100)});
  spec.retries = 2;
  const UrlPlan plan(spec, server_.base_url());
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].error, ErrorClass::http_5xx);
  EXPECT_EQ(http(samples[0]).http_status, 503);
  EXPECT_EQ(samples[0].attempts, 3u);
}

TEST_P(ServerEngines, StallRouteTimesOut) {
  IoSpec spec = test::test_spec({"serve:/stall", "serve:/bytes/10"});
  spec.timeout_s = 0.3;
  const UrlPlan plan(spec, server_.base_url());
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].error, ErrorClass::timeout);
  EXPECT_EQ(http(samples[0]).curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_TRUE(samples[1].ok());
  EXPECT_EQ(http(samples[1]).bytes, 10u);
}

TEST_P(ServerEngines, CountsBytesAndReusesConnections) {
  IoSpec spec = test::test_spec({"serve:/bytes/1", "serve:/bytes/1000", "serve:/bytes/100000",
                                 "serve:/delay/5", "serve:/status/418"},
                                10);
  const UrlPlan plan(spec, server_.base_url());
  const auto samples = test::run_io(GetParam(), plan, spec, 3);
  ASSERT_EQ(samples.size(), 50u);
  for (const Sample& s : samples) {
    switch (s.id % 5) {
      case 0:
        EXPECT_EQ(http(s).bytes, 1u);
        break;
      case 1:
        EXPECT_EQ(http(s).bytes, 1000u);
        break;
      case 2:
        EXPECT_EQ(http(s).bytes, 100000u);
        break;
      case 4:
        EXPECT_EQ(http(s).http_status, 418);
        EXPECT_EQ(s.error, ErrorClass::http_4xx);
        break;
      default:
        EXPECT_TRUE(s.ok());
    }
  }
  const auto counters = server_.counters();
  EXPECT_EQ(counters.requests, 50u);
  switch (GetParam()) {
    case Model::serial:
      EXPECT_EQ(counters.connections, 1u);
      break;
    case Model::threads:
      EXPECT_LE(counters.connections, 3u);
      break;
    default:
      EXPECT_LE(counters.connections, static_cast<std::uint64_t>(spec.concurrency));
  }
}

TEST_P(ServerEngines, PreparedHandlesAndTheirConnectionsServeEveryRun) {
  IoSpec spec = test::test_spec({"serve:/bytes/10", "serve:/delay/5"}, 6);
  const UrlPlan plan(spec, server_.base_url());
  auto executor = make_io_executor(GetParam(), 3, plan.count(), {plan, spec});
  executor->prepare();
  EXPECT_EQ(server_.counters().connections, 0u) << "prepare() makes handles, not connections";
  std::uint64_t after_first = 0;
  for (int run = 0; run < 2; ++run) {
    RangeSource source(TaskRange{0, plan.count()}, 2);
    const auto samples = executor->run(source, RunContext{Clock::now(), 0});
    ASSERT_EQ(samples.size(), 12u);
    for (const Sample& s : samples) EXPECT_TRUE(s.ok()) << plan.url(s.id);
    if (run == 0) after_first = server_.counters().connections;
  }
  EXPECT_GE(after_first, 1u);
  EXPECT_EQ(server_.counters().connections, after_first) << "the second run reuses the first's";
  EXPECT_EQ(server_.counters().requests, 24u);
}

INSTANTIATE_TEST_SUITE_P(Models, ServerEngines,
                         ::testing::Values(Model::serial, Model::threads, Model::async),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace fanout
