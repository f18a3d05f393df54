// `fanout run` and `fanout compare`: MPI up, workload bound, session run, report out.
#pragma once

#include "cli/command.hpp"
#include "run/run_options.hpp"

namespace fanout {

/// Returns the process exit code: 0 when the run completed (failed tasks are data, counted in the
/// report), 128 + N when signal N (SIGTERM 143, SIGINT 130) stopped it early after writing what
/// it had measured, 2 for a user error (printed once, by rank 0), 1 otherwise. Typed by hand
/// inside a batch allocation of several tasks, it starts itself again over them (exec).
int run_command_main(bool compare, const CommandArgs& args);

/// A parsed run on this process: MPI up, the session, the outputs; the exit code as above.
int run_parsed(RunCommand cmd, const CommandArgs& args);

}  // namespace fanout
