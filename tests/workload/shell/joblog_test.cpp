// The joblog in GNU parallel's format: lines, appends, the reader (with a line a kill cut), the
// count of durable lines rank 0 reports as progress, and GNU parallel's --halt words.
#include "workload/shell/joblog.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../../temp_dir.hpp"
#include "cli/config_error.hpp"
#include "workload/group_commit_log.hpp"
#include "workload/shell/halt_rule.hpp"

namespace fanout {
namespace {

using test::slurp;

JoblogEntry entry(std::uint64_t seq, int exit_code, int signal, std::string command) {
  JoblogEntry e;
  e.seq = seq;
  e.host = "n1";
  e.start_epoch_s = 1700000000.25;
  e.runtime_s = 1.5;
  e.received = 12;
  e.exit_code = exit_code;
  e.signal = signal;
  e.command = std::move(command);
  return e;
}

std::vector<JoblogEntry> read_all(const std::string& path) {
  std::vector<JoblogEntry> out;
  read_joblog(path, [&](const JoblogEntry& e, const std::string&) { out.push_back(e); });
  return out;
}

TEST(Joblog, LinesAreGnuParallelsFormat) {
  EXPECT_EQ(joblog_header(),
            "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
  EXPECT_EQ(joblog_line(entry(7, 0, 0, "echo a\tb")),
            "7\tn1\t1700000000.250\t     1.500\t0\t12\t0\t0\techo a\tb\n");
  JoblogEntry local = entry(1, -1, 15, "line one\nline two");
  local.host = "";
  EXPECT_EQ(joblog_line(local),
            std::string("1\t:\t1700000000.250\t     1.500\t0\t12\t-1\t15\tline one") + '\0' +
                "line two\n")
      << "no host is ':', and a newline in the command is a NUL, as parallel writes them";
}

TEST(Joblog, WriterAppendsAfterOneHeaderAndReaderReadsItBack) {
  test::ScratchDir dir;
  const std::string path = (dir / "joblog");
  const auto open = [&] {
    return std::make_shared<GroupCommitLog>(path, "--shell.joblog", joblog_header());
  };
  {
    JoblogWriter w(open());
    ASSERT_TRUE(w.append(entry(1, 0, 0, "true")));
    ASSERT_TRUE(w.append(entry(3, 2, 0, "exit 2")));
  }
  {
    JoblogWriter again(open());  // an existing joblog gets no second header
    ASSERT_TRUE(again.append(entry(2, 0, 9, "multi\nline")));
  }
  const std::string text = slurp(path);
  EXPECT_EQ(text.rfind(joblog_header() + "\n", 0), 0u);
  EXPECT_EQ(text.find("Seq", 1), std::string::npos);
  const auto all = read_all(path);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].seq, 3u);
  EXPECT_EQ(all[1].exit_code, 2);
  EXPECT_FALSE(all[1].ok());
  EXPECT_EQ(all[2].command, "multi\nline");
  EXPECT_EQ(all[2].signal, 9);
  EXPECT_DOUBLE_EQ(all[0].start_epoch_s, 1700000000.25);
  EXPECT_EQ(all[0].received, 12u);
}

TEST(Joblog, ReaderSkipsALastLineAKillCut) {
  test::ScratchDir dir;
  const std::string path = (dir / "joblog");
  std::ofstream(path) << joblog_header()
                      << "\n1\t:\t1.0\t2.0\t0\t0\t0\t0\ttrue\n2\t:\t1.0\t2.0\t0\t0\t0";
  const auto all = read_all(path);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].seq, 1u);
}

TEST(Joblog, MissingJoblogHoldsNothingAndForeignLinesNameFileAndLine) {
  test::ScratchDir dir;
  EXPECT_EQ(read_joblog((dir / "none"), [](const JoblogEntry&, const std::string&) {}), 0u);
  const std::string path = (dir / "bad");
  std::ofstream(path) << joblog_header()
                      << "\n1\t:\t1.0\t2.0\t0\t0\t0\t0\ttrue\nnot a joblog line\n";
  try {
    read_all(path);
    FAIL() << "a foreign line was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              path +
                  ":3: not a joblog line (Seq, Host, Starttime, JobRuntime, "
                  "Send, Receive, Exitval, Signal and Command, separated by tabs)");
  }
  try {
    read_all(dir.path().string());
    FAIL() << "a directory was read as a joblog";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
}

TEST(JoblogCounts, CountsTheWholeLinesMadeDurable) {
  test::ScratchDir dir;
  const std::string path = (dir / "joblog");
  JoblogCounts counts;
  {
    JoblogWriter w(std::make_shared<GroupCommitLog>(
        path, "--shell.joblog", joblog_header(),
        GroupCommitLog::Hooks{{}, [&](std::string_view l) { counts.add(l); }}));
    ASSERT_TRUE(w.append(entry(2, 0, 0, "ok")));
    ASSERT_TRUE(w.append(entry(3, 1, 0, "exit 1")));
    ASSERT_TRUE(w.append(entry(4, 0, 15, "killed")));
    ASSERT_TRUE(w.log()->commit());
    EXPECT_EQ(counts.counts().done, 3u) << "a commit counts what it made durable";
  }
  counts.add(joblog_header() + "\n5\tn1\t1.0\t2.0\t0\t0\t0\t0\ttrue\n");
  const JoblogCounts::Counts c = counts.counts();
  EXPECT_EQ(c.done, 4u) << "the header is no task";
  EXPECT_EQ(c.failed, 2u);
}

TEST(HaltRule, ReadsGnuParallelsWords) {
  EXPECT_EQ(parse_halt_rule("never")->when, HaltRule::When::never);
  const auto now = parse_halt_rule("now,fail=3");
  ASSERT_TRUE(now);
  EXPECT_EQ(now->when, HaltRule::When::now);
  EXPECT_EQ(now->failures, 3u);
  const auto soon = parse_halt_rule("soon,fail=20%");
  ASSERT_TRUE(soon);
  EXPECT_EQ(soon->when, HaltRule::When::soon);
  EXPECT_DOUBLE_EQ(soon->percent, 20);
  EXPECT_EQ(to_string(*soon), "soon,fail=20%");
  EXPECT_EQ(to_string(*now), "now,fail=3");
  for (const char* bad : {"", "now", "now,fail=0", "now,fail=-1", "later,fail=1", "soon,fail=101%",
                          "soon,fail=x", "now,success=1", "now,fail=1%%"}) {
    EXPECT_FALSE(parse_halt_rule(bad)) << bad;
  }
}

}  // namespace
}  // namespace fanout
