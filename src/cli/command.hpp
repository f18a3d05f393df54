// CommandArgs: what main hands every command (its arguments, and whether this process speaks).
#pragma once

#include <string>
#include <vector>

namespace fanout {

struct CommandArgs {
  std::string name;               ///< the command as typed: "run", "scale", ...
  std::vector<std::string> args;  ///< the arguments after it
  std::string command_line;       ///< the whole argv joined, for reports
  int* argc = nullptr;            ///< main's, for MPI_Init
  char*** argv = nullptr;
  /// Every rank parses the same input and fails alike; only this process (the launcher's rank 0,
  /// or a process started by hand) prints help and errors.
  bool speaks = true;
};

}  // namespace fanout
