// Child processes without a shell: start an argv, wait for it, keep its output; and the stop
// signals that end a study early (forwarded to the child that is running).
#pragma once

#include <string>
#include <vector>

namespace fanout {

/// How a child process ended.
struct ProcessResult {
  bool started = false;  ///< false: it could not be started (see error)
  int exit_code = 0;     ///< its exit status, or 128 + N when signal N killed it
  std::string error;     ///< why it could not be started
  std::string output;    ///< stdout and stderr, when no output file was given
  double wall_s = 0;
};

/// The last line of text that is not blank, "" if there is none.
std::string last_nonblank_line(const std::string& text);

/// The full path of an executable found on PATH, or "" if there is none.
std::string find_on_path(const std::string& name);

/// The absolute path of this program (/proc/self/exe), so every launch runs the same fanout.
/// Throws std::runtime_error when it cannot be read.
std::string this_executable();

/// This machine's host name, "unknown" if it cannot be read.
std::string host_name();

/// Online cores of this machine (at least 1).
int host_cores();

/// True under mpirun or srun (a launcher's rank variables are set): a driver must not be a rank.
bool under_mpi_launcher();

/// Runs argv (argv[0] looked up on PATH) with stdin from /dev/null and stdout and stderr both
/// into `output_path` (created or truncated), or captured into ProcessResult::output when
/// `output_path` is empty. `cwd` empty: this process's working directory. Waits for the child.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& output_path,
                          const std::string& cwd = "");

/// While alive, SIGINT and SIGTERM do not kill this process: they are passed on to the child
/// run_process is waiting for, and stop_requested() turns true, so the caller can write what it
/// has and stop. The previous handlers come back on destruction.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  /// The signal received (SIGINT or SIGTERM), or 0.
  static int received();
};

}  // namespace fanout
