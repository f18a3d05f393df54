// The accepting socket: binds (turning failures into ConfigError) and starts a Session per
// connection.
#include "server/listener.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <string>

#include "cli/config_error.hpp"
#include "server/session.hpp"

namespace fanout {
namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Out of descriptors or memory: accepting again at once would spin, so wait a little first.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

net::ip::address parse_bind(const std::string& bind) {
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(bind, ec);
  if (ec) {
    throw ConfigError("--bind " + bind +
                      ": not a numeric IP address; use e.g. 127.0.0.1 (this host only) or " +
                      "0.0.0.0 (every interface)");
  }
  return address;
}

[[noreturn]] void throw_listen_error(const ServeOptions& options, const beast::error_code& ec) {
  if (ec == net::error::address_in_use) {
    throw ConfigError("--port " + std::to_string(options.port) + ": already in use on " +
                      options.bind + "; choose another port, or --port 0 for any free one");
  }
  if (ec == net::error::access_denied) {
    throw ConfigError(
        "--port " + std::to_string(options.port) + ": permission denied on " + options.bind +
        " (ports below 1024 need privileges); choose a port from 1024 up, or --port 0");
  }
  if (ec == boost::system::errc::address_not_available) {
    throw ConfigError("--bind " + options.bind +
                      ": not an address of this host; use 127.0.0.1 or 0.0.0.0");
  }
  throw ConfigError("--bind " + options.bind + " --port " + std::to_string(options.port) +
                    ": cannot listen: " + ec.message());
}

bool is_resource_shortage(const beast::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space ||
         ec == net::error::no_memory || ec == boost::system::errc::too_many_files_open_in_system;
}

}  // namespace

Listener::Listener(net::io_context& ioc, std::shared_ptr<ServerState> state)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()),
      state_(std::move(state)) {
  const tcp::endpoint wanted(parse_bind(state_->options.bind), state_->options.port);
  beast::error_code ec;
  acceptor_.open(wanted.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(wanted, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) endpoint_ = acceptor_.local_endpoint(ec);
  if (ec) throw_listen_error(state_->options, ec);
}

void Listener::start() { do_accept(); }

void Listener::do_accept() {
  acceptor_.async_accept(net::make_strand(ioc_),
                         beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (is_resource_shortage(ec)) {
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  if (!ec) std::make_shared<Session>(std::move(socket), state_)->start();
  do_accept();
}

}  // namespace fanout
