// The commands of a farm run as a chain of batch jobs: `submit-farm` starts it, `continue-farm`
// (what each job runs as it ends) submits the next, and `status` shows a chain or a study.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "effects/farm_submit.hpp"

namespace fanout {

/// Parses the arguments after `submit-farm`; nullopt and `help` set for --help. Throws
/// ConfigError.
std::optional<FarmSubmit> parse_farm_submit(const std::vector<std::string>& args,
                                            std::string& help);
/// Parses the arguments after `continue-farm`; nullopt and `help` set for --help.
std::optional<FarmContinue> parse_farm_continue(const std::vector<std::string>& args,
                                                std::string& help);

/// `fanout submit-farm [JOB.ini] --time T --out DIR [options]`.
int submit_farm_command_main(const CommandArgs& args);
/// `fanout continue-farm DIR [--after JOB] [--exit STATUS]`.
int continue_farm_command_main(const CommandArgs& args);
/// `fanout status DIR`: a farm's chain, or a study's points.
int status_command_main(const CommandArgs& args);

}  // namespace fanout
