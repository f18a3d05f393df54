// `fanout submit`, `status` and `collect`: their options, parsed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "batch/farm_submit.hpp"
#include "job/job_spec.hpp"

namespace fanout {

struct SubmitCommand {
  BatchSpec spec;
  JobSpec job;
  std::optional<FarmSubmit> farm;    ///< --farm: the farm itself as a chain of jobs
  std::optional<FarmContinue> cont;  ///< --continue DIR: the chain's next step
};

/// Parses the arguments after `submit`; nullopt and `help` set for --help. Throws ConfigError.
std::optional<SubmitCommand> parse_submit_command(const std::vector<std::string>& args,
                                                  std::string& help);

/// `status DIR` / `collect DIR [--quiet]`.
struct DirCommand {
  std::string dir;  ///< the --out directory of `fanout submit`
  bool quiet = false;
};
/// Parses the arguments after `status` or `collect` (`command`); nullopt and `help` for --help.
std::optional<DirCommand> parse_dir_command(const std::string& command,
                                            const std::vector<std::string>& args, std::string& help);

/// The study points' rank counts: every distinct nodes x ranks-per-node product, ascending.
std::vector<int> batch_rank_counts(const BatchSpec& spec);

}  // namespace fanout
