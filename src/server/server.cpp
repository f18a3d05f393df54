// EmbeddedServer: owns the io_context, the listener and the threads running them.
#include "server/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cmath>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "cli/config_error.hpp"
#include "server/listener.hpp"
#include "server/server_state.hpp"

namespace fanout {
namespace net = boost::asio;

namespace {

void validate(const ServeOptions& options) {
  if (!std::isfinite(options.delay_s) || options.delay_s < 0) {
    throw ConfigError("--delay: must be a duration of 0 or more, e.g. 100ms");
  }
  if (options.threads < 1) {
    throw ConfigError("--threads " + std::to_string(options.threads) + ": must be at least 1");
  }
  if (!std::isfinite(options.idle_timeout_s) || options.idle_timeout_s <= 0) {
    throw ConfigError("server idle timeout: must be a positive number of seconds");
  }
  if (!std::isfinite(options.stall_timeout_s) || options.stall_timeout_s <= 0) {
    throw ConfigError("server stall timeout: must be a positive number of seconds");
  }
}

std::string url_for(const net::ip::tcp::endpoint& endpoint) {
  const net::ip::address address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return "http://" + host + ":" + std::to_string(endpoint.port());
}

// A handler that throws loses only its own connection; the loop goes on serving the others.
void run_loop(net::io_context& ioc) {
  for (;;) {
    try {
      ioc.run();
      return;
    } catch (const std::exception&) {
    }
  }
}

}  // namespace

struct EmbeddedServer::Impl {
  std::shared_ptr<ServerState> state;
  std::unique_ptr<net::io_context> ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  net::ip::tcp::endpoint endpoint;
  std::mutex stop_mutex;
  bool stopped = false;
};

EmbeddedServer::EmbeddedServer(ServeOptions options) : impl_(std::make_unique<Impl>()) {
  validate(options);
  impl_->state = std::make_shared<ServerState>();
  impl_->state->options = std::move(options);
  impl_->ioc = std::make_unique<net::io_context>(impl_->state->options.threads);
  impl_->work.emplace(impl_->ioc->get_executor());
  impl_->listener = std::make_shared<Listener>(*impl_->ioc, impl_->state);
  impl_->endpoint = impl_->listener->endpoint();
  impl_->listener->start();
  for (int i = 0; i < impl_->state->options.threads; ++i) {
    impl_->threads.emplace_back([ioc = impl_->ioc.get()] { run_loop(*ioc); });
  }
}

EmbeddedServer::~EmbeddedServer() { stop(); }

std::uint16_t EmbeddedServer::port() const { return impl_->endpoint.port(); }

std::string EmbeddedServer::base_url() const { return url_for(impl_->endpoint); }

ServerCounters EmbeddedServer::counters() const { return impl_->state->counters.snapshot(); }

void EmbeddedServer::stop() {
  std::lock_guard lock(impl_->stop_mutex);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->work.reset();
  impl_->ioc->stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  // Destroying the io_context destroys the handlers still pending, and with them every session and
  // the acceptor, which closes their sockets.
  impl_->listener.reset();
  impl_->ioc.reset();
}

}  // namespace fanout
