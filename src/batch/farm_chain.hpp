// DIR/farm.json: a farm submitted as a chain of jobs — how every job is launched, and each job of
// the chain so far with the tasks left when it ended — so that `fanout continue-farm`, run
// by each job as it ends, and `fanout status` know the chain.
//
//   kind "farm", fanout_version, submitted_at, command_line, workdir, fanout
//   scheduler, launcher, nodes, ranks_per_node, threads, model, time_limit_s, warn_before_s,
//   max_jobs, partition, account, exclusive, modules[], setup[], template_dir
//   run_args[]        the job's own arguments, as `fanout run` takes them (no resume flag)
//   first_resume      "" | "--shell.resume" | "--shell.resume-failed": what the first job adds
//   tasks_total       the tasks of the farm's list (shell.count applied)
//   jobs[]            {index, job_id, script, log, run_json, tasks_left_before,
//                      exit (int|null), tasks_left_after (int|null)}
//   state             "running" | "done" | "stopped";  reason  string
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "batch/batch_spec.hpp"
#include "exec/model.hpp"

namespace fanout {

struct FarmJob {
  int index = 1;  ///< 1-based position in the chain
  std::string job_id;
  std::string script;    ///< relative to the farm directory: "jobs/farm-1.sbatch"
  std::string log;       ///< "jobs/farm-1.log"
  std::string run_json;  ///< "runs/farm-1.json"
  std::uint64_t tasks_left_before = 0;
  std::optional<int> exit;  ///< the farm's exit status, once it ended
  std::optional<std::uint64_t> tasks_left_after;
};

struct FarmChain {
  std::string fanout_version;
  std::string submitted_at;
  std::string command_line;
  std::string workdir;
  std::string fanout_exe;
  BatchSpec
      spec;  ///< scheduler, launcher, nodes[0] x ranks_per_node[0] x study.threads[0], time, ...
  Model model = Model::processes_async;
  std::vector<std::string> run_args;
  std::string first_resume;
  std::uint64_t tasks_total = 0;
  std::vector<FarmJob> jobs;
  std::string state = "running";
  std::string reason;
};

inline constexpr const char* kFarmChainFile = "farm.json";

std::string render_farm_chain(const FarmChain& chain);

/// Reads DIR/farm.json. Throws ConfigError naming the file when it is missing or malformed.
FarmChain read_farm_chain(const std::string& dir);

/// True when DIR holds a farm's chain rather than a study.
bool is_farm_dir(const std::string& dir);

}  // namespace fanout
