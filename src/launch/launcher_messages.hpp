// What mpirun's own messages say was lost when a job ended on a fault, in one line.
#pragma once

#include <string>

namespace fanout {

/// Reads Open MPI 4.x's messages in a launch's output and says in one line what was lost: "rank 4
/// on node03 was killed by signal 9 (Killed)", "lost node node03: mpirun lost contact with its
/// daemon (the node, its link or the daemon failed)", "rank 2 exited with status 1". "" when the
/// output holds none of them (mpirun -q prints none).
std::string launcher_fault(const std::string& output);

}  // namespace fanout
