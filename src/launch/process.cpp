// posix_spawn and waitpid for the processes a study or a batch command starts.
#include "launch/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include "launch/stop_request.hpp"
#include "timing/clock.hpp"

extern char** environ;

namespace fanout {
namespace {

/// waitpid, again after EINTR; the exit status, or 128 + N for a child that signal N ended.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 127;
}

/// posix_spawn_file_actions_t with its destroy.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&fa_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa_); }
  posix_spawn_file_actions_t* get() { return &fa_; }

 private:
  posix_spawn_file_actions_t fa_;
};

}  // namespace

std::string last_nonblank_line(const std::string& text) {
  std::stringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  }
  return last;
}

std::string find_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

std::string this_executable() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find this program's path: " + ec.message());
  return self.string();
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& output_path,
                          const std::string& cwd, double timeout_s) {
  ProcessResult result;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  FileActions fa;
  int pipe_fds[2] = {-1, -1};
  posix_spawn_file_actions_addopen(fa.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (output_path.empty()) {
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      result.error = std::string("cannot create a pipe: ") + std::strerror(errno);
      return result;
    }
    posix_spawn_file_actions_adddup2(fa.get(), pipe_fds[1], STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(fa.get(), STDOUT_FILENO, output_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_adddup2(fa.get(), STDOUT_FILENO, STDERR_FILENO);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(fa.get(), cwd.c_str());

  const auto t0 = Clock::now();
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], fa.get(), nullptr, args.data(), environ);
  if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
  if (rc != 0) {
    if (pipe_fds[0] >= 0) ::close(pipe_fds[0]);
    result.error = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  result.started = true;
  StopRequest::forward_to(pid);
  if (pipe_fds[0] >= 0) {
    const auto deadline =
        t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
    char buf[4096];
    for (;;) {
      if (timeout_s > 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        pollfd p{pipe_fds[0], POLLIN, 0};
        const int ready = left > 0 ? ::poll(&p, 1, static_cast<int>(left)) : 0;
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
          // Its children may hold the pipe open: the wait below is for the child alone.
          ::kill(pid, SIGKILL);
          result.timed_out = true;
          break;
        }
      }
      const ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      result.output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
  }
  result.exit_code = wait_for(pid);
  StopRequest::forward_to(0);
  result.wall_s = seconds_between(t0, Clock::now());
  return result;
}

}  // namespace fanout
