// The task-record budget: runs whose records cannot fit in rank 0's memory are refused up front,
// naming the size key and how many task runs fit.
#include "run/task_budget.hpp"

#include <gtest/gtest.h>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

RunCommand command(const std::vector<std::string>& args, bool compare = false) {
  std::string help;
  return *parse_run_command(compare, args, help);
}

std::string budget_error(const RunCommand& cmd, std::uint64_t tasks, std::uint64_t memory) {
  try {
    check_task_budget(cmd, tasks, memory);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(TaskBudget, CountsTheModelsMeasured) {
  EXPECT_EQ(measured_models(command({"--model", "processes"})), 2u);  // and the serial base case
  EXPECT_EQ(measured_models(command({"--model", "processes", "--base", "none"})), 1u);
  EXPECT_EQ(measured_models(command({}, true)), 5u);  // cpu's five, serial among them
  EXPECT_EQ(measured_models(command({"--models", "threads,async"}, true)), 3u);
}

TEST(TaskBudget, RefusesWhatCannotFitNamingTheSizeKey) {
  constexpr std::uint64_t kGiB = 1ull << 30;
  // io keeps every request's record at rank 0 (its figures read them).
  const RunCommand cmd = command({"--workload", "io", "--io.url-file", "urls.txt", "--io.repeat",
                                  "1000000000", "--base", "none"});
  ASSERT_TRUE(keeps_task_records(cmd.job));
  const std::string msg = budget_error(cmd, 1'000'000'000, 24 * kGiB);
  EXPECT_EQ(msg.rfind("--io.repeat '1000000000': 1000000000 tasks x 1 repetitions x 1 models", 0), 0u)
      << msg;
  EXPECT_NE(msg.find("80 % of this node's 24 GiB"), std::string::npos) << msg;
  EXPECT_EQ(budget_error(cmd, 1000, 24 * kGiB), "");
  // Repetitions and models multiply.
  const RunCommand many =
      command({"--workload", "io", "--io.url-file", "urls.txt", "--repeat", "100"}, true);
  const std::uint64_t need =
      1'000'000ull * 100 * measured_models(many) * bytes_per_task_run(many.job);
  EXPECT_NE(budget_error(many, 1'000'000, need), "");
  EXPECT_EQ(budget_error(many, 1'000'000, need * 2), "");
}

TEST(TaskBudget, PassesAnyCountWhenNoRecordIsHeld) {
  constexpr std::uint64_t kGiB = 1ull << 30;
  // cpu keeps no record at rank 0, with or without per-task files: every rank folds its tasks into
  // a tally as they come and the CSV and trace rows wait on disk, so ten billion tasks hold no
  // more memory than ten.
  for (const auto& files : std::vector<std::vector<std::string>>{
           {}, {"--csv", "x.csv"}, {"--csv", "x.csv", "--trace", "x.json"}}) {
    std::vector<std::string> args{"--cpu.count", "1000000000", "--base", "none"};
    args.insert(args.end(), files.begin(), files.end());
    const RunCommand cmd = command(args);
    EXPECT_FALSE(keeps_task_records(cmd.job));
    EXPECT_EQ(bytes_per_task_run(cmd.job), 0u);
    EXPECT_EQ(budget_error(cmd, 10'000'000'000ull, 1 * kGiB), "");
  }
}

TEST(TaskBudget, ThisMachineHasSomeMemory) { EXPECT_GT(usable_memory_bytes(), 1ull << 20); }

}  // namespace
}  // namespace fanout
