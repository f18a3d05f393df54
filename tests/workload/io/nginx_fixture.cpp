// Starting and stopping a throw-away nginx: render the config, make the files, spawn, wait for the
// port.
#include "nginx_fixture.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "test_support.hpp"

extern char** environ;

namespace fanout::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

/// Known content: byte i is 'a' + i % 26, so sizes and bodies can be checked exactly.
std::string pattern(std::uint64_t bytes) {
  std::string s(bytes, 'a');
  for (std::uint64_t i = 0; i < bytes; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

int spawn_wait(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // Quiet: openssl draws progress dots that would clutter the test log.
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&quiet, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &quiet, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&quiet);
  if (rc != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool port_open(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

bool nginx_available() { return ::access(FANOUT_NGINX, X_OK) == 0; }
bool openssl_available() { return ::access(FANOUT_OPENSSL, X_OK) == 0; }

NginxServer::NginxServer(bool with_tls) : with_tls_(with_tls) {
  if (!nginx_available()) throw std::runtime_error(std::string("no nginx at ") + FANOUT_NGINX);
  std::string tmpl = (fs::temp_directory_path() / "fanout-nginx-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  prefix_ = tmpl;
  // nginx workers run as an unprivileged user when the tests run as root: let them read the files.
  fs::permissions(prefix_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
  fs::create_directories(prefix_ / "html");
  fs::create_directories(prefix_ / "tmp");
  for (const StaticFile& f : {kSmall, kOneKiB, kSixtyFourKiB}) {
    write_file(prefix_ / "html" / (f.path + 1), pattern(f.bytes));
  }
  if (with_tls_) {
    if (!openssl_available()) throw std::runtime_error("no openssl to make a test certificate");
    const int rc = spawn_wait({FANOUT_OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                               "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                               "/CN=127.0.0.1", "-keyout", (prefix_ / "key.pem").string(), "-out",
                               (prefix_ / "cert.pem").string()});
    if (rc != 0) throw std::runtime_error("openssl could not make a test certificate");
  }
  // The free port can be taken between picking and binding it; pick again a few times.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (start(free_port(), with_tls_ ? free_port() : 0)) return;
  }
  const std::string log = read_file(prefix_ / "error.log");
  std::error_code ec;
  fs::remove_all(prefix_, ec);
  throw std::runtime_error("nginx did not start: " + log);
}

NginxServer::~NginxServer() {
  stop();
  std::error_code ec;
  fs::remove_all(prefix_, ec);
}

bool NginxServer::start(std::uint16_t port, std::uint16_t tls_port) {
  port_ = port;
  tls_port_ = tls_port;
  const std::string prefix = prefix_.string();
  std::string conf = read_file(FANOUT_NGINX_CONF_IN);
  replace_all(conf, "@PREFIX@", prefix);
  replace_all(conf, "@PORT@", std::to_string(port));
  write_file(prefix_ / "nginx.conf", conf);
  std::string tls;
  if (with_tls_) {
    tls = read_file(FANOUT_NGINX_TLS_CONF_IN);
    replace_all(tls, "@PREFIX@", prefix);
    replace_all(tls, "@TLS_PORT@", std::to_string(tls_port));
  }
  write_file(prefix_ / "tls.conf", tls);

  const std::vector<std::string> args = {FANOUT_NGINX,           "-p", prefix + "/",          "-c",
                                         prefix + "/nginx.conf", "-e", prefix + "/error.log", "-g",
                                         "daemon off;"};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // nginx goes with this test process: one that crashes runs no destructor, and a server left
  // behind would outlive the run (seen after a segfault). Only async-signal-safe calls after fork.
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("cannot fork for nginx");
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    if (port_open(port_) && (tls_port_ == 0 || port_open(tls_port_))) return true;
    std::this_thread::sleep_for(20ms);
  }
  stop();
  return false;
}

void NginxServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string NginxServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string NginxServer::tls_base_url() const {
  return "https://127.0.0.1:" + std::to_string(tls_port_);
}

std::vector<std::string> NginxServer::access_log(std::size_t at_least) const {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  std::vector<std::string> lines;
  for (;;) {
    lines.clear();
    std::ifstream in(prefix_ / "access.log");
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    if (lines.size() >= at_least || std::chrono::steady_clock::now() > deadline) return lines;
    std::this_thread::sleep_for(20ms);
  }
}

std::size_t NginxServer::connections(std::size_t requests) const {
  const auto lines = access_log(requests);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < lines.size() && i < requests; ++i) {
    ids.insert(lines[i].substr(0, lines[i].find(' ')));
  }
  return ids.size();
}

}  // namespace fanout::test
