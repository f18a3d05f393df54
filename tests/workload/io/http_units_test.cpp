// Pure parts of the I/O engines: body file names, error classes, retry decisions and back-off.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "workload/io/attempt.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/retry_policy.hpp"

namespace fanout {
namespace {

bool safe_name(const std::string& name) {
  const bool allowed_chars = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
  return !name.empty() && allowed_chars && name.find("..") == std::string::npos &&
         name.front() != '.' && name.size() <= kMaxBodyNameLength;
}

TEST(BodyFileName, KeepsHostAndPathReadable) {
  EXPECT_EQ(body_file_name(7, "http://127.0.0.1:8080/index.html"), "7-127.0.0.1_8080_index.html");
  EXPECT_EQ(body_file_name(0, "https://example.com/a/b?q=1&r=2"), "0-example.com_a_b_q_1_r_2");
}

TEST(BodyFileName, HostilePathsCannotEscapeOrHide) {
  for (const char* url :
       {"http://h/../../etc/passwd", "http://h/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "http://h/..",
        "http://h/...", "http://h/a/./../..", "http://h/\\..\\..\\x", "..", "../../x",
        "/etc/passwd", "http://h/\x01\x02\xff name", ""}) {
    const std::string name = body_file_name(3, url);
    EXPECT_TRUE(safe_name(name)) << url << " -> " << name;
    EXPECT_EQ(name.find('/'), std::string::npos);
  }
  EXPECT_EQ(body_file_name(3, "http://h/../../etc/passwd"), "3-h_.__.__etc_passwd");
  EXPECT_EQ(body_file_name(3, "http://h/%2e%2e%2f"), "3-h__2e_2e_2f");
  EXPECT_EQ(body_file_name(3, ""), "3-body");
}

TEST(BodyFileName, LongUrlsAreBoundedAndTaskIdsKeepRepeatsApart) {
  const std::string url = "http://h/" + std::string(5000, 'a');
  const std::string a = body_file_name(1, url);
  const std::string b = body_file_name(12345678901234ull, url);
  EXPECT_EQ(a.size(), kMaxBodyNameLength);
  EXPECT_EQ(b.size(), kMaxBodyNameLength);
  EXPECT_NE(a, b);
  EXPECT_TRUE(safe_name(a) && safe_name(b));
}

TEST(Classify, CurlCodesThenStatus) {
  EXPECT_EQ(classify(CURLE_OK, 200), ErrorClass::none);
  EXPECT_EQ(classify(CURLE_OK, 304), ErrorClass::none);
  EXPECT_EQ(classify(CURLE_OK, 404), ErrorClass::http_4xx);
  EXPECT_EQ(classify(CURLE_OK, 429), ErrorClass::http_4xx);
  EXPECT_EQ(classify(CURLE_OK, 503), ErrorClass::http_5xx);
  EXPECT_EQ(classify(CURLE_COULDNT_CONNECT, 0), ErrorClass::connect);
  EXPECT_EQ(classify(CURLE_COULDNT_RESOLVE_HOST, 0), ErrorClass::connect);
  EXPECT_EQ(classify(CURLE_OPERATION_TIMEDOUT, 200), ErrorClass::timeout);
  EXPECT_EQ(classify(CURLE_WRITE_ERROR, 200), ErrorClass::other);
  EXPECT_EQ(classify(CURLE_PEER_FAILED_VERIFICATION, 0), ErrorClass::other);
  EXPECT_EQ(classify(CURLE_TOO_MANY_REDIRECTS, 302), ErrorClass::other);
}

TEST(RetryPolicy, RetriesOnlyTransientFailuresUpToTheLimit) {
  const RetryPolicy policy(2, 0.1, 10);
  auto result = [](ErrorClass e, int status) {
    AttemptResult r;
    r.error = e;
    r.http_status = status;
    return r;
  };
  EXPECT_TRUE(policy.should_retry(result(ErrorClass::connect, 0), 0));
  EXPECT_TRUE(policy.should_retry(result(ErrorClass::timeout, 0), 1));
  EXPECT_TRUE(policy.should_retry(result(ErrorClass::http_5xx, 503), 0));
  EXPECT_TRUE(policy.should_retry(result(ErrorClass::http_4xx, 429), 0));
  EXPECT_FALSE(policy.should_retry(result(ErrorClass::http_5xx, 503), 2));
  EXPECT_FALSE(policy.should_retry(result(ErrorClass::http_4xx, 404), 0));
  EXPECT_FALSE(policy.should_retry(result(ErrorClass::other, 200), 0));
  EXPECT_FALSE(policy.should_retry(result(ErrorClass::none, 200), 0));
  EXPECT_FALSE(RetryPolicy(0, 0.1, 10).should_retry(result(ErrorClass::connect, 0), 0));
}

TEST(RetryPolicy, ExponentialBackoffWithJitterRetryAfterAndCap) {
  const RetryPolicy policy(5, 0.1, 1.0);
  EXPECT_DOUBLE_EQ(policy.delay_s(0, 0.0, 0), 0.05);
  EXPECT_DOUBLE_EQ(policy.delay_s(0, 1.0, 0), 0.1);
  EXPECT_DOUBLE_EQ(policy.delay_s(2, 0.0, 0), 0.2);
  EXPECT_DOUBLE_EQ(policy.delay_s(2, 0.5, 0), 0.3);
  EXPECT_DOUBLE_EQ(policy.delay_s(0, 0.0, 0.7), 0.7) << "Retry-After is a floor";
  EXPECT_DOUBLE_EQ(policy.delay_s(10, 0.0, 0), 1.0) << "capped";
  EXPECT_DOUBLE_EQ(policy.delay_s(0, 0.0, 3600), 1.0) << "a huge Retry-After is capped too";
  auto rng = make_jitter_rng(0);
  for (int i = 0; i < 100; ++i) {
    const double d = policy.delay_s(1, 0, rng);
    EXPECT_GE(d, 0.1);
    EXPECT_LT(d, 0.2);
  }
}

TEST(RetryPolicy, FromSpecCapsWaitsAtTheTimeout) {
  IoSpec spec;
  spec.retries = 3;
  spec.backoff_s = 1;
  spec.timeout_s = 2;
  const RetryPolicy policy(spec);
  EXPECT_EQ(policy.max_retries(), 3);
  EXPECT_DOUBLE_EQ(policy.delay_s(5, 0.0, 0), 2.0);
}

}  // namespace
}  // namespace fanout
