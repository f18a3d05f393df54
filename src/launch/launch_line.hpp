// The one builder of the words that start ranks (mpirun or srun), for every place fanout writes
// them: the relaunch inside an allocation, scale's points, batch scripts and submit.json.
#pragma once

#include <string>
#include <vector>

namespace fanout {

/// What starts the ranks: mpirun, srun, or whichever fits (srun inside a Slurm allocation).
enum class Launcher { automatic, mpirun, srun };
/// "auto", "mpirun", "srun".
std::string to_string(Launcher l);

/// One word of a command line: a literal, quoted as a shell needs it when the line is written
/// into a script, or a shell expansion that a script holds as is ("${ranks[i]}").
struct Word {
  std::string text;
  bool expansion = false;
  Word() = default;
  Word(std::string t) : text(std::move(t)) {}  // NOLINT: literals convert implicitly
  Word(const char* t) : text(t) {}             // NOLINT
  static Word shell(std::string t) {
    Word w(std::move(t));
    w.expansion = true;
    return w;
  }
  bool empty() const { return text.empty(); }
};
using Words = std::vector<Word>;

/// How the ranks of one launch are placed.
struct LaunchLine {
  Launcher launcher = Launcher::mpirun;  ///< resolved: mpirun or srun
  Word ranks;                            ///< total ranks
  Word nodes;                            ///< srun --nodes; empty: unsaid
  Word per_node;                         ///< ranks per node (mpirun --map-by ppr:P:node:PE=T)
  Word threads;                          ///< CPUs per rank (srun --cpus-per-task, mpirun PE=T)
  Word hostfile;                         ///< mpirun --hostfile
  Word hosts;                            ///< mpirun --host, e.g. "n1:2,n2:2" (host:slots)
  bool bind_none = false;                ///< mpirun --bind-to none: a rank's threads use every core
  bool quiet = false;                    ///< mpirun -q
  bool oversubscribe = false;            ///< mpirun --oversubscribe
  bool as_root = false;                  ///< mpirun --allow-run-as-root
};

/// Seconds mpirun leaves its ranks between the SIGTERM it passes on and its SIGKILL
/// (odls_base_sigkill_timeout; Open MPI's default, stated so that a site's larger value does not
/// apply). Open MPI 4.1 sleeps this long twice on each node in turn whenever it ends a job, also
/// one that lost a rank or a node: a fault took 4 x this + detection (80 s with 20). The ranks
/// need little: rank 0 writes what it measured the moment it learns of a stop (run/session.hpp).
inline constexpr int kMpirunSigkillGrace_s = 1;
/// TCP keepalive on the connections between Open MPI's daemons (oob_tcp_keepalive_*): a cut link
/// is noticed after 1 + 3 x 1 s of silence instead of 300 + 9 x 20 s, the defaults (the job hung
/// for about 8 minutes). Probes only go out on an idle connection and a live peer's kernel
/// answers them, so a loaded node does not pass for a lost one.
inline constexpr int kKeepaliveTime_s = 1;
inline constexpr int kKeepaliveInterval_s = 1;
inline constexpr int kKeepaliveProbes = 3;

/// srun --mpi=pmix [--nodes=N] --ntasks=R [--cpus-per-task=T], or mpirun --mca
/// odls_base_sigkill_timeout 1 --mca oob_tcp_keepalive_time 1 --mca oob_tcp_keepalive_intvl 1
/// --mca oob_tcp_keepalive_probes 3 -np R [--hostfile H] [--host LIST] [--map-by
/// ppr:P:node:PE=T] [--bind-to none] [-q] [--oversubscribe] [--allow-run-as-root]. Open MPI as
/// Debian builds it speaks PMIx only.
Words launcher_words(const LaunchLine& line);

/// The words as argv: expansions stay as written.
std::vector<std::string> plain(const Words& words);
/// The words as a shell line: literals quoted where needed, expansions in double quotes.
std::string shell_line(const Words& words);
/// argv as a shell would need it typed: words with special characters in single quotes.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace fanout
