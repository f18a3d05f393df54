// `fanout farm TASKS [options]`: `run` with workload = shell, TASKS as shell.tasks, the [shell]
// keys also without their prefix, and --model processes+async --schedule dynamic unless given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "run/run_options.hpp"

namespace fanout {

/// Parses the arguments after `farm`; nullopt and `help` set for --help. Throws ConfigError.
std::optional<RunCommand> parse_farm_command(const std::vector<std::string>& args,
                                             std::string& help);

/// 0 when every task succeeded, 1 when any failed, 128 + N when signal N stopped it, 2 for a
/// user error.
int farm_command_main(const CommandArgs& args);

}  // namespace fanout
