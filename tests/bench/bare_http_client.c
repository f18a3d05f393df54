// The floor for fanout's async engine: N HTTP/1.1 GETs all in flight on one epoll, no library.
// Each request gets its own connection: non-blocking connect, one write of the request, read to
// Content-Length (headers may arrive split across reads), close. Prints its wall time from the
// first socket to the last close and its own CPU time (getrusage) over the same window:
//   requests=N ok=K failed=F wall_s=W user_s=U sys_s=S
// Usage: bare_http_client HOST PORT PATH N [TIMEOUT_S]   (HOST a numeric IPv4 address)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { kHeaderMax = 8192, kReadChunk = 65536, kMaxEvents = 512 };

/// One request on its own connection.
struct conn {
  int fd;          ///< -1 once closed
  int written;     ///< the request went out
  int header_len;  ///< bytes kept in header until the blank line is seen
  long body_left;  ///< body bytes still to read, -1 until the headers are parsed
  char header[kHeaderMax];
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec; }

/// Parses a complete header block: 1 for a 200 with a Content-Length (body_left set), 0 if not.
static int parse_header(struct conn* c, int end) {
  c->header[end] = '\0';
  if (strncmp(c->header, "HTTP/1.", 7) != 0 || strncmp(c->header + 8, " 200", 4) != 0) return 0;
  const char* p = c->header;
  while ((p = strstr(p, "\r\n")) != NULL && p < c->header + end) {
    p += 2;
    if (strncasecmp(p, "content-length:", 15) == 0) {
      c->body_left = strtol(p + 15, NULL, 10);
      return c->body_left >= 0;
    }
  }
  return 0;
}

/// Reads what the socket has (edge-triggered: until EAGAIN). 1 = response complete, 0 = more
/// to come, -1 = failed.
static int read_some(struct conn* c, char* scratch) {
  for (;;) {
    ssize_t n = read(c->fd, scratch, kReadChunk);
    if (n < 0) return errno == EAGAIN ? 0 : -1;
    if (n == 0) return -1;  // closed before the whole body arrived
    if (c->body_left < 0) {
      // Keep header bytes until the blank line; what follows it is body.
      ssize_t room = kHeaderMax - 1 - c->header_len;
      ssize_t take = n < room ? n : room;
      memcpy(c->header + c->header_len, scratch, (size_t)take);
      int scan_from = c->header_len > 3 ? c->header_len - 3 : 0;
      c->header_len += (int)take;
      c->header[c->header_len] = '\0';
      char* blank = strstr(c->header + scan_from, "\r\n\r\n");
      if (blank == NULL) {
        if (c->header_len >= kHeaderMax - 1) return -1;
        continue;
      }
      int end = (int)(blank - c->header) + 4;
      if (!parse_header(c, end)) return -1;
      c->body_left -= (c->header_len - end) + (n - take);
    } else {
      c->body_left -= n;
    }
    if (c->body_left <= 0) return c->body_left == 0 ? 1 : -1;
  }
}

int main(int argc, char** argv) {
  if (argc < 5 || argc > 6) {
    fprintf(stderr, "usage: %s HOST PORT PATH N [TIMEOUT_S]\n", argv[0]);
    return 2;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_port = htons((unsigned short)atoi(argv[2]))};
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
    fprintf(stderr, "bare_http_client: HOST must be a numeric IPv4 address, not '%s'\n", argv[1]);
    return 2;
  }
  const long n = strtol(argv[4], NULL, 10);
  const double timeout_s = argc == 6 ? atof(argv[5]) : 30.0;
  if (n < 1) {
    fprintf(stderr, "bare_http_client: N must be at least 1\n");
    return 2;
  }
  // One descriptor per request, all open at once.
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  char request[1024];
  const int request_len = snprintf(request, sizeof request,
                                   "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: bare\r\n"
                                   "Accept: */*\r\n\r\n",
                                   argv[3], argv[1], argv[2]);
  struct conn* conns = calloc((size_t)n, sizeof *conns);
  char* scratch = malloc(kReadChunk);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  if (conns == NULL || scratch == NULL || ep < 0) {
    perror("bare_http_client: setup");
    return 1;
  }

  struct rusage ru0, ru1;
  getrusage(RUSAGE_SELF, &ru0);
  const double t0 = now_s();
  long open_conns = 0, ok = 0, failed = 0;
  for (long i = 0; i < n; ++i) {
    struct conn* c = &conns[i];
    c->body_left = -1;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0 ||
        (connect(c->fd, (struct sockaddr*)&addr, sizeof addr) != 0 && errno != EINPROGRESS)) {
      if (c->fd >= 0) close(c->fd);
      c->fd = -1;
      ++failed;
      continue;
    }
    // Both directions, edge-triggered: one epoll_ctl per connection, none to switch to reading.
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u64 = (uint64_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
      close(c->fd);
      c->fd = -1;
      ++failed;
      continue;
    }
    ++open_conns;
  }

  struct epoll_event events[kMaxEvents];
  while (open_conns > 0) {
    const int left_ms = (int)(1e3 * (t0 + timeout_s - now_s()));
    if (left_ms <= 0) break;
    const int ready = epoll_wait(ep, events, kMaxEvents, left_ms);
    if (ready < 0 && errno != EINTR) {
      perror("bare_http_client: epoll_wait");
      break;
    }
    for (int e = 0; e < ready; ++e) {
      struct conn* c = &conns[events[e].data.u64];
      if (c->fd < 0) continue;
      int result = 0;
      if (events[e].events & EPOLLERR) {
        result = -1;
      } else if (!c->written && (events[e].events & EPOLLOUT)) {
        // Connected: the whole request in one write (it is far below a socket buffer).
        if (write(c->fd, request, (size_t)request_len) != request_len) result = -1;
        c->written = 1;
      }
      if (result == 0 && c->written && (events[e].events & (EPOLLIN | EPOLLHUP))) {
        result = read_some(c, scratch);
      }
      if (result != 0) {
        close(c->fd);
        c->fd = -1;
        --open_conns;
        if (result > 0)
          ++ok;
        else
          ++failed;
      }
    }
  }
  const double t1 = now_s();
  getrusage(RUSAGE_SELF, &ru1);
  failed += open_conns;  // still open at the timeout

  printf("requests=%ld ok=%ld failed=%ld wall_s=%.6f user_s=%.6f sys_s=%.6f\n", n, ok, failed,
         t1 - t0, tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime), tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime));
  return failed == 0 ? 0 : 1;
}
