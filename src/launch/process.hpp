// Child processes without a shell: start an argv, wait for it, keep its output.
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
  bool timed_out = false;  ///< killed (SIGKILL) at its timeout
};

/// The last line of text that is not blank, "" if there is none.
std::string last_nonblank_line(const std::string& text);

/// The full path of an executable found on PATH, or "" if there is none.
std::string find_on_path(const std::string& name);

/// The absolute path of this program (/proc/self/exe), so every launch runs the same fanout.
/// Throws std::runtime_error when it cannot be read.
std::string this_executable();

/// Runs argv (argv[0] looked up on PATH) with stdin from /dev/null and stdout and stderr both
/// into `output_path` (created or truncated), or captured into ProcessResult::output when
/// `output_path` is empty. `cwd` empty: this process's working directory. Waits for the child,
/// with output captured at most `timeout_s` seconds (0: no limit; then it is killed, and
/// timed_out set); stop signals meanwhile are passed on to it (StopRequest::forward_to).
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& output_path,
                          const std::string& cwd = "", double timeout_s = 0);

}  // namespace fanout
