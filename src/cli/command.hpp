// CommandArgs: what main hands every command (its arguments, and whether this process speaks).
#pragma once

#include <iostream>
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

/// A command's main over its parser and its body: `parse(args, help)` returns the parsed command
/// or nullopt with the help text (printed here, exit 0); otherwise `body(parsed)` runs and its
/// exit status is returned.
template <class Parse, class Body>
int parse_then_run(const CommandArgs& args, Parse&& parse, Body&& body) {
  std::string help;
  auto parsed = parse(args.args, help);
  if (!parsed) {
    if (args.speaks) std::cout << help;
    return 0;
  }
  return body(*parsed);
}

}  // namespace fanout
