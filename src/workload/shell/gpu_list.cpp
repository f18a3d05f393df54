// GPU lists from the environment and nvidia-smi, and their split over ranks and slots.
#include "workload/shell/gpu_list.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <sstream>

#include "cli/text.hpp"
#include "launch/process.hpp"

extern char** environ;

namespace fanout {

std::vector<std::string> parse_gpu_list(std::string_view text) {
  std::vector<std::string> out;
  if (trim(text) == "NoDevFiles") return out;
  for (const std::string& piece : split(text, ',')) {
    if (const std::string_view id = trim(piece); !id.empty()) out.emplace_back(id);
  }
  return out;
}

std::vector<std::string> parse_nvidia_smi_list(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("GPU ", 0) != 0) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 4) continue;
    const std::string index = line.substr(4, colon - 4);
    if (index.find_first_not_of("0123456789") == std::string::npos) out.push_back(index);
  }
  return out;
}

NodeGpus detect_gpus(const std::function<const char*(const char*)>& get,
                     const std::function<std::string()>& nvidia_smi) {
  for (const char* name : {"CUDA_VISIBLE_DEVICES", "SLURM_STEP_GPUS", "SLURM_JOB_GPUS"}) {
    const char* value = get(name);
    if (value == nullptr) continue;
    // Set, even empty: that is what this process may use (an empty CUDA_VISIBLE_DEVICES: none).
    return {parse_gpu_list(value), std::string(name) + "=" + value};
  }
  NodeGpus g;
  g.ids = parse_nvidia_smi_list(nvidia_smi());
  if (!g.ids.empty()) g.source = "nvidia-smi -L";
  return g;
}

std::string run_nvidia_smi(int timeout_ms) {
  const std::string exe = find_on_path("nvidia-smi");
  if (exe.empty()) return "";
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  char* argv[] = {const_cast<char*>(exe.c_str()), const_cast<char*>("-L"), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string out;
  if (rc == 0) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    bool finished = false;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) break;
      pollfd p{pipe_fds[0], POLLIN, 0};
      const int n = ::poll(&p, 1, static_cast<int>(left));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      char block[4096];
      const ssize_t got = ::read(pipe_fds[0], block, sizeof block);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        finished = true;
        break;
      }
      out.append(block, static_cast<std::size_t>(got));
    }
    if (!finished) {
      ::kill(pid, SIGKILL);
      out.clear();
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out.clear();
  }
  ::close(pipe_fds[0]);
  return out;
}

std::vector<std::string> rank_share(const std::vector<std::string>& node_gpus, int node_rank,
                                    int node_size) {
  std::vector<std::string> out;
  const std::size_t step = static_cast<std::size_t>(node_size < 1 ? 1 : node_size);
  for (std::size_t i = static_cast<std::size_t>(node_rank < 0 ? 0 : node_rank);
       i < node_gpus.size(); i += step) {
    out.push_back(node_gpus[i]);
  }
  return out;
}

std::string slot_gpus(const std::vector<std::string>& rank_gpus, int per_task, int worker) {
  if (per_task < 1 || worker < 0) return "";
  const std::size_t first = static_cast<std::size_t>(worker) * static_cast<std::size_t>(per_task);
  if (first + static_cast<std::size_t>(per_task) > rank_gpus.size()) return "";
  return join({rank_gpus.begin() + static_cast<std::ptrdiff_t>(first),
               rank_gpus.begin() + static_cast<std::ptrdiff_t>(first + per_task)},
              ",");
}

}  // namespace fanout
