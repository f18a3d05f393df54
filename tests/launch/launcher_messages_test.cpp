// mpirun's messages on a fault, as Open MPI 4.1 printed them on the namespace test cluster,
// turned into one line that names what was lost.
#include "launch/launcher_messages.hpp"

#include <gtest/gtest.h>

namespace fanout {
namespace {

constexpr const char* kBanner =
    "--------------------------------------------------------------------------\n";

TEST(LauncherMessages, ARankKilledOnAnotherNode) {
  const std::string log =
      std::string(kBanner) +
      "An MPI communication peer process has unexpectedly disconnected.  This\n"
      "  Local host: fnd-n2\n  Peer host:  fnd-n1\n" +
      kBanner + kBanner +
      "mpirun noticed that process rank 4 with PID 16844 on node fnd-n3 exited "
      "on signal 9 (Killed).\n" +
      kBanner +
      "[fnd-n1:16824] 2 more processes have sent help message help-mpi-btl-tcp.txt / "
      "client connect fail\n";
  EXPECT_EQ(launcher_fault(log), "rank 4 on fnd-n3 was killed by signal 9 (Killed)");
}

TEST(LauncherMessages, ANodeWhoseDaemonDiedOrWhoseLinkWasCut) {
  const std::string log = std::string("Killed\n") + kBanner +
                          "ORTE has lost communication with a remote daemon.\n\n"
                          "  HNP daemon   : [[63670,0],0] on node fnd-n1\n"
                          "  Remote daemon: [[63670,0],1] on node fnd-n2\n\n"
                          "This is usually due to either a failure of the TCP network\n" +
                          kBanner;
  EXPECT_EQ(launcher_fault(log),
            "lost node fnd-n2: mpirun lost contact with its daemon (the node, its network link or "
            "the daemon failed) and ended the job");
}

TEST(LauncherMessages, TheFirstRankToExitNonzero) {
  const std::string log =
      std::string(kBanner) +
      "mpirun detected that one or more processes exited with non-zero status, "
      "thus causing\nthe job to be terminated. The first process to do so was:\n\n"
      "  Process name: [[63977,1],2]\n  Exit code:    2\n" +
      kBanner;
  EXPECT_EQ(launcher_fault(log), "rank 2 exited with status 2");
}

TEST(LauncherMessages, NothingToSayWithoutThem) {
  EXPECT_EQ(launcher_fault(""), "");
  EXPECT_EQ(launcher_fault("fanout: error: --json x: directory 'y' does not exist\n"), "");
}

}  // namespace
}  // namespace fanout
