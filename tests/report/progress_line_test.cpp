// The progress line: its text, live rewriting on a terminal, bounded plain lines elsewhere.
#include "report/progress_line.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace fanout {
namespace {

TEST(ProgressText, CountRateEtaAndLast) {
  ProgressState s{"scale", 2, 5, "points", 4.0, std::nullopt, "", "r2-t1 in 1.9 s"};
  EXPECT_EQ(progress_text(s),
            "fanout scale: 2/5 points, 0.5 points/s, ETA 6.000 s (last: r2-t1 in 1.9 s)");
  s.done = 5;
  s.elapsed_s = 10;
  s.last.clear();
  EXPECT_EQ(progress_text(s), "fanout scale: 5/5 points, 0.5 points/s");
  ProgressState c{"compare", 3, 12, "measurements", 1.5, 12000.0, "tasks", "threads 1/3"};
  EXPECT_EQ(progress_text(c),
            "fanout compare: 3/12 measurements, 12k tasks/s, ETA 4.500 s (last: threads 1/3)");
  ProgressState none{"run", 0, 4, "measurements", 0.0, std::nullopt, "", ""};
  EXPECT_EQ(progress_text(none), "fanout run: 0/4 measurements");
}

TEST(ProgressLine, LiveRewritesOneLineAndClearsIt) {
  std::ostringstream out;
  {
    ProgressLine line(out, {true, true, 10});
    line.update({"scale", 1, 2, "points", 1.0, std::nullopt, "", ""});
    line.update({"scale", 2, 2, "points", 2.0, std::nullopt, "", ""});
  }
  EXPECT_EQ(out.str(),
            "\rfanout scale: 1/2 points, 1 points/s, ETA 1.000 s\x1b[K"
            "\rfanout scale: 2/2 points, 1 points/s\x1b[K\r\x1b[K");
}

TEST(ProgressLine, PlainLinesOnlyAfterTheInterval) {
  std::ostringstream quiet, every;
  ProgressLine slow(quiet, {true, false, 3600});
  ProgressLine fast(every, {true, false, 0});
  for (std::size_t i = 1; i <= 3; ++i) {
    slow.update({"compare", i, 3, "measurements", 1.0, std::nullopt, "", ""});
    fast.update({"scale", i, 3, "points", 1.0, std::nullopt, "", ""});
  }
  slow.finish();
  EXPECT_EQ(quiet.str(), "");  // a short run prints nothing when stderr is not a terminal
  EXPECT_EQ(every.str(),
            "fanout scale: 1/3 points, 1 points/s, ETA 2.000 s\n"
            "fanout scale: 2/3 points, 2 points/s, ETA 500.0 ms\n"
            "fanout scale: 3/3 points, 3 points/s\n");
}

TEST(ProgressLine, NoneAndStyles) {
  std::ostringstream out;
  ProgressLine off(out, progress_style(ProgressMode::none, true, 10));
  off.update({"run", 1, 1, "measurements", 1.0, std::nullopt, "", ""});
  off.finish();
  EXPECT_EQ(out.str(), "");
  const ProgressStyle tty = progress_style(ProgressMode::automatic, true, 10);
  EXPECT_TRUE(tty.show && tty.live);
  const ProgressStyle log = progress_style(ProgressMode::automatic, false, 10);
  EXPECT_TRUE(log.show && !log.live);
  EXPECT_EQ(log.plain_interval_s, 10);
  EXPECT_TRUE(progress_style(ProgressMode::live, false, 10).live);
  EXPECT_EQ(progress_style(ProgressMode::plain, true, 10).plain_interval_s, 0);
}

}  // namespace
}  // namespace fanout
