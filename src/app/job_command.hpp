// `fanout run` and `fanout compare`: MPI up, workload built, session run, report out.
#pragma once

#include "cli/command_line.hpp"

namespace fanout {

/// Returns the process exit code: 0 when the run completed (failed tasks are data, counted in the
/// report), 128 + N when signal N (SIGTERM 143, SIGINT 130) stopped it early after writing what
/// it had measured, 2 for a user error found after MPI started (printed once, by rank 0), 1
/// otherwise.
int run_job_command(int argc, char** argv, const Invocation& inv);

}  // namespace fanout
