// A lean closed-loop load client for the IC query endpoint (issue 16): replays pre-signed query envelopes written by
// `SubnetLoad write-queries` over HTTP/1.1 keep-alive connections with epoll, one thread, no allocation per request.
// Every response is checked: HTTP 200 and a CBOR map whose "status" is "replied" (anything else counts as a failure).
// Prints queries/s, latency p50/p99 and the CPU time per query of this client and of the server (/proc/PID/stat).
//
// usage: query-load FILE HOST PORT [--clients 64] [--seconds 10] [--warmup 2] [--server-pid PID] [--idle 3] [--no-reuse]
// --no-reuse: never send an envelope twice (stop when the file is used up); otherwise envelopes cycle.
// --idle S: with --server-pid, first read the server's CPU over S seconds without load (a subnet's consensus runs
// heights whether or not it is queried) and also report the server's CPU per query above that idle rate.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char *bytes; // the whole HTTP request: headers and envelope
  size_t length;
} request_t;

typedef struct {
  int fd;
  const request_t *req;
  size_t sent;
  char buf[16384];
  size_t have;
  double started;
} conn_t;

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double self_cpu_s(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

// utime + stime of another process, in seconds (NAN when unreadable).
static double proc_cpu_s(int pid) {
  if (pid <= 0) return -1;
  char path[64], text[4096];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  char *p = strrchr(text, ')'); // the command name may hold spaces
  if (!p) return -1;
  p += 2;
  unsigned long utime = 0, stime = 0;
  // fields after the name: state(3) ... utime(14) stime(15)
  for (int field = 3; field < 14; field++) {
    p = strchr(p, ' ');
    if (!p) return -1;
    p++;
  }
  if (sscanf(p, "%lu %lu", &utime, &stime) != 2) return -1;
  return (utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

// --- minimal CBOR reading: enough to find the top-level "status" text of a query response ---
typedef struct {
  const uint8_t *p, *end;
} cbor_t;

// Reads an item's head; returns its major type (-1 when truncated or indefinite), the argument in *arg.
static int cbor_head(cbor_t *c, uint64_t *arg) {
  if (c->p >= c->end) return -1;
  uint8_t b = *c->p++;
  int major = b >> 5, info = b & 31;
  if (info < 24) {
    *arg = info;
  } else if (info <= 27) {
    int n = 1 << (info - 24);
    if (c->end - c->p < n) return -1;
    uint64_t v = 0;
    for (int i = 0; i < n; i++) v = (v << 8) | *c->p++;
    *arg = v;
  } else {
    return -1;
  }
  return major;
}

static int cbor_skip(cbor_t *c, int depth) {
  uint64_t arg;
  if (depth > 32) return -1;
  int major = cbor_head(c, &arg);
  switch (major) {
  case 0: case 1: case 7: return 0;
  case 2: case 3:
    if ((uint64_t)(c->end - c->p) < arg) return -1;
    c->p += arg;
    return 0;
  case 4:
    for (uint64_t i = 0; i < arg; i++) if (cbor_skip(c, depth + 1)) return -1;
    return 0;
  case 5:
    for (uint64_t i = 0; i < 2 * arg; i++) if (cbor_skip(c, depth + 1)) return -1;
    return 0;
  case 6: return cbor_skip(c, depth + 1);
  default: return -1;
  }
}

// Whether the body is a CBOR map (after any tags) with "status": "replied" and no trailing bytes.
static int replied(const uint8_t *body, size_t length) {
  cbor_t c = {body, body + length};
  uint64_t arg;
  int major;
  while ((major = cbor_head(&c, &arg)) == 6) {
  }
  if (major != 5) return 0;
  int found = 0;
  for (uint64_t i = 0; i < arg; i++) {
    uint64_t n;
    if (cbor_head(&c, &n) != 3 || (uint64_t)(c.end - c.p) < n) return 0;
    int is_status = n == 6 && memcmp(c.p, "status", 6) == 0;
    c.p += n;
    if (is_status) {
      uint64_t m;
      if (cbor_head(&c, &m) != 3 || (uint64_t)(c.end - c.p) < m) return 0;
      found = m == 7 && memcmp(c.p, "replied", 7) == 0;
      c.p += m;
    } else if (cbor_skip(&c, 1)) {
      return 0;
    }
  }
  return found && c.p == c.end;
}

// --- envelope file ---
static request_t *load(const char *file, const char *host, int port, size_t *count) {
  FILE *f = fopen(file, "rb");
  if (!f) die(file);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *data = malloc(size);
  if (!data || fread(data, 1, size, f) != (size_t)size) die("read");
  fclose(f);
  if (size < 4 || memcmp(data, "IIQ1", 4) != 0) {
    fprintf(stderr, "%s: not a query envelope file (no IIQ1 header)\n", file);
    exit(2);
  }
  size_t cap = 1024, n = 0;
  request_t *reqs = malloc(cap * sizeof *reqs);
  long at = 4;
  while (at < size) {
    if (size - at < 2) goto truncated;
    unsigned plen = (data[at] << 8) | data[at + 1];
    at += 2;
    if (size - at < (long)plen + 4) goto truncated;
    const char *path = (const char *)data + at;
    at += plen;
    uint32_t blen = ((uint32_t)data[at] << 24) | ((uint32_t)data[at + 1] << 16) | ((uint32_t)data[at + 2] << 8) | data[at + 3];
    at += 4;
    if ((uint64_t)(size - at) < blen) goto truncated;
    char head[512];
    int hlen = snprintf(head, sizeof head,
                        "POST %.*s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/cbor\r\nContent-Length: %u\r\n\r\n",
                        (int)plen, path, host, port, blen);
    if (n == cap) reqs = realloc(reqs, (cap *= 2) * sizeof *reqs);
    reqs[n].length = hlen + blen;
    reqs[n].bytes = malloc(reqs[n].length);
    memcpy(reqs[n].bytes, head, hlen);
    memcpy(reqs[n].bytes + hlen, data + at, blen);
    n++;
    at += blen;
  }
  free(data);
  *count = n;
  return reqs;
truncated:
  fprintf(stderr, "%s: truncated at byte %ld\n", file, at);
  exit(2);
}

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s FILE HOST PORT [--clients 64] [--seconds 10] [--warmup 2] [--server-pid PID] [--idle 3] [--no-reuse]\n", argv[0]);
    return 2;
  }
  const char *file = argv[1], *host = argv[2];
  int port = atoi(argv[3]), clients = 64, server_pid = 0, no_reuse = 0;
  double seconds = 10, warmup = 2, idle = 3;
  for (int i = 4; i < argc; i++) {
    if (!strcmp(argv[i], "--clients") && i + 1 < argc) clients = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
    else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = atof(argv[++i]);
    else if (!strcmp(argv[i], "--server-pid") && i + 1 < argc) server_pid = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--idle") && i + 1 < argc) idle = atof(argv[++i]);
    else if (!strcmp(argv[i], "--no-reuse")) no_reuse = 1;
    else {
      fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (clients < 1 || seconds <= 0 || warmup < 0 || idle < 0) {
    fprintf(stderr, "--clients must be at least 1, --seconds positive, --warmup and --idle not negative\n");
    return 2;
  }
  size_t count;
  request_t *reqs = load(file, host, port, &count);
  if (count == 0) {
    fprintf(stderr, "%s holds no envelopes\n", file);
    return 2;
  }

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    fprintf(stderr, "%s: give an IPv4 address\n", host);
    return 2;
  }
  double idle_cores = 0;
  if (server_pid > 0 && idle > 0) {
    double idle_from = now_s(), cpu_idle0 = proc_cpu_s(server_pid);
    struct timespec pause = {(time_t)idle, (long)((idle - (time_t)idle) * 1e9)};
    nanosleep(&pause, NULL);
    idle_cores = (proc_cpu_s(server_pid) - cpu_idle0) / (now_s() - idle_from);
  }
  int ep = epoll_create1(0);
  conn_t *conns = calloc(clients, sizeof *conns);
  for (int i = 0; i < clients; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    conns[i].fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }

  size_t next = 0, lat_cap = 1 << 20, lat_n = 0;
  float *lat_ms = malloc(lat_cap * sizeof *lat_ms);
  long ok = 0, failed = 0, measured_failed = 0;
  char first_error[256] = "";
  double t0 = now_s(), measure_from = t0 + warmup, measure_to = measure_from + seconds;
  double cpu_self0 = 0, cpu_server0 = 0, measure_started = 0;
  int measuring = 0, stopping = 0, in_flight = 0;

  // Sends the next envelope on a connection (the rest, when a write was partial).
#define SEND(c)                                                                                                  \
  do {                                                                                                           \
    while ((c)->sent < (c)->req->length) {                                                                       \
      ssize_t w = write((c)->fd, (c)->req->bytes + (c)->sent, (c)->req->length - (c)->sent);                     \
      if (w < 0) {                                                                                               \
        if (errno == EAGAIN) {                                                                                   \
          struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = (c)};                               \
          epoll_ctl(ep, EPOLL_CTL_MOD, (c)->fd, &ev);                                                            \
          break;                                                                                                 \
        }                                                                                                        \
        die("write");                                                                                            \
      }                                                                                                          \
      (c)->sent += w;                                                                                            \
    }                                                                                                            \
  } while (0)

  for (int i = 0; i < clients; i++) {
    if (no_reuse && next >= count) break;
    conns[i].req = &reqs[next++ % count];
    conns[i].started = now_s();
    in_flight++;
    SEND(&conns[i]);
  }

  struct epoll_event events[256];
  while (in_flight > 0) {
    double t = now_s();
    if (!measuring && !stopping && t >= measure_from) {
      measuring = 1;
      measure_started = t;
      cpu_self0 = self_cpu_s();
      cpu_server0 = proc_cpu_s(server_pid);
    }
    if (measuring && t >= measure_to) break;
    int n = epoll_wait(ep, events, 256, 100);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int e = 0; e < n; e++) {
      conn_t *c = events[e].data.ptr;
      if (events[e].events & EPOLLOUT) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        SEND(c);
      }
      if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      ssize_t r = read(c->fd, c->buf + c->have, sizeof c->buf - c->have);
      if (r == 0 || (r < 0 && errno != EAGAIN)) {
        fprintf(stderr, "the server closed a connection (%s)\n", r == 0 ? "EOF" : strerror(errno));
        return 1;
      }
      if (r < 0) continue;
      c->have += r;
      char *end = memmem(c->buf, c->have, "\r\n\r\n", 4);
      if (!end) {
        if (c->have == sizeof c->buf) {
          fprintf(stderr, "response headers over %zu bytes\n", sizeof c->buf);
          return 1;
        }
        continue;
      }
      size_t header = end + 4 - c->buf;
      long content_length = -1;
      for (char *line = strstr(c->buf, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
        if (!strncasecmp(line + 2, "content-length:", 15)) content_length = strtol(line + 17, NULL, 10);
      }
      if (content_length < 0 || header + content_length > sizeof c->buf) {
        fprintf(stderr, "a response without a usable Content-Length:\n%.*s\n", (int)header, c->buf);
        return 1;
      }
      if (c->have < header + (size_t)content_length) continue;
      int status = atoi(c->buf + 9); // "HTTP/1.1 200"
      double done = now_s();
      int good = status == 200 && replied((const uint8_t *)c->buf + header, content_length);
      if (good) {
        ok++;
      } else {
        failed++;
        if (measuring) measured_failed++;
        if (!first_error[0]) {
          snprintf(first_error, sizeof first_error, "HTTP %d, %ld-byte body: %.*s", status, content_length,
                   (int)(content_length < 120 ? content_length : 120), c->buf + header);
        }
      }
      if (measuring && good) {
        if (lat_n == lat_cap) lat_ms = realloc(lat_ms, (lat_cap *= 2) * sizeof *lat_ms);
        lat_ms[lat_n++] = (float)((done - c->started) * 1000);
      }
      memmove(c->buf, c->buf + header + content_length, c->have - header - content_length);
      c->have -= header + content_length;
      in_flight--;
      if (no_reuse && next >= count) {
        stopping = 1; // the file is used up: the measured window ends here
        continue;
      }
      c->req = &reqs[next++ % count];
      c->sent = 0;
      c->started = done;
      in_flight++;
      SEND(c);
    }
    if (stopping && measuring) break;
  }
  double t_end = now_s();
  double cpu_self = self_cpu_s() - cpu_self0, cpu_server = proc_cpu_s(server_pid) - cpu_server0;
  if (!measuring) {
    fprintf(stderr, "the envelopes ran out before the warm-up ended (%zu envelopes)\n", count);
    return 1;
  }
  double elapsed = t_end - measure_started;
  qsort(lat_ms, lat_n, sizeof *lat_ms, cmp_float);
  double p50 = lat_n ? lat_ms[lat_n / 2] : 0, p99 = lat_n ? lat_ms[(size_t)(lat_n * 0.99)] : 0;
  printf("queries: %zu ok in %.2f s measured (after %.1f s warm-up), %ld ok and %ld failed in all\n", lat_n, elapsed, warmup, ok, failed);
  printf("queries/s: %.0f\n", lat_n / elapsed);
  printf("latency p50 / p99: %.2f / %.2f ms\n", p50, p99);
  if (cpu_server0 >= 0 && server_pid > 0) {
    printf("CPU per query: server %.1f us + client %.1f us (server %.2f s, client %.2f s of CPU)\n", cpu_server * 1e6 / lat_n,
           cpu_self * 1e6 / lat_n, cpu_server, cpu_self);
    if (idle > 0) {
      printf("server CPU per query above its idle rate (%.2f cores over %.0f s before the load): %.1f us\n", idle_cores, idle,
             (cpu_server - idle_cores * elapsed) * 1e6 / lat_n);
    }
  } else {
    printf("CPU per query: client %.1f us (%.2f s of CPU)\n", cpu_self * 1e6 / lat_n, cpu_self);
  }
  printf("envelopes: %zu in the file, %zu sent%s\n", count, next, no_reuse ? " (none twice)" : next > count ? " (cycled)" : "");
  if (failed) {
    fprintf(stderr, "error: %ld failed response(s) (%ld in the measured window); first: %s\n", failed, measured_failed, first_error);
    return 1;
  }
  return 0;
}
