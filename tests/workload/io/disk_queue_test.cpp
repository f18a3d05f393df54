// The download's disk thread: DiskQueue's order, bound and buffers, and StagedFile writing and
// hashing through it (or inline) the same bytes, a failed block write included.
#include "workload/io/disk_queue.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <future>
#include <random>
#include <string>
#include <vector>

#include "../../temp_dir.hpp"
#include "workload/io/body_file.hpp"
#include "workload/io/digest.hpp"
#include "workload/io/staging.hpp"

namespace fanout {
namespace {

using namespace std::chrono_literals;

DiskQueue::Buffer block_of(DiskQueue& q, const std::string& text) {
  DiskQueue::Buffer b = q.take_buffer();
  std::memcpy(b.get(), text.data(), text.size());
  return b;
}

TEST(DiskQueue, RunsJobsInOrderAndWaitSeesTheirEffects) {
  DiskQueue q(1 << 20, 64);
  std::vector<std::string> seen;  // written by the queue's thread, read after wait()
  std::uint64_t last = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string text = "job" + std::to_string(i);
    last = q.post(block_of(q, text), text.size(),
                  [&seen, n = text.size()](const char* data) { seen.emplace_back(data, n); });
    EXPECT_EQ(last, static_cast<std::uint64_t>(i + 1)) << "tickets count the posts from 1";
  }
  q.wait(last);
  EXPECT_EQ(q.done(), last);
  ASSERT_EQ(seen.size(), 200u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], "job" + std::to_string(i));
  q.wait(0);  // nothing to wait for
}

TEST(DiskQueue, PostWaitsWhileTheQueuedBytesPassTheBound) {
  DiskQueue q(100, 64);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> ran{0};
  // The first job holds the thread; its 60 bytes and the next 40 fill the bound.
  q.post(q.take_buffer(), 60, [gate, &ran](const char*) {
    gate.wait();
    ++ran;
  });
  q.post(q.take_buffer(), 40, [&ran](const char*) { ++ran; });
  auto third = std::async(std::launch::async, [&] {
    return q.post(q.take_buffer(), 1, [&ran](const char*) { ++ran; });
  });
  EXPECT_EQ(third.wait_for(200ms), std::future_status::timeout) << "101 bytes would be queued";
  release.set_value();
  EXPECT_EQ(third.get(), 3u);
  q.wait(3);
  EXPECT_EQ(ran.load(), 3);
  // One job larger than the bound goes in once the queue is empty, rather than never.
  const std::uint64_t big = q.post(q.take_buffer(), 1000, [&ran](const char*) { ++ran; });
  q.wait(big);
  EXPECT_EQ(ran.load(), 4);
}

TEST(DiskQueue, ABlockGoesBackToThePoolOnceItsJobRan) {
  DiskQueue q(1 << 20, 4096);
  DiskQueue::Buffer b = q.take_buffer();
  const char* address = b.get();
  q.wait(q.post(std::move(b), 10, [](const char*) {}));
  EXPECT_EQ(q.take_buffer().get(), address) << "a steady stream allocates no buffer";
}

TEST(DiskQueue, DestructionRunsWhatIsQueued) {
  std::atomic<int> ran{0};
  {
    DiskQueue q(1 << 20, 16);
    for (int i = 0; i < 50; ++i) q.post(q.take_buffer(), 1, [&ran](const char*) { ++ran; });
  }
  EXPECT_EQ(ran.load(), 50);
}

/// Random bytes of `n`, the same for a seed.
std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string sha256_of(const std::string& data) {
  Digest d(DigestAlgo::sha256);
  d.update(data.data(), data.size());
  return d.hex_final();
}

struct CurlHandle {
  CURL* easy = curl_easy_init();
  ~CurlHandle() { curl_easy_cleanup(easy); }
};

/// One download of `body` through a StagedFile (with `queue` or inline), fed in uneven pieces as
/// libcurl would, then finished; the End and the error are returned.
struct Fetch {
  StagedFile::End end = StagedFile::End::failed;
  std::string error;
  bool write_failed = false;
};
Fetch fetch(const StagingDir& dir, DiskQueue* queue, const UrlEntry& e, const std::string& body) {
  CurlHandle curl;
  StagedFile file(dir, queue);
  Digest digest(e.checksum.known() ? e.checksum.algo : DigestAlgo::sha256);
  Fetch f;
  const StagedFile::Begin begun = file.begin(e, 0, e.checksum.known() ? &digest : nullptr);
  EXPECT_TRUE(begun.request) << begun.error;
  f.error = file.on_response(curl.easy, 200);
  EXPECT_EQ(f.error, "");
  std::size_t at = 0;
  for (std::size_t piece = 1; at < body.size() && !f.write_failed; piece = piece * 3 % 40000 + 7) {
    const std::size_t n = std::min(piece, body.size() - at);
    f.error = file.write(body.data() + at, n);
    f.write_failed = !f.error.empty();
    at += n;
  }
  if (!f.write_failed) {
    const StagedFile::Finish done = file.finish(curl.easy, true, 200);
    f.end = done.end;
    f.error = done.error;
  }
  return f;
}

class StagedThroughQueue : public ::testing::TestWithParam<bool> {
 protected:
  test::ScratchDir scratch_{"disk-queue"};
  BodyDir bodies_{scratch_.path().string()};
  StagingDir dir_{bodies_, nullptr, {}};
  DiskQueue queue_{256 * 1024, 16 * 1024};
  DiskQueue* queue() { return GetParam() ? &queue_ : nullptr; }
};

TEST_P(StagedThroughQueue, WritesAndHashesEveryByteInOrder) {
  const std::string body = random_bytes(3 * 1024 * 1024 + 12345, 7);
  UrlEntry e;
  e.url = "http://127.0.0.1/x";
  e.name = "x.bin";
  e.checksum = {DigestAlgo::sha256, sha256_of(body)};
  const Fetch f = fetch(dir_, queue(), e, body);
  EXPECT_EQ(f.end, StagedFile::End::done) << f.error;
  EXPECT_EQ(test::slurp(scratch_ / "x.bin"), body);
  struct stat st {};
  EXPECT_NE(::stat((scratch_ / "x.bin.fanout-part").c_str(), &st), 0) << "the part was renamed";
}

TEST_P(StagedThroughQueue, AWrongChecksumKeepsNoFinalFile) {
  const std::string body = random_bytes(700 * 1024, 8);
  UrlEntry e;
  e.url = "http://127.0.0.1/y";
  e.name = "y.bin";
  e.checksum = {DigestAlgo::sha256, sha256_of(body + "!")};
  const Fetch f = fetch(dir_, queue(), e, body);
  EXPECT_EQ(f.end, StagedFile::End::bad_data);
  EXPECT_NE(f.error.find("the list expects"), std::string::npos) << f.error;
  struct stat st {};
  EXPECT_NE(::stat((scratch_ / "y.bin").c_str(), &st), 0);
}

/// RLIMIT_FSIZE for one test: a write past it fails (EFBIG) instead of raising SIGXFSZ.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_ = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = saved_;
    lim.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lim);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_);
  }

 private:
  struct rlimit saved_ {};
  void (*old_)(int) = nullptr;
};

TEST_P(StagedThroughQueue, AFailedBlockWriteFailsTheFileAndKeepsThePartForAResume) {
  const std::string body = random_bytes(2 * 1024 * 1024, 9);
  UrlEntry e;
  e.url = "http://127.0.0.1/z";
  e.name = "z.bin";
  e.checksum = {DigestAlgo::sha256, sha256_of(body)};
  Fetch f;
  {
    FileSizeLimit limit(300 * 1024);
    f = fetch(dir_, queue(), e, body);
  }
  // Inline, the write that fails says so; through the queue, a later write or finish() does.
  EXPECT_TRUE(f.write_failed || f.end == StagedFile::End::failed);
  const std::string part = scratch_.path().string() + "/z.bin.fanout-part";
  EXPECT_NE(f.error.find("cannot write " + part), std::string::npos) << f.error;
  EXPECT_NE(f.error.find(std::strerror(EFBIG)), std::string::npos) << f.error;
  struct stat st {};
  EXPECT_NE(::stat((scratch_ / "z.bin").c_str(), &st), 0) << "no file under the final name";
  ASSERT_EQ(::stat((scratch_ / "z.bin.fanout-part").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 300 * 1024);
  EXPECT_EQ(test::slurp(scratch_ / "z.bin.fanout-part"), body.substr(0, 300 * 1024))
      << "what the part holds is the body's start, nothing after the failure";
}

INSTANTIATE_TEST_SUITE_P(InlineAndQueued, StagedThroughQueue, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Queued" : "Inline"; });

}  // namespace
}  // namespace fanout
