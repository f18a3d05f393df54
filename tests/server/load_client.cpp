// A one-thread Asio client that holds thousands of connections at once, for the server's
// concurrency test.
#include "load_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <sstream>
#include <vector>

namespace fanout::test {
namespace {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Connects in flight at once; far below the listen backlog, so no SYN is dropped and retried a
// second later.
constexpr std::size_t kConnectWindow = 256;

struct Connection {
  explicit Connection(net::io_context& ioc) : socket(ioc) {}
  tcp::socket socket;
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  bool connected = false;
};

class LoadRun {
 public:
  LoadRun(std::uint16_t port, std::size_t connections, const std::string& target,
          const std::function<void()>& between_phases)
      : endpoint_(net::ip::address_v4::loopback(), port),
        request_("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        between_phases_(between_phases) {
    for (std::size_t i = 0; i < connections; ++i)
      connections_.push_back(std::make_unique<Connection>(ioc_));
  }

  LoadResult run(double deadline_s) {
    start_ = Clock::now();
    for (std::size_t i = 0; i < kConnectWindow && next_connect_ < connections_.size(); ++i)
      connect_next();
    if (connections_.empty()) send_all();
    ioc_.run_for(
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(deadline_s)));
    if (result_.completed + result_.failed < connections_.size() && result_.first_error.empty()) {
      result_.first_error = "deadline passed";
    }
    return result_;
  }

 private:
  void fail(const std::string& what, const beast::error_code& ec) {
    ++result_.failed;
    if (result_.first_error.empty()) result_.first_error = what + ": " + ec.message();
  }

  void connect_next() {
    Connection& connection = *connections_[next_connect_++];
    connection.socket.async_connect(endpoint_, [this, &connection](beast::error_code ec) {
      ++connects_done_;
      if (ec) {
        fail("connect", ec);
      } else {
        connection.connected = true;
        ++result_.connected;
      }
      if (next_connect_ < connections_.size()) connect_next();
      if (connects_done_ == connections_.size()) send_all();
    });
  }

  void send_all() {
    result_.connect_s = std::chrono::duration<double>(Clock::now() - start_).count();
    between_phases_();
    requests_start_ = Clock::now();
    for (auto& connection : connections_) {
      if (!connection->connected) continue;
      net::async_write(connection->socket, net::buffer(request_),
                       [this, c = connection.get()](beast::error_code ec, std::size_t) {
                         if (ec) return fail("write", ec);
                         http::async_read(c->socket, c->buffer, c->response,
                                          [this, c](beast::error_code read_ec, std::size_t) {
                                            on_response(*c, read_ec);
                                          });
                       });
    }
    if (result_.completed + result_.failed == connections_.size()) ioc_.stop();
  }

  void on_response(Connection& connection, const beast::error_code& ec) {
    if (ec) {
      fail("read", ec);
    } else if (connection.response.result_int() != 200) {
      fail("status", beast::error_code{});
    } else {
      ++result_.completed;
    }
    beast::error_code ignored;
    connection.socket.close(ignored);
    if (result_.completed + result_.failed == connections_.size()) {
      result_.requests_s = std::chrono::duration<double>(Clock::now() - requests_start_).count();
      ioc_.stop();
    }
  }

  net::io_context ioc_{1};
  tcp::endpoint endpoint_;
  std::string request_;
  const std::function<void()>& between_phases_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::size_t next_connect_ = 0;
  std::size_t connects_done_ = 0;
  Clock::time_point start_;
  Clock::time_point requests_start_;
  LoadResult result_;
};

}  // namespace

LoadResult run_load(std::uint16_t port, std::size_t connections, const std::string& target,
                    double deadline_s, const std::function<void()>& between_phases) {
  return LoadRun(port, connections, target, between_phases).run(deadline_s);
}

std::string describe(const LoadResult& result) {
  std::ostringstream text;
  text << "connected=" << result.connected << " completed=" << result.completed
       << " failed=" << result.failed << " connect_s=" << result.connect_s
       << " requests_s=" << result.requests_s
       << " first_error=" << (result.first_error.empty() ? "none" : result.first_error);
  return text.str();
}

}  // namespace fanout::test
