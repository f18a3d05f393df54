// One accepted connection: the keep-alive loop reading requests, waiting out delays on timers,
// writing replies.
#include "server/session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <string_view>

namespace fanout {
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;
// Request bodies are read and ignored; the limit only bounds memory per connection.
constexpr std::uint64_t kBodyLimit = 1024 * 1024;
// A whole reply must be written within this; generous, since /bytes/N may be large and clients
// slow.
constexpr std::chrono::seconds kWriteTimeout{300};
// After a final reply, how long to drain what the client still sends, so that closing with unread
// bytes does not reset the connection before the client has read the reply.
constexpr std::chrono::seconds kLingerTimeout{2};

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(s));
}

// A syntax error in what the client sent, as opposed to the client going away.
bool is_malformed(const beast::error_code& ec) {
  static const auto& http_category = make_error_code(http::error::bad_target).category();
  return ec.category() == http_category && ec != http::error::end_of_stream &&
         ec != http::error::partial_message && ec != http::error::short_read;
}

}  // namespace

Session::Session(tcp::socket&& socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), timer_(stream_.get_executor()), state_(std::move(state)) {
  state_->counters.connection_opened();
}

Session::~Session() {
  if (delaying_) state_->counters.delay_finished();
  if (stalling_) state_->counters.stall_finished();
  state_->counters.connection_closed();
}

void Session::start() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&Session::do_read, shared_from_this()));
}

void Session::do_read() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(kBodyLimit);
  stream_.expires_after(seconds(state_->options.idle_timeout_s));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&Session::on_read, shared_from_this()));
}

void Session::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (!is_malformed(ec)) return close();
    state_->counters.malformed_request();
    request_version_ = 11;
    keep_alive_ = false;
    head_ = false;
    Reply reply;
    reply.status = 400;
    reply.text = "bad request: " + ec.message() + "\n";
    return answer(std::move(reply));
  }
  state_->counters.request_read();
  const auto& request = parser_->get();
  request_version_ = request.version();
  keep_alive_ = request.keep_alive();
  head_ = request.method() == http::verb::head;
  Reply reply;
  try {
    RequestHeaders headers;
    if (const auto it = request.find(http::field::range); it != request.end()) {
      headers.range = std::string_view(it->value().data(), it->value().size());
    }
    if (const auto it = request.find(http::field::if_range); it != request.end()) {
      headers.if_range = std::string_view(it->value().data(), it->value().size());
    }
    reply = route_request(std::string_view(request.target().data(), request.target().size()),
                          *state_, headers);
  } catch (const std::exception& error) {
    reply = Reply{};
    reply.status = 500;
    reply.text = std::string("internal error: ") + error.what() + "\n";
  }
  if (reply.kind == Reply::Kind::stall) return do_stall();
  answer(std::move(reply));
}

void Session::answer(Reply reply) {
  response_ = {};
  response_.version(request_version_);
  response_.result(static_cast<unsigned>(reply.status));
  response_.set(http::field::server, "fanout");
  response_.set(http::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers) response_.set(name, value);
  response_.body().text = std::move(reply.text);
  response_.body().pattern_bytes = reply.pattern_bytes;
  response_.body().pattern_offset = reply.pattern_offset;
  response_.body().cut_after = reply.cut_after;
  response_.body().head = head_;
  response_.keep_alive(keep_alive_);
  response_.prepare_payload();
  if (reply.delay <= std::chrono::steady_clock::duration::zero()) return do_write();
  delaying_ = true;
  state_->counters.delay_started();
  timer_.expires_after(reply.delay);
  timer_.async_wait(beast::bind_front_handler(&Session::on_delay, shared_from_this()));
}

void Session::on_delay(beast::error_code ec) {
  delaying_ = false;
  state_->counters.delay_finished();
  if (ec) return close();
  do_write();
}

void Session::do_write() {
  state_->counters.response_sent(static_cast<int>(response_.result_int()));
  stream_.expires_after(kWriteTimeout);
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&Session::on_write, shared_from_this()));
}

void Session::on_write(beast::error_code ec, std::size_t) {
  if (ec) return close();
  if (!keep_alive_) return linger_close();
  do_read();
}

void Session::do_stall() {
  if (!stalling_) {
    stalling_ = true;
    state_->counters.stall_started();
    stream_.expires_after(seconds(state_->options.stall_timeout_s));
  }
  // Keep reading (and dropping) whatever arrives, so a client that gives up is noticed at once.
  stream_.async_read_some(net::buffer(discard_),
                          beast::bind_front_handler(&Session::on_stall_read, shared_from_this()));
}

void Session::on_stall_read(beast::error_code ec, std::size_t) {
  if (!ec) return do_stall();
  stalling_ = false;
  state_->counters.stall_finished();
  close();
}

void Session::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void Session::linger_close() {
  close();
  stream_.expires_after(kLingerTimeout);
  stream_.async_read_some(net::buffer(discard_),
                          beast::bind_front_handler(&Session::on_linger_read, shared_from_this()));
}

void Session::on_linger_read(beast::error_code ec, std::size_t) {
  if (ec) return;
  stream_.async_read_some(net::buffer(discard_),
                          beast::bind_front_handler(&Session::on_linger_read, shared_from_this()));
}

}  // namespace fanout
