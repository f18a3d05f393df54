// HTTPS against nginx with a self-signed certificate: verification on by default, --io.insecure,
// the TLS phase, and HTTP/2 when asked for (nginx logs the protocol of each request).
#include <curl/curl.h>
#include <gtest/gtest.h>

#include "nginx_fixture.hpp"
#include "test_support.hpp"

namespace fanout {
namespace {

class TlsEngines : public ::testing::TestWithParam<Model> {
 protected:
  void SetUp() override {
    if (!test::nginx_available() || !test::openssl_available()) {
      GTEST_SKIP() << "nginx or openssl not installed";
    }
    nginx_ = std::make_unique<test::NginxServer>(true);
  }
  std::string url() const { return nginx_->tls_base_url() + test::kOneKiB.path; }

  std::unique_ptr<test::NginxServer> nginx_;
};

TEST_P(TlsEngines, VerifiesCertificatesByDefault) {
  const IoSpec spec = test::test_spec({url()});
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].error, ErrorClass::other);
  EXPECT_EQ(http(samples[0]).curl_code, CURLE_PEER_FAILED_VERIFICATION);
}

TEST_P(TlsEngines, InsecureFetchesOverHttp11) {
  IoSpec spec = test::test_spec({url()}, 4);
  spec.insecure = true;
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 4u);
  for (const Sample& s : samples) {
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(http(s).bytes, test::kOneKiB.bytes);
  }
  EXPECT_GT(http(samples[0]).tls_s, 0) << "the first request paid for a handshake";
  for (const auto& line : nginx_->access_log(4))
    EXPECT_NE(line.find(" HTTP/1.1 "), std::string::npos) << line;
}

TEST_P(TlsEngines, Http2WhenAskedFor) {
  IoSpec spec = test::test_spec({url()}, 4);
  spec.insecure = true;
  spec.http2 = true;
  const UrlPlan plan(spec);
  const auto samples = test::run_io(GetParam(), plan, spec);
  ASSERT_EQ(samples.size(), 4u);
  for (const Sample& s : samples) EXPECT_TRUE(s.ok());
  for (const auto& line : nginx_->access_log(4))
    EXPECT_NE(line.find(" HTTP/2.0 "), std::string::npos) << line;
}

INSTANTIATE_TEST_SUITE_P(Models, TlsEngines,
                         ::testing::Values(Model::serial, Model::threads, Model::async),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace fanout
