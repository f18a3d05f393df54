// The few mpirun messages that name a lost rank or node, as Open MPI 4.1 words them.
#include "launch/launcher_messages.hpp"

#include <regex>

namespace fanout {

std::string launcher_fault(const std::string& output) {
  std::smatch m;
  // help-errmgr-base.txt "node-died" / ORTE_JOB_STATE_ABORTED_BY_SIG
  static const std::regex signalled(
      R"(mpirun noticed that process rank (\d+) with PID \d+ on node (\S+) exited on signal (\d+)(?: \(([^)\n]*)\))?)");
  if (std::regex_search(output, m, signalled)) {
    return "rank " + m.str(1) + " on " + m.str(2) + " was killed by signal " + m.str(3) +
           (m[4].matched ? " (" + m.str(4) + ")" : "");
  }
  // help-errmgr-base.txt "lost-connection": a daemon's node, link or the daemon itself.
  static const std::regex lost_daemon(R"(Remote daemon\s*:\s*\S+ on node (\S+))");
  if (output.find("ORTE has lost communication with a remote daemon") != std::string::npos &&
      std::regex_search(output, m, lost_daemon)) {
    return "lost node " + m.str(1) +
           ": mpirun lost contact with its daemon (the node, its network link or the daemon "
           "failed) and ended the job";
  }
  if (output.find("An ORTE daemon has unexpectedly failed after launch") != std::string::npos) {
    return "an Open MPI daemon failed before it reported back to mpirun (a node that cannot be "
           "reached, or Open MPI missing there)";
  }
  // help-orterun.txt "orterun:non-zero-exit": the first rank that ended with a nonzero status.
  static const std::regex nonzero(
      R"(Process name:\s*\[\[\d+,\d+\],(\d+)\]\s*\n\s*Exit code:\s*(\d+))");
  if (std::regex_search(output, m, nonzero)) {
    return "rank " + m.str(1) + " exited with status " + m.str(2);
  }
  return "";
}

}  // namespace fanout
