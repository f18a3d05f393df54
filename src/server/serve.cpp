// `fanout serve`: run the embedded server in the foreground until SIGINT or SIGTERM.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "server/counters.hpp"
#include "server/server.hpp"

namespace fanout {
namespace net = boost::asio;

int serve_forever(const ServeOptions& options, std::ostream& out) {
  // Catch the signals before announcing the URL, so a client that stops us right away is handled.
  net::io_context signal_context(1);
  net::signal_set signals(signal_context, SIGINT, SIGTERM);
  EmbeddedServer server(options);
  int caught = 0;
  signals.async_wait([&caught](const boost::system::error_code& ec, int signal_number) {
    if (!ec) caught = signal_number;
  });
  out << "listening on " << server.base_url() << std::endl;
  signal_context.run();
  server.stop();
  out << (caught == SIGINT ? "SIGINT: " : "SIGTERM: ") << counters_summary(server.counters()) << std::endl;
  return 0;
}

}  // namespace fanout
