// Tests of src/effects/farm_explain: each task's place from a farm's facts (joblog lines, start
// journals, runs and whether the joblog is locked), and the command's bad input.
#include "effects/farm_explain.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "../temp_dir.hpp"
#include "cli/config_error.hpp"
#include "effects/farm_explain_command.hpp"

namespace fanout {
namespace {

FarmRun run(double at, std::optional<std::string> how) {
  FarmRun r;
  r.start.epoch_s = at;
  r.start.host = "node01";
  r.start.planned = 4;
  if (how) r.end = FarmRunEnd{at + 50, *how, 2, 0};
  return r;
}

JoblogEntry ended(std::uint64_t seq, double at, int exit_code, int signal = 0) {
  JoblogEntry e;
  e.seq = seq;
  e.host = "node02";
  e.start_epoch_s = at;
  e.runtime_s = 1.5;
  e.exit_code = exit_code;
  e.signal = signal;
  return e;
}

void started(FarmFacts& f, std::uint64_t seq, double at, std::uint32_t attempt = 1) {
  TaskStarts& t = f.starts[seq];
  ++t.count;
  t.last = {seq, attempt, "node02", 1, 2, "0", at};
}

FarmFacts facts() {
  FarmFacts f;
  f.logs_dir = "L";
  f.joblog = "L/joblog";
  f.tasks = {1, 2, 3, 4};
  return f;
}

TEST(FarmExplain, FinishedHowAndWhere) {
  FarmFacts f = facts();
  f.runs = {run(100, "walltime"), run(200, "complete")};
  f.ended[1] = ended(1, 110, 0);
  started(f, 1, 110);
  f.ended[2] = ended(2, 210, 3);
  started(f, 2, 205);
  started(f, 2, 210, 2);
  f.ended[3] = ended(3, 215, -1, 15);
  const TaskExplanation a = explain_task(f, 1);
  EXPECT_EQ(a.state, TaskState::finished);
  EXPECT_TRUE(a.earlier_run);
  EXPECT_NE(a.why.find("exit 0"), std::string::npos) << a.why;
  EXPECT_NE(a.why.find("earlier run"), std::string::npos) << a.why;
  const TaskExplanation b = explain_task(f, 2);
  EXPECT_EQ(b.state, TaskState::failed);
  EXPECT_FALSE(b.earlier_run);
  EXPECT_EQ(b.attempts, 2u);
  EXPECT_EQ(b.start->attempt, 2u);
  EXPECT_NE(b.why.find("exit 3"), std::string::npos) << b.why;
  EXPECT_NE(explain_task(f, 3).why.find("timed out (SIGTERM)"), std::string::npos);
  EXPECT_EQ(output_hint(f, 2), "fanout farm-output L --task 2");
  f.records = false;
  EXPECT_EQ(output_hint(f, 2), "L/0/2.out and .err");
  const std::string detail = explain_detail(f, b);
  EXPECT_NE(detail.find("task 2: failed"), std::string::npos) << detail;
  EXPECT_NE(detail.find("node02, rank 1, slot 2, GPUs 0"), std::string::npos) << detail;
  EXPECT_NE(detail.find("output:   L/0/2.out"), std::string::npos) << detail;
}

TEST(FarmExplain, RunningWaitingWhileTheFarmRuns) {
  FarmFacts f = facts();
  f.runs = {run(100, std::nullopt)};
  f.running = true;
  f.holders = {"pid 77 on node01"};
  started(f, 1, 120);
  const TaskExplanation r = explain_task(f, 1);
  EXPECT_EQ(r.state, TaskState::running);
  EXPECT_NE(r.why.find("attempt 1, on node02, rank 1, slot 2, GPUs 0"), std::string::npos) << r.why;
  const TaskExplanation w = explain_task(f, 2);
  EXPECT_EQ(w.state, TaskState::not_started);
  EXPECT_NE(w.why.find("waiting for a free slot"), std::string::npos) << w.why;
  EXPECT_NE(w.why.find("pid 77 on node01"), std::string::npos) << w.why;
}

TEST(FarmExplain, NotStartedWhyAndInterrupted) {
  FarmFacts f = facts();
  f.runs = {run(100, "SIGTERM")};
  started(f, 1, 120);
  const TaskExplanation i = explain_task(f, 1);
  EXPECT_EQ(i.state, TaskState::interrupted);
  EXPECT_NE(i.why.find("stopped by SIGTERM while it ran"), std::string::npos) << i.why;
  EXPECT_NE(explain_task(f, 2).why.find("stopped by SIGTERM before it started"), std::string::npos);
  f.runs = {run(100, "walltime")};
  EXPECT_NE(explain_task(f, 2).why.find("walltime"), std::string::npos);
  f.runs = {run(100, "halt")};
  EXPECT_NE(explain_task(f, 2).why.find("halted (its --halt rule"), std::string::npos)
      << explain_task(f, 2).why;
  f.runs = {run(100, "launcher gone")};
  EXPECT_NE(explain_task(f, 2).why.find("lost its launcher"), std::string::npos);
  // Killed outright: no end line.
  f.runs = {run(100, std::nullopt)};
  EXPECT_NE(explain_task(f, 1).why.find("without recording its end"), std::string::npos);
  EXPECT_EQ(explain_task(f, 1).state, TaskState::interrupted);
  // Past --count.
  f.count = 4;
  f.outside = {5};
  EXPECT_NE(explain_task(f, 5).why.find("--count 4"), std::string::npos);
  // An interrupted task that a later run has not reached yet is still interrupted, not running.
  f.runs = {run(100, std::nullopt), run(200, std::nullopt)};
  f.running = true;
  EXPECT_EQ(explain_task(f, 1).state, TaskState::interrupted);
}

TEST(FarmExplain, BadInput) {
  std::string help;
  const auto parse = [&](std::vector<std::string> a) { return parse_farm_explain(a, help); };
  EXPECT_THROW(parse({}), ConfigError);
  EXPECT_THROW(parse({"L", "--state", "asleep"}), ConfigError);
  EXPECT_THROW(parse({"L", "--task", "0"}), ConfigError);
  EXPECT_THROW(parse({"L", "--task", "3", "--state", "running"}), ConfigError);
  EXPECT_EQ(parse({"L", "--state", "not-started"})->state, TaskState::not_started);
  test::ScratchDir dir("explain");
  std::ostringstream out, err;
  FarmExplainQuery q;
  q.logs_dir = dir / "none";
  EXPECT_THROW(run_farm_explain(q, out, err), ConfigError);
  q.logs_dir = dir.path().string();  // a directory, but no farm's
  EXPECT_THROW(run_farm_explain(q, out, err), ConfigError);
}

}  // namespace
}  // namespace fanout
