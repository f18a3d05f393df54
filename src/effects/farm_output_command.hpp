// `fanout farm-output LOGS [--task N] [--stream out|err] [--attempt N]`: a farm's output records
// (shell.output = records) listed task by task, or one task's stdout or stderr printed.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "workload/shell/output_record.hpp"

namespace fanout {

/// What `farm-output` was asked for.
struct FarmOutputQuery {
  std::string logs_dir;
  std::optional<std::uint64_t> task;  ///< none: list the tasks
  OutputStream stream = OutputStream::out;
  std::optional<std::uint64_t> attempt;  ///< 1-based over every run; none: the last
};

/// Parses the arguments after `farm-output`; nullopt and `help` set for --help. Throws
/// ConfigError.
std::optional<FarmOutputQuery> parse_farm_output(const std::vector<std::string>& args,
                                                 std::string& help);

/// Lists the tasks or prints one's output to `out`, notes on torn or foreign files to `err`.
/// 0, or 1 when the task's output cannot be read. Throws ConfigError for a LOGS without records
/// or an attempt the task does not have.
int run_farm_output(const FarmOutputQuery& q, std::ostream& out, std::ostream& err);

int farm_output_command_main(const CommandArgs& args);

}  // namespace fanout
