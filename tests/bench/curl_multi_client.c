// The floor of libcurl itself under fanout's async engine: the URLs of a file over C reused easy
// handles, curl's multi socket API on one epoll (the canonical shape: curl says which sockets to
// watch, epoll says which are ready), and nothing else: no records, no timings, no retries. Only
// the response code is read per transfer. Prints its wall time from the first transfer added to
// the last one done and its own CPU time (getrusage) over the same window:
//   requests=N ok=K failed=F wall_s=W user_s=U sys_s=S
// Usage: curl_multi_client URL_FILE CONCURRENCY   (one URL a line, blank lines skipped)
#define _GNU_SOURCE
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

static int epoll_fd;
static double timer_due = -1;  // when curl wants its timeouts acted on (monotonic s), -1 for never

static size_t on_write(char* data, size_t size, size_t n, void* bytes) {
  (void)data;
  *(size_t*)bytes += size * n;
  return size * n;
}

static int on_socket(CURL* easy, curl_socket_t s, int what, void* user, void* socketp) {
  (void)easy, (void)user, (void)socketp;
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, s, NULL);
    return 0;
  }
  struct epoll_event ev = {0};
  ev.data.fd = s;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) ev.events |= EPOLLIN;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) ev.events |= EPOLLOUT;
  if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, s, &ev) != 0) epoll_ctl(epoll_fd, EPOLL_CTL_ADD, s, &ev);
  return 0;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int on_timer(CURLM* multi, long ms, void* user) {
  (void)multi, (void)user;
  timer_due = ms < 0 ? -1 : now_s() + 1e-3 * (double)ms;
  return 0;
}

static void cpu_s(double* user, double* sys) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  *user = (double)r.ru_utime.tv_sec + 1e-6 * (double)r.ru_utime.tv_usec;
  *sys = (double)r.ru_stime.tv_sec + 1e-6 * (double)r.ru_stime.tv_usec;
}

static void timeout_action(CURLM* multi) {
  int running = 0;
  timer_due = -1;
  curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

int main(int argc, char** argv) {
  const int concurrency = argc == 3 ? atoi(argv[2]) : 0;
  if (concurrency < 1) {
    fprintf(stderr, "usage: curl_multi_client URL_FILE CONCURRENCY (a positive integer)\n");
    return 2;
  }
  FILE* in = fopen(argv[1], "r");
  if (!in) {
    fprintf(stderr, "curl_multi_client: cannot read %s\n", argv[1]);
    return 2;
  }
  char** urls = NULL;
  size_t n = 0, cap = 0;
  char line[8192];
  while (fgets(line, sizeof line, in)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0') continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 1024;
      urls = realloc(urls, cap * sizeof *urls);
      if (!urls) return 1;
    }
    urls[n++] = strdup(line);
  }
  fclose(in);
  if (n == 0) {
    fprintf(stderr, "curl_multi_client: no URLs in %s\n", argv[1]);
    return 2;
  }

  curl_global_init(CURL_GLOBAL_ALL);
  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)concurrency);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)concurrency);
  CURL** easy = calloc((size_t)concurrency, sizeof *easy);
  size_t* bytes = calloc((size_t)concurrency, sizeof *bytes);
  for (int i = 0; i < concurrency; ++i) {
    easy[i] = curl_easy_init();
    curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(easy[i], CURLOPT_WRITEDATA, &bytes[i]);
    curl_easy_setopt(easy[i], CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(easy[i], CURLOPT_NOSIGNAL, 1L);
  }

  double user0, sys0;
  cpu_s(&user0, &sys0);
  const double t0 = now_s();
  size_t next = 0, done = 0, failed = 0;
  for (int i = 0; i < concurrency && next < n; ++i) {
    curl_easy_setopt(easy[i], CURLOPT_URL, urls[next++]);
    curl_multi_add_handle(multi, easy[i]);
  }
  struct epoll_event events[512];
  while (done < n) {
    int wait_ms = 1000;
    if (timer_due >= 0) {
      const double left_ms = 1e3 * (timer_due - now_s());
      wait_ms = left_ms <= 0 ? 0 : left_ms < 1000 ? (int)left_ms + 1 : 1000;
    }
    const int ready = epoll_wait(epoll_fd, events, 512, wait_ms);
    for (int i = 0; i < ready; ++i) {
      const uint32_t e = events[i].events;
      int flags = 0;
      if (e & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) flags |= CURL_CSELECT_IN;
      if (e & EPOLLOUT) flags |= CURL_CSELECT_OUT;
      if (e & EPOLLERR) flags |= CURL_CSELECT_ERR;
      int running = 0;
      curl_multi_socket_action(multi, events[i].data.fd, flags, &running);
    }
    if (timer_due >= 0 && timer_due <= now_s()) timeout_action(multi);
    CURLMsg* msg;
    int left = 0;
    while ((msg = curl_multi_info_read(multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* e = msg->easy_handle;
      long status = 0;
      if (msg->data.result != CURLE_OK ||
          curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status >= 400) {
        ++failed;
      }
      curl_multi_remove_handle(multi, e);
      ++done;
      if (next < n) {
        curl_easy_setopt(e, CURLOPT_URL, urls[next++]);
        curl_multi_add_handle(multi, e);
      }
    }
  }
  const double wall = now_s() - t0;
  double user1, sys1;
  cpu_s(&user1, &sys1);
  printf("requests=%zu ok=%zu failed=%zu wall_s=%.6f user_s=%.6f sys_s=%.6f\n", n, n - failed,
         failed, wall, user1 - user0, sys1 - sys0);
  for (int i = 0; i < concurrency; ++i) curl_easy_cleanup(easy[i]);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return failed ? 1 : 0;
}
