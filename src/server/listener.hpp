// The accepting socket: binds (turning failures into ConfigError) and starts a Session per
// connection.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <cstdint>
#include <memory>

#include "server/server_state.hpp"

namespace fanout {

/// Accepts connections until the io_context stops; each gets its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  /// Opens, binds and listens on state->options.bind and .port; throws ConfigError naming --bind or
  /// --port.
  Listener(boost::asio::io_context& ioc, std::shared_ptr<ServerState> state);

  /// The bound endpoint (with the port picked by the kernel when 0 was asked for).
  boost::asio::ip::tcp::endpoint endpoint() const { return endpoint_; }

  /// Starts the accept loop.
  void start();

 private:
  void do_accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::ip::tcp::endpoint endpoint_;
  std::shared_ptr<ServerState> state_;
};

}  // namespace fanout
