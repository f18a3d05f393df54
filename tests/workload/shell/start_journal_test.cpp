// What a farm keeps for farm-explain: the ranks' start journals (a line per attempt, read back
// over every rank, a torn last line cut by the next writer and skipped by the reader), the run
// log's start and end lines, and whether a joblog's lock is held.
#include "workload/shell/start_journal.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "../../temp_dir.hpp"
#include "workload/shell/farm_run_log.hpp"
#include "workload/shell/log_lock.hpp"

namespace fanout {
namespace {

TaskStart start(std::uint64_t seq, int rank, double at, std::string gpus = "") {
  return {seq, 1, "node0" + std::to_string(rank), rank, rank + 1, std::move(gpus), at};
}

std::vector<TaskStart> read_all(const std::string& logs, StartJournalScan* scan = nullptr) {
  std::vector<TaskStart> out;
  const StartJournalScan s =
      read_start_journals(logs, [&](const TaskStart& t) { out.push_back(t); });
  if (scan) *scan = s;
  return out;
}

TEST(StartJournal, LineRoundTrip) {
  const TaskStart s{42, 3, "node07", 5, 2, "0,1", 1765000000.125};
  EXPECT_EQ(start_line(s), "42\t3\tnode07\t5\t2\t0,1\t1765000000.125\n");
  const std::string line = start_line(s);
  const auto back = parse_start_line(line.substr(0, line.size() - 1));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->seq, 42u);
  EXPECT_EQ(back->attempt, 3u);
  EXPECT_EQ(back->host, "node07");
  EXPECT_EQ(back->rank, 5);
  EXPECT_EQ(back->slot, 2);
  EXPECT_EQ(back->gpus, "0,1");
  EXPECT_DOUBLE_EQ(back->start_epoch_s, 1765000000.125);
  // No GPUs: "-" on disk, "" read back.
  const std::string none = start_line(start(1, 0, 5));
  EXPECT_NE(none.find("\t-\t"), std::string::npos);
  EXPECT_EQ(parse_start_line(none.substr(0, none.size() - 1))->gpus, "");
  EXPECT_FALSE(parse_start_line(start_journal_header()));
  EXPECT_FALSE(parse_start_line("1\t1\thost\t0\t1\t-"));             // a field short
  EXPECT_FALSE(parse_start_line("x\t1\thost\t0\t1\t-\t5.0"));        // not a number
  EXPECT_FALSE(parse_start_line("0\t1\thost\t0\t1\t-\t5.0"));        // no task 0
  EXPECT_FALSE(parse_start_line("1\t1\thost\t0\t1\t-\t5.0 later"));  // a time with a tail
}

TEST(StartJournal, EveryRankReadBackInRankOrder) {
  test::ScratchDir dir("starts");
  const std::string logs = dir / "logs";
  std::filesystem::create_directories(start_journal_dir(logs));
  {
    StartJournal r1(start_journal_path(logs, 1)), r0(start_journal_path(logs, 0));
    ASSERT_TRUE(r1.append(start(2, 1, 10, "3")));
    ASSERT_TRUE(r0.append(start(1, 0, 11)));
    ASSERT_TRUE(r0.append(start(3, 0, 12)));
  }
  // A later run appends after the header, which is written once.
  { ASSERT_TRUE(StartJournal(start_journal_path(logs, 0)).append(start(4, 0, 13))); }
  const std::string text = test::slurp(start_journal_path(logs, 0));
  EXPECT_EQ(text.find(start_journal_header()), 0u);
  EXPECT_EQ(text.find(start_journal_header(), 1), std::string::npos);
  StartJournalScan scan;
  const std::vector<TaskStart> all = read_all(logs, &scan);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(scan.starts, 4u);
  EXPECT_EQ(scan.skipped, 0u);
  EXPECT_EQ(all[0].seq, 1u);  // rank 0's file first
  EXPECT_EQ(all[2].seq, 4u);
  EXPECT_EQ(all[3].seq, 2u);
  EXPECT_EQ(all[3].gpus, "3");
  EXPECT_EQ(all[3].host, "node01");
}

TEST(StartJournal, TornLastLineSkippedThenCut) {
  test::ScratchDir dir("starts");
  const std::string logs = dir / "logs";
  std::filesystem::create_directories(start_journal_dir(logs));
  const std::string path = start_journal_path(logs, 0);
  { ASSERT_TRUE(StartJournal(path).append(start(1, 0, 10))); }
  // A kill in the middle of the next line's write.
  std::ofstream(path, std::ios::app) << "2\t1\tnod";
  EXPECT_EQ(read_all(logs).size(), 1u);
  // The next run's first line starts whole.
  { ASSERT_TRUE(StartJournal(path).append(start(3, 0, 20))); }
  StartJournalScan scan;
  const std::vector<TaskStart> all = read_all(logs, &scan);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].seq, 3u);
  EXPECT_EQ(scan.skipped, 0u);
  // A line of another form is counted, not read as an attempt.
  std::ofstream(path, std::ios::app) << "something else\n";
  EXPECT_EQ(read_all(logs, &scan).size(), 2u);
  EXPECT_EQ(scan.skipped, 1u);
  // Files that are not a rank's are not journals.
  std::ofstream(start_journal_dir(logs) + "/notes.txt") << "1\t1\th\t0\t1\t-\t5.0\n";
  EXPECT_EQ(read_all(logs).size(), 2u);
}

TEST(StartJournal, NoJournalsNoStarts) {
  test::ScratchDir dir("starts");
  StartJournalScan scan;
  EXPECT_TRUE(read_all(dir / "none", &scan).empty());
  EXPECT_EQ(scan.starts, 0u);
}

TEST(FarmRunLog, StartAndEndLinesReadBack) {
  test::ScratchDir dir("runs");
  const std::string logs = dir.path().string();
  FarmRunStart s;
  s.epoch_s = 100.5;
  s.pid = 1234;
  s.host = "node01";
  s.ranks = 2;
  s.command = "echo {}\tand\\ a\nsecond line";
  s.inputs_file = "/data/in put.txt";
  s.count = 7;
  s.list_size = 9;
  s.planned = 5;
  s.joblog = "/logs/joblog";
  s.resume = true;
  s.output = "files";
  {
    FarmRunLog log(logs);
    ASSERT_TRUE(log.started(s));
    ASSERT_TRUE(log.ended({200.25, "walltime", 4, 1}));
    s.epoch_s = 300;
    s.resume = false;
    ASSERT_TRUE(log.started(s));  // killed: no end line
  }
  const std::vector<FarmRun> runs = read_farm_runs(logs);
  ASSERT_EQ(runs.size(), 2u);
  const FarmRunStart& a = runs[0].start;
  EXPECT_DOUBLE_EQ(a.epoch_s, 100.5);
  EXPECT_EQ(a.pid, 1234);
  EXPECT_EQ(a.host, "node01");
  EXPECT_EQ(a.ranks, 2);
  EXPECT_EQ(a.command, s.command);
  EXPECT_EQ(a.tasks_file, "");
  EXPECT_EQ(a.inputs_file, "/data/in put.txt");
  EXPECT_EQ(a.count, 7u);
  EXPECT_EQ(a.list_size, 9u);
  EXPECT_EQ(a.planned, 5u);
  EXPECT_EQ(a.joblog, "/logs/joblog");
  EXPECT_TRUE(a.resume);
  EXPECT_FALSE(a.resume_failed);
  EXPECT_EQ(a.output, "files");
  ASSERT_TRUE(runs[0].end);
  EXPECT_EQ(runs[0].end->how, "walltime");
  EXPECT_EQ(runs[0].end->done, 4u);
  EXPECT_EQ(runs[0].end->failed, 1u);
  EXPECT_FALSE(runs[1].start.resume);
  EXPECT_FALSE(runs[1].end);
  // A torn line is skipped by the reader and cut by the next writer.
  std::ofstream(farm_run_log_path(logs), std::ios::app) << "end\tat=400\thow=SIGT";
  EXPECT_FALSE(read_farm_runs(logs)[1].end);
  { ASSERT_TRUE(FarmRunLog(logs).ended({401, "SIGTERM", 0, 0})); }
  ASSERT_TRUE(read_farm_runs(logs)[1].end);
  EXPECT_EQ(read_farm_runs(logs)[1].end->how, "SIGTERM");
}

TEST(FarmRunLog, HowARunEnded) {
  EXPECT_EQ(end_how(StopReason{}, false), "complete");
  EXPECT_EQ(end_how(StopReason::walltime(), false), "walltime");
  EXPECT_EQ(end_how(StopReason::halt_soon(), false), "halt");
  EXPECT_EQ(end_how(StopReason::halt_now(), false), "halt now");
  EXPECT_EQ(end_how(StopReason::signal(15), false), "SIGTERM");
  EXPECT_EQ(end_how(StopReason::signal(1), true), "launcher gone");
}

TEST(LogLockHeld, WhileAFarmHoldsIt) {
  test::ScratchDir dir("held");
  const std::string joblog = dir / "joblog";
  EXPECT_FALSE(log_lock_held(joblog));  // no lock file
  {
    LogLock lock = LogLock::lead(joblog, "--shell.joblog", lock_holder("here"));
    EXPECT_TRUE(log_lock_held(joblog));
  }
  // The file stays; nobody holds it.
  EXPECT_TRUE(std::filesystem::exists(LogLock::lock_path(joblog)));
  EXPECT_FALSE(log_lock_held(joblog));
}

}  // namespace
}  // namespace fanout
