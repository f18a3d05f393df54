// One accepted connection: the keep-alive loop reading requests, waiting out delays on timers,
// writing replies.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>

#include "server/response_body.hpp"
#include "server/routes.hpp"
#include "server/server_state.hpp"

namespace fanout {

/// Lives as long as some asynchronous operation holds it (enable_shared_from_this); counted open
/// meanwhile.
class Session : public std::enable_shared_from_this<Session> {
 public:
  /// socket must use a strand executor when the server runs on more than one thread.
  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<ServerState> state);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Starts reading the first request.
  void start();

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void answer(Reply reply);
  void on_delay(boost::beast::error_code ec);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void do_stall();
  void on_stall_read(boost::beast::error_code ec, std::size_t bytes);
  void close();
  void linger_close();
  void on_linger_read(boost::beast::error_code ec, std::size_t bytes);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::asio::steady_timer timer_;
  boost::beast::http::response<ResponseBody> response_;
  std::shared_ptr<ServerState> state_;
  unsigned request_version_ = 11;
  bool keep_alive_ = true;
  bool head_ = false;
  bool delaying_ = false;
  bool stalling_ = false;
  std::array<char, 1024> discard_{};
};

}  // namespace fanout
