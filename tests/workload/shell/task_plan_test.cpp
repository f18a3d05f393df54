// TaskPlan: the first N tasks, resume and resume-failed from fanout's or GNU parallel's joblog,
// the refusals for a joblog of another list, and samples.
#include "workload/shell/task_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "../../temp_dir.hpp"
#include "cli/config_error.hpp"
#include "workload/shell/joblog.hpp"

namespace fanout {
namespace {

struct Farm {
  test::ScratchDir dir;
  ShellSpec spec;
  explicit Farm(const std::string& list) {
    spec.tasks_file = (dir / "tasks.txt");
    std::ofstream(spec.tasks_file) << list;
    spec.joblog = (dir / "joblog");
  }
  void log(const std::string& lines) { std::ofstream(spec.joblog, std::ios::app) << lines; }
  std::vector<TaskId> plan(ResumeState* state = nullptr) {
    const TaskList list(spec);
    ResumeState s;
    const TaskPlan p = plan_tasks(list, spec, s);
    if (state) *state = s;
    std::vector<TaskId> out;
    for (TaskId i = 0; i < p.count(); ++i) out.push_back(p.index(i));
    return out;
  }
  std::string error() {
    try {
      plan();
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
};

std::string line(int seq, int exit_code, int signal, const std::string& command) {
  return std::to_string(seq) + "\t:\t1.0\t2.0\t0\t0\t" + std::to_string(exit_code) + "\t" +
         std::to_string(signal) + "\t" + command + "\n";
}

TEST(TaskPlan, WholeListOrItsFirstCount) {
  Farm f("a\nb\nc\nd\n");
  f.spec.joblog.clear();
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{0, 1, 2, 3}));
  f.spec.count = 2;
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{0, 1}));
}

TEST(TaskPlan, ResumeRunsWhatTheJoblogLacksAndResumeFailedTheFailuresToo) {
  Farm f("a\nb\nc\nd\ne\n");
  f.log(joblog_header() + "\n" + line(1, 0, 0, "a") + line(3, 1, 0, "c") + line(4, 0, 15, "d"));
  f.spec.resume = true;
  ResumeState state;
  EXPECT_EQ(f.plan(&state), (std::vector<TaskId>{1, 4}));
  EXPECT_EQ(state.finished, 3u);
  EXPECT_EQ(state.failed, 2u);
  f.spec.resume = false;
  f.spec.resume_failed = true;
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{1, 2, 3, 4}))
      << "a signal counts as failed, as in parallel";
}

TEST(TaskPlan, OneOkLineMakesATaskDoneWhateverItsOtherLinesSay) {
  // As GNU parallel's --resume-failed: any line with Exitval 0 and Signal 0 marks the Seq done.
  Farm f("a\nb\nc\n");
  f.log(joblog_header() + "\n" + line(1, 1, 0, "a") + line(1, 0, 0, "a") + line(2, 0, 0, "b") +
        line(2, 1, 0, "b") + line(3, 1, 0, "c") + line(3, 0, 9, "c"));
  f.spec.resume_failed = true;
  ResumeState state;
  EXPECT_EQ(f.plan(&state), (std::vector<TaskId>{2}));
  EXPECT_EQ(state.finished, 3u);
  EXPECT_EQ(state.failed, 1u);
}

TEST(TaskPlan, ParallelsCommandsWithTheCarriageReturnOfACrlfFileAreTheList) {
  Farm f("echo a\r\necho b\r\necho c\r\n");
  f.spec.resume = true;
  f.log(joblog_header() + "\n" + line(1, 0, 0, "echo a\r") + line(2, 0, 0, "echo b"));
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{2}));
}

TEST(TaskPlan, ADifferenceTheEyeCannotSeeIsShown) {
  Farm f("echo a\n" + std::string(50, 'x') + " tail\n");
  f.spec.resume = true;
  f.log(joblog_header() + "\n" + line(1, 0, 0, "echo a\t") +
        line(2, 0, 0, std::string(50, 'x') + " ta1l"));
  EXPECT_EQ(f.error(),
            f.spec.joblog +
                ":2: task 1 ran 'echo a\\t', the list says 'echo a': a joblog of another "
                "task list");
  Farm g("echo a\n" + std::string(50, 'x') + " tail\n");
  g.spec.resume = true;
  g.log(joblog_header() + "\n" + line(2, 0, 0, std::string(50, 'x') + " ta1l"));
  EXPECT_EQ(g.error(), g.spec.joblog + ":2: task 2 ran '..." + std::string(17, 'x') +
                           " ta1l', the list says '..." + std::string(17, 'x') +
                           " tail' (they differ from byte 54): a joblog of another task list");
}

TEST(TaskPlan, EmptyOrMissingJoblogRunsEverything) {
  Farm f("a\nb\n");
  f.spec.resume = true;
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{0, 1}));
  f.log(joblog_header() + "\n");
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{0, 1}));
}

TEST(TaskPlan, AJoblogOfAnotherListIsRefusedWithItsLine) {
  Farm f("a\nb\n");
  f.spec.resume = true;
  f.log(joblog_header() + "\n" + line(1, 0, 0, "a") + line(2, 0, 0, "other"));
  EXPECT_EQ(
      f.error(),
      f.spec.joblog + ":3: task 2 ran 'other', the list says 'b': a joblog of another task list");
  Farm g("a\nb\n");
  g.spec.resume = true;
  g.log(joblog_header() + "\n" + line(9, 0, 0, "z"));
  EXPECT_EQ(g.error(),
            g.spec.joblog +
                ":2: task 9, but the list has no task on line 9: a joblog of another task list");
}

TEST(TaskPlan, GnuParallelsLinesForCommentsAndBlankLinesAreNoTasks) {
  // parallel runs every line of the file, comments and blank lines too, and logs them.
  Farm f("a\n# note\n\nb\nc\n");
  f.spec.resume = true;
  f.log(joblog_header() + "\n" + line(1, 0, 0, "a") + line(2, 0, 0, "# note") + line(3, 0, 0, "") +
        line(4, 0, 0, "b"));
  EXPECT_EQ(f.plan(), (std::vector<TaskId>{2}));
}

TEST(TaskPlan, SlotDependentCommandsAreNotCompared) {
  test::ScratchDir dir;
  ShellSpec spec;
  spec.command = "run {} on {%}";
  spec.inputs_file = (dir / "in.txt");
  std::ofstream(spec.inputs_file) << "x\ny\n";
  spec.joblog = (dir / "joblog");
  std::ofstream(spec.joblog) << joblog_header() << "\n" << line(1, 0, 0, "run x on 7");
  spec.resume = true;
  const TaskList list(spec);
  ResumeState s;
  const TaskPlan p = plan_tasks(list, spec, s);
  ASSERT_EQ(p.count(), 1u);
  EXPECT_EQ(p.index(0), 1u);
}

TEST(TaskPlan, SampleIsTheSameRandomSubsetEveryTimeInListOrder) {
  const TaskPlan all(1000);
  const TaskPlan s = sample_tasks(all, 50);
  ASSERT_EQ(s.count(), 50u);
  std::vector<TaskId> picked;
  for (TaskId i = 0; i < s.count(); ++i) picked.push_back(s.index(i));
  EXPECT_TRUE(std::is_sorted(picked.begin(), picked.end()));
  EXPECT_EQ(std::set<TaskId>(picked.begin(), picked.end()).size(), 50u);
  EXPECT_LT(picked.back(), 1000u);
  const TaskPlan again = sample_tasks(all, 50);
  for (TaskId i = 0; i < 50; ++i) EXPECT_EQ(again.index(i), picked[i]);
  // A list that alternates two kinds of command gets both in its sample, not every other one.
  const auto odd = std::count_if(picked.begin(), picked.end(), [](TaskId t) { return t % 2 == 1; });
  EXPECT_GT(odd, 10);
  EXPECT_LT(odd, 40);
  EXPECT_EQ(sample_tasks(all, 0).count(), 1000u);
  EXPECT_TRUE(sample_tasks(all, 1000).whole());
  const TaskPlan sub = sample_tasks(TaskPlan(std::vector<TaskId>{3, 4, 8, 9}), 2);
  ASSERT_EQ(sub.count(), 2u);
  EXPECT_TRUE(std::set<TaskId>({3, 4, 8, 9}).count(sub.index(0)) && sub.index(0) < sub.index(1));
}

}  // namespace
}  // namespace fanout

namespace fanout {
namespace {

/// The plan as list indices.
std::vector<TaskId> indices(const TaskPlan& p) {
  std::vector<TaskId> out;
  for (TaskId i = 0; i < p.count(); ++i) out.push_back(p.index(i));
  return out;
}

TEST(TaskPlan, TravelsAsABitmapWithWhatTheJoblogHeld) {
  Farm f("a\nb\nc\nd\ne\nf\ng\nh\ni\n");
  f.log(joblog_header() + "\n" + line(2, 0, 0, "b") + line(5, 1, 0, "e") + line(9, 0, 0, "i"));
  f.spec.resume = true;
  const TaskList list(f.spec);
  ResumeState state;
  const TaskPlan plan = plan_tasks(list, f.spec, state);
  const std::string bytes = plan_bytes(plan, list.size(), state);
  EXPECT_EQ(bytes.size(), 6 * 8 + 2u) << "9 tasks: two bytes of bitmap after the figures";
  ResumeState back;
  EXPECT_EQ(indices(plan_from_bytes(bytes, list.size(), back)), indices(plan));
  EXPECT_EQ(indices(plan), (std::vector<TaskId>{0, 2, 3, 5, 6, 7}));
  EXPECT_EQ(back.finished, 3u);
  EXPECT_EQ(back.failed, 1u);
  EXPECT_EQ(back.joblog_bytes, state.joblog_bytes);
  EXPECT_EQ(back.longest_s, 2.0);
  // A sample of it, and the whole list cut to a count, the same way.
  const TaskPlan sample = sample_tasks(plan, 3);
  EXPECT_EQ(indices(plan_from_bytes(plan_bytes(sample, 9, state), 9, back)), indices(sample));
  const TaskPlan first(4);
  const TaskPlan again = plan_from_bytes(plan_bytes(first, 9, {}), 9, back);
  EXPECT_TRUE(again.whole());
  EXPECT_EQ(again.count(), 4u);
  EXPECT_EQ(back.finished, 0u);
  EXPECT_THROW(plan_from_bytes(bytes, 17, back), std::runtime_error) << "another list's plan";
}

}  // namespace
}  // namespace fanout

namespace fanout {
namespace {

TEST(TaskPlan, ABitPerTaskFindsEveryIndexInOrder) {
  // Sparse and dense stretches, across words and blocks of words.
  std::vector<TaskId> chosen;
  for (TaskId i = 0; i < 5000; ++i) {
    if (i % 7 == 0 || (i > 1000 && i < 1700) || i == 4999) chosen.push_back(i);
  }
  const TaskPlan plan(chosen);
  ASSERT_EQ(plan.count(), chosen.size());
  EXPECT_FALSE(plan.whole());
  for (TaskId id = 0; id < plan.count(); ++id) ASSERT_EQ(plan.index(id), chosen[id]) << id;
  EXPECT_EQ(TaskPlan(std::vector<TaskId>{}).count(), 0u);
  EXPECT_THROW(TaskPlan(std::vector<TaskId>{3, 3}), std::invalid_argument);
  EXPECT_THROW(TaskPlan(std::vector<TaskId>{4, 2}), std::invalid_argument);
}

}  // namespace
}  // namespace fanout
