// Every I/O engine against a real nginx: counts, statuses, bytes, connection reuse, limits, saving.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "cli/config_error.hpp"
#include "nginx_fixture.hpp"
#include "test_support.hpp"
#include "workload/io/body_file.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;
using test::NginxServer;

class NginxEngines : public ::testing::TestWithParam<Model> {
 protected:
  void SetUp() override {
    if (!test::nginx_available()) GTEST_SKIP() << "nginx not installed";
    nginx_ = std::make_unique<NginxServer>();
  }
  std::string url(const std::string& path) const { return nginx_->base_url() + path; }

  std::unique_ptr<NginxServer> nginx_;
};

TEST_P(NginxEngines, FetchesListWithRepeatsWithRightStatusesAndBytes) {
  const std::vector<std::string> paths = {
      test::kSmall.path, test::kOneKiB.path, test::kSixtyFourKiB.path,
      "/status/404",     "/status/503",      "/redirect"};
  std::vector<std::string> urls;
  for (const auto& p : paths) urls.push_back(url(p));
  const IoSpec spec = test::test_spec(urls, 3);
  const UrlPlan plan(spec);
  std::vector<std::string> messages;
  const auto samples = test::run_io(GetParam(), plan, spec, 3, &messages, 5);

  ASSERT_EQ(samples.size(), 18u);
  const int workers = GetParam() == Model::serial ? 1 : GetParam() == Model::threads ? 3 : 4;
  for (TaskId id = 0; id < 18; ++id) {
    const Sample& s = samples[id];
    SCOPED_TRACE(plan.url(id));
    EXPECT_EQ(s.id, id);
    EXPECT_EQ(s.rank, 5);
    EXPECT_GE(s.worker, 0);
    EXPECT_LT(s.worker, workers);
    EXPECT_EQ(s.attempts, 1u);
    EXPECT_GT(s.duration_s, 0);
    EXPECT_GE(s.start_s, 0);
    EXPECT_GT(http(s).ttfb_s, 0);
    if (http(s).connect_s > 0) {
      EXPECT_LE(http(s).dns_s, http(s).connect_s);
    }
    EXPECT_LE(http(s).connect_s, http(s).ttfb_s);
    EXPECT_LE(http(s).ttfb_s, s.duration_s + 1e-3);
    EXPECT_EQ(http(s).tls_s, 0) << "plain http has no TLS phase";
    switch (id % paths.size()) {
      case 0:
        EXPECT_EQ(http(s).bytes, test::kSmall.bytes);
        break;
      case 1:
        EXPECT_EQ(http(s).bytes, test::kOneKiB.bytes);
        break;
      case 2:
        EXPECT_EQ(http(s).bytes, test::kSixtyFourKiB.bytes);
        break;
      case 5:
        EXPECT_EQ(http(s).bytes, test::kSmall.bytes) << "redirect followed";
        break;
      default:
        EXPECT_GT(http(s).bytes, 0u) << "nginx's error page";
    }
    switch (id % paths.size()) {
      case 3:
        EXPECT_EQ(http(s).http_status, 404);
        EXPECT_EQ(s.error, ErrorClass::http_4xx);
        break;
      case 4:
        EXPECT_EQ(http(s).http_status, 503);
        EXPECT_EQ(s.error, ErrorClass::http_5xx);
        break;
      default:
        EXPECT_EQ(http(s).http_status, 200);
        EXPECT_EQ(s.error, ErrorClass::none);
        EXPECT_EQ(http(s).curl_code, 0);
    }
  }
  std::set<std::string> distinct(messages.begin(), messages.end());
  EXPECT_EQ(distinct, (std::set<std::string>{url("/status/404") + ": HTTP 404",
                                             url("/status/503") + ": HTTP 503"}));
  EXPECT_EQ(nginx_->access_log(18 + 3).size(), 18u + 3u) << "every request once, redirects twice";
}

TEST_P(NginxEngines, ReusesConnections) {
  const IoSpec spec = test::test_spec({url(test::kSmall.path), url(test::kOneKiB.path)}, 20);
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec, 3);
  ASSERT_EQ(samples.size(), 40u);
  for (const Sample& s : samples) EXPECT_TRUE(s.ok());
  const std::size_t connections = nginx_->connections(40);
  switch (GetParam()) {
    case Model::serial:
      EXPECT_EQ(connections, 1u);
      break;
    case Model::threads:
      EXPECT_LE(connections, 3u);
      break;
    default:
      EXPECT_LE(connections, static_cast<std::size_t>(spec.concurrency));
  }
  EXPECT_GE(connections, 1u);
}

TEST_P(NginxEngines, ConcurrencyFarAboveTheTaskCount) {
  IoSpec spec = test::test_spec({url(test::kSmall.path)}, 3);
  spec.concurrency = 1000;
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec, 1000);
  ASSERT_EQ(samples.size(), 3u);
  for (const Sample& s : samples) EXPECT_TRUE(s.ok());
}

TEST_P(NginxEngines, Retries5xxAndCountsThem) {
  IoSpec spec = test::test_spec({url("/status/503"), url("/status/429"), url("/status/404")});
  spec.retries = 2;
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(samples[0].attempts, 3u);
  EXPECT_EQ(samples[0].error, ErrorClass::http_5xx);
  EXPECT_EQ(samples[1].attempts, 3u);
  EXPECT_EQ(samples[1].error, ErrorClass::http_4xx);
  EXPECT_EQ(http(samples[1]).http_status, 429);
  EXPECT_EQ(samples[2].attempts, 1u) << "404 is final";
  EXPECT_EQ(nginx_->access_log(7).size(), 7u);
}

TEST_P(NginxEngines, HonoursRetryAfter) {
  IoSpec spec = test::test_spec({url("/retry-after")});
  spec.retries = 1;
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].attempts, 2u);
  // A lower bound only: the server asked for 1 s between the attempts; the duration covers both.
  EXPECT_GE(samples[0].duration_s, 1.0);
}

TEST_P(NginxEngines, RedirectLimitsAndProtocols) {
  const IoSpec spec = test::test_spec({url("/loop"), url("/to-ftp")});
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].error, ErrorClass::other);
  EXPECT_EQ(http(samples[0]).curl_code, CURLE_TOO_MANY_REDIRECTS);
  EXPECT_EQ(samples[1].error, ErrorClass::other);
  EXPECT_EQ(http(samples[1]).curl_code, CURLE_UNSUPPORTED_PROTOCOL)
      << "redirects stay on http/https";
}

TEST_P(NginxEngines, MaxBodyFailsLargerBodiesAsOther) {
  IoSpec spec = test::test_spec({url(test::kSixtyFourKiB.path), url("/chunked/64k.bin"),
                                 url(test::kOneKiB.path), url("/chunked/1k.bin")});
  spec.max_body = 4096;
  const UrlPlan plan(spec);
  std::vector<std::string> messages;
  const auto samples = test::run_io(GetParam(), plan, spec, 3, &messages);
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].error, ErrorClass::other);
  EXPECT_EQ(http(samples[0]).curl_code, CURLE_FILESIZE_EXCEEDED) << "stopped by Content-Length";
  EXPECT_EQ(samples[1].error, ErrorClass::other);
  EXPECT_EQ(http(samples[1]).curl_code, CURLE_WRITE_ERROR) << "stopped while writing (chunked)";
  EXPECT_LE(http(samples[1]).bytes, spec.max_body);
  EXPECT_TRUE(samples[2].ok());
  EXPECT_TRUE(samples[3].ok());
  EXPECT_EQ(http(samples[3]).bytes, test::kOneKiB.bytes);
  ASSERT_FALSE(messages.empty());
  EXPECT_NE(messages[0].find("body larger than max-body (4096 bytes)"), std::string::npos)
      << messages[0];
}

TEST_P(NginxEngines, SavedBodiesStayInsideTheDirectory) {
  test::ScratchDir tmp;
  const fs::path dir = tmp.path() / "out";
  const std::string long_path = "/" + std::string(3000, 'n');
  IoSpec spec =
      test::test_spec({url(test::kSmall.path), url("/../../etc/passwd"),
                       url("/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), url("/..%2f..%2f..%2fvictim"),
                       url(long_path), url("/a/b/../../../../x?f=../../y"), url("/chunked/1k.bin")},
                      2);
  spec.output_dir = dir.string();
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), plan.count());
  for (const Sample& s : samples) EXPECT_NE(s.error, ErrorClass::other) << plan.url(s.id);

  // Only "out" was created in the parent, and it holds exactly one regular file per task.
  std::vector<fs::path> parent(fs::directory_iterator(tmp.path()), fs::directory_iterator{});
  ASSERT_EQ(parent.size(), 1u);
  EXPECT_EQ(parent[0].filename(), "out");
  std::map<TaskId, fs::path> by_task;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    EXPECT_TRUE(entry.is_regular_file() && !entry.is_symlink()) << entry.path();
    EXPECT_EQ(entry.path().parent_path(), dir);
    const std::string name = entry.path().filename().string();
    EXPECT_LE(name.size(), kMaxBodyNameLength);
    EXPECT_EQ(name.find(".."), std::string::npos) << name;
    by_task[std::stoull(name.substr(0, name.find('-')))] = entry.path();
  }
  ASSERT_EQ(by_task.size(), plan.count());
  for (const Sample& s : samples) {
    EXPECT_EQ(fs::file_size(by_task.at(s.id)), http(s).bytes) << plan.url(s.id);
  }
  EXPECT_EQ(fs::file_size(by_task.at(0)), test::kSmall.bytes);
  EXPECT_EQ(fs::file_size(by_task.at(6)), test::kOneKiB.bytes);
}

TEST_P(NginxEngines, SavingNeverOverwritesOrFollowsSymlinks) {
  test::ScratchDir tmp;
  const fs::path dir = tmp.path() / "out";
  fs::create_directory(dir);
  const fs::path victim = tmp.path() / "victim";
  std::ofstream(victim) << "original";
  IoSpec spec = test::test_spec({url(test::kSmall.path), url(test::kOneKiB.path)});
  spec.output_dir = dir.string();
  const UrlPlan plan(spec);
  const fs::path planted = dir / body_file_name(0, plan.url(0));
  fs::create_symlink(victim, planted);
  const fs::path earlier = dir / body_file_name(1, plan.url(1));
  std::ofstream(earlier) << "earlier run";

  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_TRUE(samples[0].ok() && samples[1].ok());
  std::ifstream v(victim);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(v), {}), "original");
  std::ifstream e(earlier);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(e), {}), "earlier run");
  EXPECT_EQ(fs::file_size(planted.string() + ".1"), test::kSmall.bytes);
  EXPECT_EQ(fs::file_size(earlier.string() + ".1"), test::kOneKiB.bytes);
}

TEST_P(NginxEngines, UnusableOutputDirIsAConfigError) {
  test::ScratchDir tmp;
  std::ofstream(tmp.path() / "file") << "x";
  IoSpec spec = test::test_spec({url(test::kSmall.path)});
  spec.output_dir = (tmp.path() / "file").string();
  const UrlPlan plan(spec);
  EXPECT_THROW(test::run_io(GetParam(), plan, spec), ConfigError);
  spec.output_dir = (tmp.path() / "no" / "such").string();
  EXPECT_THROW(test::run_io(GetParam(), plan, spec), ConfigError);
}

INSTANTIATE_TEST_SUITE_P(Models, NginxEngines,
                         ::testing::Values(Model::serial, Model::threads, Model::async),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace fanout
