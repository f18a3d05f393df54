// posix_spawn into a process group, a pidfd for the wait, wait4 for the rusage.
#include "workload/shell/child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace fanout {
namespace {

/// Variables set per task, never inherited from fanout's own environment.
bool set_per_task(const char* entry, bool gpus) {
  for (const char* name : {"FANOUT_TASK_ID=", "FANOUT_RANK=", "FANOUT_SLOT=", "FANOUT_NODE=",
                           "FANOUT_CORES=", "OMP_NUM_THREADS="}) {
    if (std::strncmp(entry, name, std::strlen(name)) == 0) return true;
  }
  for (const char* name : {"CUDA_VISIBLE_DEVICES=", "ROCR_VISIBLE_DEVICES="}) {
    if (gpus && std::strncmp(entry, name, std::strlen(name)) == 0) return true;
  }
  return false;
}

/// posix_spawn's attribute and file-action objects with their destroys.
struct SpawnObjects {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnObjects() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnObjects() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

ChildSetup ChildSetup::from_environment(std::string workdir, int cores, int rank, int node,
                                        bool gpus) {
  ChildSetup s;
  s.workdir = std::move(workdir);
  s.cores = cores;
  s.rank = rank;
  s.node = node;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!set_per_task(*e, gpus)) s.env.emplace_back(*e);
  }
  return s;
}

std::optional<Child> start_child(const ChildSetup& setup, const std::string& command,
                                 unsigned long long seq, int slot, const std::string& gpus,
                                 const ChildOutput& output, std::string& error) {
  SpawnObjects o;
  // Its own process group, so a timeout or a stop reaches everything the task started. Signals
  // back to their defaults and none blocked: fanout's own handlers and masks are not the task's.
  sigset_t defaults, none;
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2})
    sigaddset(&defaults, sig);
  sigemptyset(&none);
  posix_spawnattr_setpgroup(&o.attr, 0);
  posix_spawnattr_setsigdefault(&o.attr, &defaults);
  posix_spawnattr_setsigmask(&o.attr, &none);
  posix_spawnattr_setflags(&o.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  if (!setup.workdir.empty())
    posix_spawn_file_actions_addchdir_np(&o.actions, setup.workdir.c_str());
  posix_spawn_file_actions_addopen(&o.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (output.out_fd >= 0) {
    // dup2 clears close-on-exec on the copy: the child keeps exactly these two.
    posix_spawn_file_actions_adddup2(&o.actions, output.out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&o.actions, output.err_fd, STDERR_FILENO);
  } else {
    const int mode = O_WRONLY | O_CREAT | (output.append ? O_APPEND : O_TRUNC);
    posix_spawn_file_actions_addopen(&o.actions, STDOUT_FILENO, output.out_path.c_str(), mode,
                                     0644);
    posix_spawn_file_actions_addopen(&o.actions, STDERR_FILENO, output.err_path.c_str(), mode,
                                     0644);
  }

  const std::string vars[] = {"FANOUT_TASK_ID=" + std::to_string(seq),
                              "FANOUT_RANK=" + std::to_string(setup.rank),
                              "FANOUT_SLOT=" + std::to_string(slot),
                              "FANOUT_NODE=" + std::to_string(setup.node),
                              "FANOUT_CORES=" + std::to_string(setup.cores),
                              "OMP_NUM_THREADS=" + std::to_string(setup.cores)};
  const std::string gpu_vars[] = {"CUDA_VISIBLE_DEVICES=" + gpus, "ROCR_VISIBLE_DEVICES=" + gpus};
  std::vector<char*> envp;
  envp.reserve(setup.env.size() + std::size(vars) + std::size(gpu_vars) + 1);
  for (const std::string& e : setup.env) envp.push_back(const_cast<char*>(e.c_str()));
  for (const std::string& v : vars) envp.push_back(const_cast<char*>(v.c_str()));
  if (!gpus.empty()) {
    for (const std::string& v : gpu_vars) envp.push_back(const_cast<char*>(v.c_str()));
  }
  envp.push_back(nullptr);
  char* argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                  const_cast<char*>(command.c_str()), nullptr};

  Child c;
  const int rc = ::posix_spawn(&c.pid, "/bin/sh", &o.actions, &o.attr, argv, envp.data());
  if (rc != 0) {
    error = std::string("cannot start /bin/sh: ") + std::strerror(rc) + " (working directory " +
            (setup.workdir.empty() ? "." : setup.workdir) + ", " + output.where() + ")";
    return std::nullopt;
  }
  c.pidfd = static_cast<int>(::syscall(SYS_pidfd_open, c.pid, 0));
  if (c.pidfd < 0) {
    // No pidfd (a kernel before 5.3): nothing can watch this child; end it rather than lose it.
    error = std::string("pidfd_open: ") + std::strerror(errno);
    ::kill(-c.pid, SIGKILL);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    return std::nullopt;
  }
  return c;
}

void signal_group(const Child& child, int sig) {
  if (child.pid > 0) ::kill(-child.pid, sig);
}

bool wait_exit(const Child& child, int timeout_ms) {
  pollfd p{child.pidfd, POLLIN, 0};
  for (;;) {
    const int n = ::poll(&p, 1, timeout_ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // a broken pidfd: let the reap tell
  }
}

ChildEnd reap_child(Child& child) {
  ChildEnd end;
  // The group leader is a zombie until reaped, which keeps its group id from being reused: kill
  // what is left in the group first, then reap.
  ::kill(-child.pid, SIGKILL);
  int status = 0;
  while (::wait4(child.pid, &status, 0, &end.usage) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
  ::close(child.pidfd);
  child.pidfd = -1;
  child.pid = -1;
  return end;
}

}  // namespace fanout
