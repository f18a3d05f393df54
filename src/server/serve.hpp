// `fanout serve`: the embedded server in the foreground, for offline I/O jobs and tests.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "server/server.hpp"

namespace fanout {

/// Parses the arguments after `serve`; nullopt and `help` set for --help. Throws ConfigError
/// naming the flag.
std::optional<ServeOptions> parse_serve_options(const std::vector<std::string>& args,
                                                std::string& help);

/// Prints exactly one first line "listening on http://ADDR:PORT" and flushes, serves until SIGINT
/// or SIGTERM, then prints a one-line summary of the counters and returns 0. Throws ConfigError
/// like EmbeddedServer's constructor.
int serve_forever(const ServeOptions& options, std::ostream& out);

/// `fanout serve ARGS`.
int serve_command_main(const CommandArgs& args);

}  // namespace fanout
