// `fanout status DIR`: where the jobs of a submitted study are, from the scheduler and DIR.
#pragma once

#include <ostream>
#include <string>

#include "cli/command.hpp"

namespace fanout {

/// Prints one row per point and one for the collect job: job id, scheduler state, elapsed time,
/// exit code, whether its result is in DIR and why it waits or failed; then a summary line.
/// Returns 0. Throws ConfigError when DIR is not a submission.
int run_status(const std::string& dir, std::ostream& out);

/// `fanout status DIR`.
int status_command_main(const CommandArgs& args);

}  // namespace fanout
