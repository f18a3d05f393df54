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
  const RunCommand cmd = command({"--cpu.count", "1000000000", "--base", "none"});
  const std::string msg = budget_error(cmd, 1'000'000'000, 24 * kGiB);
  EXPECT_EQ(msg.rfind("--cpu.count '1000000000': 1000000000 tasks x 1 repetitions x 1 models", 0), 0u)
      << msg;
  EXPECT_NE(msg.find("80 % of this node's 24 GiB"), std::string::npos) << msg;
  EXPECT_EQ(budget_error(cmd, 1000, 24 * kGiB), "");
  // Repetitions and models multiply; a CSV adds its text.
  const RunCommand many = command({"--cpu.count", "1000000", "--repeat", "100", "--csv", "x.csv"}, true);
  const std::uint64_t need = 1'000'000ull * 100 * 5 * bytes_per_task_run(many.job.run);
  EXPECT_NE(budget_error(many, 1'000'000, need), "");
  EXPECT_EQ(budget_error(many, 1'000'000, need * 2), "");
  EXPECT_GT(bytes_per_task_run(many.job.run), bytes_per_task_run(cmd.job.run));
}

TEST(TaskBudget, ThisMachineHasSomeMemory) { EXPECT_GT(usable_memory_bytes(), 1ull << 20); }

}  // namespace
}  // namespace fanout
