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
  bool bind_none = false;                ///< mpirun --bind-to none: a rank's threads use every core
  bool quiet = false;                    ///< mpirun -q
  bool oversubscribe = false;            ///< mpirun --oversubscribe
  bool as_root = false;                  ///< mpirun --allow-run-as-root
  /// mpirun: seconds its ranks get between SIGTERM and SIGKILL (odls_base_sigkill_timeout); 0
  /// leaves Open MPI's default.
  int sigkill_grace_s = 0;
};

/// srun --mpi=pmix [--nodes=N] --ntasks=R [--cpus-per-task=T], or mpirun [--mca
/// odls_base_sigkill_timeout G] -np R [--hostfile H] [--map-by ppr:P:node:PE=T] [--bind-to none]
/// [-q] [--oversubscribe] [--allow-run-as-root]. Open MPI as Debian builds it speaks PMIx only.
Words launcher_words(const LaunchLine& line);

/// The words as argv: expansions stay as written.
std::vector<std::string> plain(const Words& words);
/// The words as a shell line: literals quoted where needed, expansions in double quotes.
std::string shell_line(const Words& words);
/// argv as a shell would need it typed: words with special characters in single quotes.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace fanout
