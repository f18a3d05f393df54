// The floor for `fanout farm`: every line of a task file run as `/bin/sh -c LINE`, SLOTS in flight,
// with what fanout's farm does per task that costs the kernel something
// (tests/bench/farm_throughput.sh):
//   - posix_spawn into a process group of its own, signals back to their defaults, none blocked;
//   - stdin from /dev/null, stdout and stderr to DIR/N.out and DIR/N.err (N: the line number);
//   - a pidfd per child, waited on with poll; then the group killed (what a task left behind) and
//     the child reaped with wait4 (its rusage).
// Left out, so fanout's figure against this one is what the rest costs: the per-task environment
// (fanout adds FANOUT_TASK_ID and five more to a copy of its own), the joblog line written per
// task, the Sample recorded per task, the scheduler and event loop, MPI, and the report at the end.
// Blank lines and '#' comments are not skipped: give a file of commands only.
//
// Usage: bare_spawn TASK_FILE SLOTS DIR
// Prints one line: tasks=N slots=S failed=F wall_s=W tasks_per_s=R (its own clock, from the first
// spawn to the last reap; the benchmark times the whole process from outside instead).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

extern char** environ;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void die(const char* what) {
  fprintf(stderr, "bare_spawn: %s: %s\n", what, strerror(errno));
  exit(1);
}

// Every line of the file, newline dropped; *count set to how many.
static char** read_lines(const char* path, size_t* count) {
  FILE* f = fopen(path, "r");
  if (!f) die(path);
  size_t n = 0, cap = 1024;
  char** lines = malloc(cap * sizeof *lines);
  char* line = NULL;
  size_t len = 0;
  ssize_t got;
  while ((got = getline(&line, &len, f)) >= 0) {
    if (got > 0 && line[got - 1] == '\n') line[got - 1] = '\0';
    if (n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
    lines[n++] = strdup(line);
  }
  free(line);
  fclose(f);
  *count = n;
  return lines;
}

struct slot {
  pid_t pid;  // 0: free
  int pidfd;
};

// Starts line `seq` (1-based) in `s`.
static void start(struct slot* s, const char* command, size_t seq, const char* dir) {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_init(&actions);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; ++i) sigaddset(&defaults, sigs[i]);
  sigemptyset(&none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  char out[4096], err[4096];
  snprintf(out, sizeof out, "%s/%zu.out", dir, seq);
  snprintf(err, sizeof err, "%s/%zu.err", dir, seq);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err, O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  char* argv[] = {"sh", "-c", (char*)command, NULL};
  int rc = posix_spawn(&s->pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    errno = rc;
    die("posix_spawn /bin/sh");
  }
  s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
  if (s->pidfd < 0) die("pidfd_open");
}

// Reaps the child of `s`, which has exited; returns whether it failed.
static int reap(struct slot* s) {
  kill(-s->pid, SIGKILL);
  int status = 0;
  struct rusage usage;
  while (wait4(s->pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) die("wait4");
  }
  close(s->pidfd);
  s->pid = 0;
  return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: bare_spawn TASK_FILE SLOTS DIR\n");
    return 2;
  }
  size_t n;
  char** lines = read_lines(argv[1], &n);
  int slots = atoi(argv[2]);
  if (slots < 1) slots = 1;
  struct slot* s = calloc((size_t)slots, sizeof *s);
  struct pollfd* fds = calloc((size_t)slots, sizeof *fds);
  int* which = calloc((size_t)slots, sizeof *which);
  size_t next = 0, failed = 0;
  int busy = 0;
  double t0 = now_s();
  for (;;) {
    for (int i = 0; i < slots && next < n; ++i) {
      if (s[i].pid == 0) {
        start(&s[i], lines[next], next + 1, argv[3]);
        ++next;
        ++busy;
      }
    }
    if (busy == 0) break;
    int nfds = 0;
    for (int i = 0; i < slots; ++i) {
      if (s[i].pid != 0) {
        fds[nfds].fd = s[i].pidfd;
        fds[nfds].events = POLLIN;
        which[nfds++] = i;
      }
    }
    int ready = poll(fds, (nfds_t)nfds, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    for (int k = 0; k < nfds; ++k) {
      if (fds[k].revents) {
        failed += (size_t)reap(&s[which[k]]);
        --busy;
      }
    }
  }
  double wall = now_s() - t0;
  printf("tasks=%zu slots=%d failed=%zu wall_s=%.6f tasks_per_s=%.1f\n", n, slots, failed, wall,
         wall > 0 ? (double)n / wall : 0.0);
  return failed ? 1 : 0;
}
