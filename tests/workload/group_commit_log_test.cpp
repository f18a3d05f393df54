// GroupCommitLog, the one writer of the joblog and the download journal: every line posted from
// many threads is in the file once and whole; lines are written in batches (far fewer commits
// than lines); the hook before each batch runs first and its failure fails the log; and a writer
// killed mid-run (SIGKILL, a child process) leaves only whole lines.
#include "workload/group_commit_log.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../temp_dir.hpp"

namespace fanout {
namespace {

using test::slurp;

/// The file's lines after its header; `whole` false when it does not end with a newline.
std::vector<std::string> lines_of(const std::string& path, bool* whole = nullptr) {
  const std::string text = slurp(path);
  if (whole) *whole = text.empty() || text.back() == '\n';
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  for (bool first = true; std::getline(in, line); first = false) {
    if (!first) out.push_back(line);
  }
  return out;
}

TEST(GroupCommitLog, EveryLineFromManyThreadsOnceAndWholeInFewCommits) {
  test::ScratchDir dir;
  const std::string path = dir / "log";
  constexpr int kThreads = 8, kEach = 2000;
  std::atomic<int> durable_lines{0};
  std::uint64_t commits = 0;
  {
    GroupCommitLog log(path, "--test", "# header", {{}, [&](std::string_view batch) {
                                                      for (char c : batch)
                                                        durable_lines += c == '\n';
                                                    }});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          log.post(std::to_string(t) + "\t" + std::to_string(i) + "\t" + std::string(40, 'x') +
                   "\n");
        }
      });
    }
    for (auto& th : threads) th.join();
    ASSERT_TRUE(log.commit());
    EXPECT_EQ(durable_lines.load(), kThreads * kEach) << "commit() returns once all are durable";
    commits = log.commits();
  }
  bool whole = false;
  const auto lines = lines_of(path, &whole);
  EXPECT_TRUE(whole);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kEach));
  std::set<std::string> seen(lines.begin(), lines.end());
  EXPECT_EQ(seen.size(), lines.size()) << "no line twice";
  for (const auto& l : lines) {
    ASSERT_EQ(l.size(), l.rfind('\t') + 1 + 40) << "a torn line: " << l;
  }
  EXPECT_LT(commits, static_cast<std::uint64_t>(kThreads * kEach) / 10)
      << "lines are committed in groups, not one fdatasync each";
  // Reopened: no second header, the lines go after the others.
  {
    GroupCommitLog again(path, "--test", "# header");
    again.post("last\n");
  }
  EXPECT_EQ(slurp(path).rfind("# header\n", 0), 0u);
  EXPECT_EQ(slurp(path).find("# header", 1), std::string::npos);
  EXPECT_EQ(lines_of(path).back(), "last");
}

TEST(GroupCommitLog, AtMostOneCommitAnIntervalWhileLinesTrickleIn) {
  test::ScratchDir dir;
  const std::string path = dir / "log";
  constexpr auto kInterval = std::chrono::milliseconds(40);
  GroupCommitLog log(path, "--test", "", {}, kInterval);
  const auto t0 = std::chrono::steady_clock::now();
  int posted = 0;
  while (std::chrono::steady_clock::now() - t0 < 10 * kInterval) {
    log.post("line " + std::to_string(++posted) + "\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  const std::uint64_t commits = log.commits();
  // A commit starts at most once an interval (the first one at once): a busy machine only
  // makes fewer.
  EXPECT_LE(commits, static_cast<std::uint64_t>(elapsed / kInterval) + 2) << posted << " lines";
  EXPECT_GE(posted, 10);
  ASSERT_TRUE(log.commit());
  EXPECT_EQ(lines_of(path).size() + 1, static_cast<std::size_t>(posted))
      << "no header: every line is a posted one";
}

TEST(GroupCommitLog, HookRunsBeforeEachBatchAndItsFailureFailsTheLog) {
  test::ScratchDir dir;
  const std::string path = dir / "log";
  std::atomic<bool> allow{true};
  std::atomic<int> calls{0};
  std::atomic<std::size_t> size_at_hook{0};
  GroupCommitLog log(path, "--test", "",
                     {[&] {
                        ++calls;
                        size_at_hook = slurp(path).size();
                        return allow.load();
                      },
                      {}});
  log.post("a\n");
  ASSERT_TRUE(log.commit());
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(size_at_hook.load(), 0u) << "the hook runs before the batch is written";
  EXPECT_TRUE(log.commit()) << "nothing new: no commit needed";
  EXPECT_EQ(calls.load(), 1);
  allow = false;
  log.post("b\n");
  EXPECT_FALSE(log.commit());
  EXPECT_TRUE(log.failed());
  log.post("c\n");
  EXPECT_FALSE(log.commit());
  EXPECT_EQ(slurp(path), "a\n") << "lines after a failed hook are not written";
}

TEST(GroupCommitLog, AWriterKilledMidRunLeavesWholeLinesOnly) {
  test::ScratchDir dir;
  const std::string path = dir / "log";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Many threads post until killed; lines are long, so batches are many pages.
    GroupCommitLog log(path, "--test", "# header", {}, std::chrono::milliseconds(5));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (long i = 0;; ++i) {
          log.post(std::to_string(t) + ":" + std::to_string(i) + ":" + std::string(500, 'y') +
                   "\n");
          if (i % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
      });
    }
    for (auto& th : threads) th.join();
    ::_exit(0);
  }
  // Kill it once it has written a good deal, in the middle of its run.
  for (int i = 0; i < 2000 && slurp(path).size() < (1u << 20); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Linux may cut a write to a file between pages for a fatal signal: at most the last line is
  // torn, and opening the log again cuts it off.
  const auto check = [&](std::size_t at_least) {
    bool whole = false;
    std::vector<std::string> lines = lines_of(path, &whole);
    if (!whole) lines.pop_back();
    EXPECT_GT(lines.size(), at_least);
    std::set<std::string> seen;
    for (const auto& l : lines) {
      if (l == "after") continue;
      EXPECT_EQ(l.size(), l.rfind(':') + 1 + 500) << "a torn line: " << l.substr(0, 40);
      EXPECT_TRUE(seen.insert(l.substr(0, l.rfind(':'))).second) << "twice: " << l.substr(0, 20);
    }
    return lines.size();
  };
  const std::size_t killed_lines = check(100);
  const std::uint64_t torn = slurp(path).size() - slurp(path).rfind('\n') - 1;
  {
    GroupCommitLog again(path, "--test", "# header");
    EXPECT_EQ(again.cut_bytes(), torn) << "the torn last line is cut, the whole ones kept";
    again.post("after\n");
  }
  bool whole = false;
  EXPECT_EQ(lines_of(path, &whole).back(), "after");
  EXPECT_TRUE(whole);
  EXPECT_EQ(check(killed_lines - 1), killed_lines + 1)
      << "the line appended after the kill follows whole lines";
}

}  // namespace
}  // namespace fanout
