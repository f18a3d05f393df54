// `fanout farm-explain LOGS [--task N] [--state S] [--json]`: why each task of a running or
// finished farm is where it is (HyperQueue's `hq task explain`).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "effects/farm_explain.hpp"

namespace fanout {

struct FarmExplainQuery {
  std::string logs_dir;
  std::optional<std::uint64_t> task;  ///< none: every task
  std::optional<TaskState> state;     ///< only tasks in this state (finished includes failed)
  bool json = false;
};

/// Parses the arguments after `farm-explain`; nullopt and `help` set for --help. Throws
/// ConfigError.
std::optional<FarmExplainQuery> parse_farm_explain(const std::vector<std::string>& args,
                                                   std::string& help);

/// Prints the table (or one task, or JSON) to `out`, notes on what could not be read to `err`.
/// Returns 0. Throws ConfigError for LOGS that are not a farm's, or a task not in its list.
int run_farm_explain(const FarmExplainQuery& q, std::ostream& out, std::ostream& err);

int farm_explain_command_main(const CommandArgs& args);

}  // namespace fanout
