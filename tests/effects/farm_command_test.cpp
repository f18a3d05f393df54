// Tests of src/effects/farm_command: `fanout farm TASKS`, run with the farm's defaults and its
// [shell] keys without their prefix.
#include "effects/farm_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../temp_dir.hpp"

namespace fanout {
namespace {

nlohmann::json section(const RunCommand& cmd) { return cmd.job.workload->to_json(); }

std::optional<RunCommand> farm_of(std::vector<std::string> args) {
  std::string help;
  return parse_farm_command(args, help);
}

TEST(FarmOptions, TheTaskFileAndUnprefixedShellKeysWithTheFarmsDefaults) {
  test::ScratchDir dir("farm-command");
  const std::string list = dir / "tasks.txt";
  std::ofstream(list) << "echo a\necho b\n";
  const auto cmd = farm_of(
      {list, "--slots", "3", "--timeout", "10s", "--resume", "--logs", "/tmp/fanout-farm-logs"});
  ASSERT_TRUE(cmd);
  EXPECT_EQ(cmd->job.workload->kind(), "shell");
  EXPECT_EQ(cmd->job.run.model, Model::processes_async);
  EXPECT_EQ(cmd->job.run.schedule, Schedule::dynamic);
  EXPECT_EQ(cmd->job.name, std::filesystem::path(list).stem().string());
  EXPECT_EQ(cmd->base.mode, BaseOption::Mode::none) << "a farm's commands run once: no serial base";
  const nlohmann::json shell = section(*cmd);
  EXPECT_EQ(shell["slots"], 3);
  EXPECT_EQ(shell["timeout_s"], 10.0);
  EXPECT_EQ(shell["resume"], true);
  EXPECT_EQ(shell["joblog"], "/tmp/fanout-farm-logs/joblog");
  EXPECT_EQ(shell["list_size"], 2);
  const auto model = farm_of({list, "--model", "threads", "--schedule", "static"});
  EXPECT_EQ(model->job.run.model, Model::threads);
  EXPECT_EQ(model->job.run.schedule, Schedule::static_block);
}

}  // namespace
}  // namespace fanout
