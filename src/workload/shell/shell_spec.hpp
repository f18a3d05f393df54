// ShellSpec: the [shell] section of a job (a farm of the user's own commands), resolved.
#pragma once

#include <cstdint>
#include <string>

#include "workload/shell/halt_rule.hpp"

namespace fanout {

/// Where the tasks' stdout and stderr go (shell.output).
enum class FarmOutput {
  /// Framed records appended to one file per rank (LOGS/output/RANK.records): files per run
  /// independent of the task count; `fanout farm-output` reads them.
  records,
  /// A file each per task (LOGS/B/N.out and LOGS/B/N.err, B = N / 1000).
  files,
};

struct ShellSpec {
  std::string tasks_file;   ///< one command a line ('#' comments, blank lines skipped)
  std::string command;      ///< or a template run once per line of inputs_file
  std::string inputs_file;  ///< one argument a line, for command
  std::string workdir;      ///< where the commands run; "" the working directory
  std::uint64_t count = 0;  ///< run only the first `count` tasks of the list (0: all)
  int slots =
      0;  ///< tasks in flight per rank (threads and async models); 0: cores / cores_per_task
  int cores_per_task = 1;   ///< cores each task uses (OMP_NUM_THREADS), which reduces the slots
  int gpus_per_task = 0;    ///< GPUs each task gets (CUDA_VISIBLE_DEVICES); 0: none handed out
  double timeout_s = 0;     ///< per attempt; 0: none
  double kill_grace_s = 5;  ///< SIGTERM, then SIGKILL after this long
  /// The longest a task takes, against the allocation's end; 0: learned from finished tasks.
  double time_request_s = 0;
  int retries = 0;  ///< a failed task runs again up to this many times
  HaltRule halt;
  std::string logs_dir;  ///< the tasks' output (shell.output), the joblog by default
  FarmOutput output = FarmOutput::records;
  std::string joblog;          ///< GNU parallel --joblog format, one line per finished task
  bool resume = false;         ///< run only the tasks the joblog does not record
  bool resume_failed = false;  ///< and those it records as failed
  std::uint64_t sample = 0;    ///< run a random sample (fixed seed) of this many tasks (0: all)
  bool rerun = false;          ///< the commands may run more than once in one invocation
};

}  // namespace fanout
