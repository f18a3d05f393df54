// The job keys (the top level of a job file and each workload kind's section) and the JobSpec
// read from them.
#pragma once

#include <string>
#include <vector>

#include "cli/options.hpp"
#include "job/job_spec.hpp"

namespace fanout {

/// Titles of the job groups: a job file may set exactly these keys.
inline constexpr const char* kJobGroupTitle = "Job (top level of a job file)";

/// The top-level job keys, then one group per workload kind.
std::vector<OptionGroup> job_option_groups();
/// The titles of job_option_groups(), for CommandSchema::file_groups.
std::vector<std::string> job_group_titles();

/// The JobSpec the options say (command line over job file). Throws ConfigError naming the flag or
/// file:line for a value out of range, an unknown name, a model the workload refuses, or keys of
/// another workload's section.
JobSpec read_job(const Options& options);

/// The JobSpec of job keys typed as flags ("--workload", KIND, "--KIND.key", VALUE, ...) with no
/// job file: how tests and tools build a job without a command. Throws ConfigError like read_job.
JobSpec job_from_flags(const std::vector<std::string>& args);

}  // namespace fanout
