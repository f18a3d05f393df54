// `fanout run` and `fanout compare`: MPI up, workload bound, session run, report out.
#pragma once

#include "cli/command.hpp"

namespace fanout {

/// Returns the process exit code: 0 when the run completed (failed tasks are data, counted in the
/// report), 128 + N when signal N (SIGTERM 143, SIGINT 130) stopped it early after writing what
/// it had measured, 2 for a user error (printed once, by rank 0), 1 otherwise. Typed by hand
/// inside a batch allocation of several tasks, it starts itself again over them (exec).
int run_command_main(bool compare, const CommandArgs& args);

/// `fanout farm TASKS [options]`, the short form of `run` for a farm of shell commands
/// (run_options.hpp): 0 when every task succeeded, 1 when any failed, 128 + N when signal N
/// stopped it, 2 for a user error.
int farm_command_main(const CommandArgs& args);

}  // namespace fanout
