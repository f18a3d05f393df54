// Test helpers, plus the global environment that initialises libcurl once per test binary.
#include "test_support.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "exec/range_source.hpp"
#include "workload/io/curl_global.hpp"
#include "workload/io/io_engines.hpp"

namespace fanout::test {
namespace {

class CurlEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { curl_ = std::make_unique<CurlGlobal>(); }
  void TearDown() override { curl_.reset(); }

 private:
  std::unique_ptr<CurlGlobal> curl_;
};

[[maybe_unused]] const auto* const kCurlEnvironment =
    ::testing::AddGlobalTestEnvironment(new CurlEnvironment);

/// A TCP socket bound to 127.0.0.1:0; returns its fd and the port the kernel picked.
int bind_loopback(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind to 127.0.0.1:0 failed");
  }
  port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

StallListener::StallListener() {
  fd_ = bind_loopback(port_);
  if (::listen(fd_, 128) != 0) {
    ::close(fd_);
    throw std::runtime_error("listen failed");
  }
}

StallListener::~StallListener() { ::close(fd_); }

std::string StallListener::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/stalled";
}

std::uint16_t free_port() {
  std::uint16_t port = 0;
  ::close(bind_loopback(port));
  return port;
}

IoSpec test_spec(std::vector<std::string> urls, int repeat) {
  IoSpec spec;
  spec.urls = std::move(urls);
  spec.repeat = repeat;
  spec.concurrency = 4;
  spec.timeout_s = 10;
  spec.connect_timeout_s = 5;
  spec.retries = 0;
  spec.backoff_s = 0.01;
  return spec;
}

std::vector<Sample> run_io(Model model, const UrlPlan& plan, const IoSpec& spec, int workers,
                           std::vector<std::string>* messages, int rank, const BodyDir* bodies) {
  std::unique_ptr<BodyDir> own;
  if (bodies == nullptr && !spec.output_dir.empty()) {
    own = std::make_unique<BodyDir>(spec.output_dir);
    bodies = own.get();
  }
  auto executor = make_io_executor(model, workers, plan.count(), {plan, spec, bodies});
  RangeSource source(TaskRange{0, plan.count()}, 2);
  const RunContext ctx{Clock::now(), rank};
  auto samples = executor->run(source, ctx);
  std::sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.id < b.id; });
  if (messages != nullptr) *messages = executor->error_messages();
  return samples;
}

}  // namespace fanout::test
