// `fanout run` and `fanout compare`: their options, parsed into a RunCommand.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "job/job_spec.hpp"
#include "report/progress_line.hpp"

namespace fanout {

/// How speedup's base case is obtained (--base).
struct BaseOption {
  enum class Mode { measure, none, given } mode = Mode::measure;
  double wall_s = 0;  ///< for Mode::given
};

/// A run or compare as the command line and job file ask for it.
struct RunCommand {
  bool compare = false;  ///< `compare` (every model) rather than `run` (one model)
  JobSpec job;
  BaseOption base;
  /// Inside a batch allocation, started by hand: start again over its tasks.
  bool use_allocation = true;
  ProgressMode progress = ProgressMode::automatic;
  std::string command_line;  ///< argv joined, for the report
};

/// Parses the arguments after `run` or `compare` (`base_dir`: where relative paths on the command
/// line start; "" the working directory). Returns nullopt and sets `help` for --help. Throws
/// ConfigError naming the flag or file:line.
std::optional<RunCommand> parse_run_command(bool compare, const std::vector<std::string>& args,
                                            std::string& help, const std::string& base_dir = "");

/// The options of `run` (or `compare`): the job's keys and the invocation's; a command that is
/// `run` in another form (`farm`) starts from it.
CommandSchema run_schema(bool compare);
/// The parsed options of `run` or `compare` read and checked into a command. Throws ConfigError.
RunCommand read_run_command(bool compare, const Options& options);

/// The job a list of `fanout run` arguments resolves to, as `run` would check it: how a study
/// knows the job its points run. `inspect`, if given, sees the parsed options (which keys are set).
/// Throws ConfigError like parse_run_command.
JobSpec resolve_run_job(const std::vector<std::string>& args, const std::string& base_dir = "",
                        const std::function<void(const OptionReader&)>& inspect = {});

}  // namespace fanout
