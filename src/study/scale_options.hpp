// `fanout scale`: its options, parsed into the sweep and the job every point runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "job/job_spec.hpp"
#include "study/study_spec.hpp"

namespace fanout {

struct ScaleCommand {
  StudySpec spec;
  JobSpec job;
};

/// Parses the arguments after `scale`; nullopt and `help` set for --help. Throws ConfigError
/// naming the flag or file:line.
std::optional<ScaleCommand> parse_scale_command(const std::vector<std::string>& args,
                                                std::string& help);

/// Outside an allocation (and without srun) every point's ranks start on this host: refuses a
/// point past 16 ranks per core (64 at least), which would start that many processes here.
void check_local_ranks(const StudySpec& spec, int cores, bool in_allocation);

}  // namespace fanout
