// `fanout submit`, `status` and `collect`: their options, parsed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "cli/options.hpp"
#include "job/job_spec.hpp"

namespace fanout {

struct SubmitCommand {
  BatchSpec spec;
  JobSpec job;
};

/// Parses the arguments after `submit`; nullopt and `help` set for --help. Throws ConfigError.
std::optional<SubmitCommand> parse_submit_command(const std::vector<std::string>& args,
                                                  std::string& help);

/// The options every batch submission shares (scheduler, the jobs' shape and time, modules,
/// launcher, templates, --out, --dry-run), under `title`; `lists`: the shape takes lists of
/// counts (a study's points), else one count each.
OptionGroup batch_job_options(const std::string& title, bool lists);
/// Those options read and checked; `farm`: one job shape, run as a chain (the farm's own
/// --warn-before and --max-jobs read too). Throws ConfigError.
BatchSpec read_batch_spec(const OptionReader& r, bool farm);

/// `status DIR` / `collect DIR [--quiet]`.
struct DirCommand {
  std::string dir;  ///< the --out directory of `fanout submit`
  bool quiet = false;
};
/// Parses the arguments after `status` or `collect` (`command`); nullopt and `help` for --help.
std::optional<DirCommand> parse_dir_command(const std::string& command,
                                            const std::vector<std::string>& args,
                                            std::string& help);

/// The study points' rank counts: every distinct nodes x ranks-per-node product, ascending.
std::vector<int> batch_rank_counts(const BatchSpec& spec);

}  // namespace fanout
