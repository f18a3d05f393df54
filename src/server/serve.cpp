// `fanout serve`: its options, and the embedded server in the foreground until SIGINT or SIGTERM.
#include "server/serve.hpp"

#include <iostream>

#include "cli/config_error.hpp"
#include "cli/options.hpp"
#include "launch/stop_request.hpp"
#include "server/counters.hpp"

namespace fanout {
namespace {

CommandSchema serve_schema() {
  CommandSchema s;
  s.command = "serve";
  s.usage =
      "usage: fanout serve [options]\n\n"
      "An HTTP/1.1 server for offline I/O jobs. Routes: / (--delay, --size), /delay/MS,\n"
      "/bytes/N, /status/CODE, /flaky/N/KEY (first N requests per KEY answer 503),\n"
      "/stall (never answers), /stall?every=MS&hold=MS (holds every request arriving in\n"
      "[k*every, k*every+hold) from the server's start until the window ends),\n"
      "/stats (JSON counters). Stops on SIGINT or SIGTERM.\n";
  s.groups.push_back(
      {"serve options",
       {{"port", "TCP port; 0 picks a free one (default 0); the first line gives the URL"},
        {"bind", "address to listen on (default 127.0.0.1)"},
        {"delay", "delay of the default route /, e.g. 100ms (default 0)"},
        {"size", "body size of the default route /, e.g. 1KiB (default 1KiB)"},
        {"threads", "server threads (default 1; one thread holds >10,000 connections)"}}});
  return s;
}

}  // namespace

std::optional<ServeOptions> parse_serve_options(const std::vector<std::string>& args,
                                                std::string& help) {
  static const CommandSchema schema = serve_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  const OptionReader r = options->reader();
  ServeOptions o;
  r.text("bind", o.bind);
  r.integer("port", o.port, 0, 65535);
  r.duration("delay", o.delay_s, true, 30 * 86400.0);
  r.bytes("size", o.size, 0, 1ull << 40);
  r.integer("threads", o.threads, 1, 1024);
  return o;
}

int serve_forever(const ServeOptions& options, std::ostream& out) {
  // Catch the signals before announcing the URL, so a client that stops us right away is handled.
  const StopRequest stop;
  EmbeddedServer server(options);
  out << "listening on " << server.base_url() << std::endl;
  stop.wait();
  server.stop();
  out << signal_name(stop.signal()) << ": " << counters_summary(server.counters()) << std::endl;
  return 0;
}

int serve_command_main(const CommandArgs& args) {
  return parse_then_run(args, parse_serve_options,
                        [](const ServeOptions& o) { return serve_forever(o, std::cout); });
}

}  // namespace fanout
