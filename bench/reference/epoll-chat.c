/*
 * The bench's reference system: a single-process, single-threaded epoll chat server that speaks as much of
 * forkcast's telnet chat as scripts/bench's load generator needs, so that the same loads can be run against it
 * and against forkcast in one session (docs/benchmarks.md, "C:" figures). Not part of forkcast.
 *
 *   epoll-chat [--bind ADDR] [--port N] [--runtime-dir DIR] [--client-buffer-bytes N] [--mqtt-port X] [--ws-port X]
 *
 * It prints "READY ADDR:PORT" on stdout once listening (as scripts/forkcast run does), logs key=value lines on
 * stderr, and exits 0 on SIGTERM or SIGINT. --runtime-dir, --mqtt-port and --ws-port are taken and ignored (the
 * load generator passes them to every server). What it speaks:
 *   - on connect: "Welcome to forkcast, you are ADDR:PORT (pid PID). ..." (the banner the load generator waits for)
 *   - a line of text goes to every other client in the same room as "[ADDR:PORT] (PID): TEXT"
 *   - "/join NAME" moves the client to room NAME ("*** you are now in #NAME"); "/quit" closes; other "/..." lines
 *     are answered "*** unknown command"; a line over 4096 bytes is dropped whole, with a notice
 * Output: non-blocking writes from a per-client buffer, flushed once per turn of the loop (lines queued in one
 * turn leave in one write). A client whose buffer would pass --client-buffer-bytes (1 MiB, as forkcast's
 * client_buffer_bytes) is dropped, logged event=client_slow, and so is one that stays above a quarter of it for
 * 5 s. While any client is above that quarter the server reads no client input, so TCP slows fast senders
 * instead of the server dropping readers that are merely behind (forkcast slows a fast sender the same way).
 *
 * Lifecycle of a client: accepted -> (reading <-> input paused by a congested reader) -> dead (EOF, error,
 * /quit, slow) -> freed at the end of the loop turn, so that no list holds a freed client.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE_BYTES 4096
#define READ_CHUNK_BYTES 16384
#define STALL_MS 5000
#define MAX_EVENTS 256

typedef struct client {
    int fd;
    char peer[48];            /* "127.0.0.1:40112" */
    char room[33];            /* "" is the lobby */
    char in[MAX_LINE_BYTES + 2];
    size_t in_len;            /* bytes of the current line held in in[] */
    int skipping;             /* the current line passed MAX_LINE_BYTES: dropped up to its end */
    char *out;                /* pending output: out[out_start .. out_start + out_len) */
    size_t out_start, out_len, out_cap;
    long over_since_ms;       /* when out_len went above the high-water mark; -1 when below */
    int readable, writable;   /* edge-triggered readiness not yet used up */
    int in_ready, in_dirty;   /* on the ready list / the dirty (to flush) list */
    int dead;
    size_t slot;              /* index in clients[] */
} client;

static client **clients;       /* every live client, unordered; changed by accept and reap only */
static size_t nclients, cap_clients;
static client **ready, **dirty, **graveyard; /* readable clients, clients with output, clients to free */
static size_t nready, ndirty, ngrave;
static size_t buffer_limit = 1 << 20;
static size_t congested;       /* clients above the high-water mark: input is paused while > 0 */
static long served, slow_dropped;
static volatile sig_atomic_t stopping;
static int pid;

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void on_signal(int sig) {
    (void) sig;
    stopping = 1;
}

static void *grow(void *array, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return array;
    size_t n = *cap ? *cap : 64;
    while (n < need) n *= 2;
    void *p = realloc(array, n * size);
    if (!p) { fprintf(stderr, "event=fatal reason=out_of_memory bytes=%zu\n", n * size); exit(1); }
    *cap = n;
    return p;
}

static size_t cap_ready, cap_dirty, cap_grave;

static void kill_client(client *c, const char *cause) {
    if (c->dead) return;
    c->dead = 1;
    if (c->over_since_ms >= 0) congested--;
    fprintf(stderr, "event=left peer=%s cause=%s\n", c->peer, cause);
    graveyard = grow(graveyard, &cap_grave, ngrave + 1, sizeof *graveyard);
    graveyard[ngrave++] = c;
}

/* Puts c on the list of clients to flush at the end of the turn. */
static void mark_dirty(client *c) {
    if (c->in_dirty) return;
    c->in_dirty = 1;
    dirty = grow(dirty, &cap_dirty, ndirty + 1, sizeof *dirty);
    dirty[ndirty++] = c;
}

/* Queues bytes for c; drops c when its buffer would pass the limit. */
static void enqueue(client *c, const char *bytes, size_t n) {
    if (c->dead) return;
    if (c->out_len + n > buffer_limit) {
        fprintf(stderr, "event=client_slow peer=%s queued=%zu limit=%zu\n", c->peer, c->out_len + n, buffer_limit);
        slow_dropped++;
        kill_client(c, "slow");
        return;
    }
    if (c->out_start + c->out_len + n > c->out_cap) {
        if (c->out_start > 0) { /* compact first: the front has been written */
            memmove(c->out, c->out + c->out_start, c->out_len);
            c->out_start = 0;
        }
        c->out = grow(c->out, &c->out_cap, c->out_len + n, 1);
    }
    memcpy(c->out + c->out_start + c->out_len, bytes, n);
    c->out_len += n;
    if (c->over_since_ms < 0 && c->out_len > buffer_limit / 4) {
        c->over_since_ms = now_ms();
        congested++;
    }
    mark_dirty(c);
}

static void say(client *c, const char *text) {
    enqueue(c, text, strlen(text));
}

/* A complete line from c, CR LF taken off. */
static void on_line(client *c, char *line, size_t n) {
    char msg[MAX_LINE_BYTES + 128];
    if (n > 0 && line[0] == '/') {
        if (n > 6 && strncmp(line, "/join ", 6) == 0 && n - 6 < sizeof c->room) {
            memcpy(c->room, line + 6, n - 6);
            c->room[n - 6] = 0;
            snprintf(msg, sizeof msg, "*** you are now in #%s\r\n", c->room);
            say(c, msg);
        } else if (n == 5 && strncmp(line, "/quit", 5) == 0) {
            kill_client(c, "quit");
        } else {
            say(c, "*** unknown command (this reference server knows /join and /quit)\r\n");
        }
        return;
    }
    int head = snprintf(msg, sizeof msg, "[%s] (%d): ", c->peer, pid);
    memcpy(msg + head, line, n);
    memcpy(msg + head + n, "\r\n", 2);
    size_t len = (size_t) head + n + 2;
    for (size_t i = 0; i < nclients; i++) {
        client *o = clients[i];
        if (o != c && !o->dead && strcmp(o->room, c->room) == 0) enqueue(o, msg, len);
    }
}

/* One read of at most READ_CHUNK_BYTES; returns whether the socket may hold more. */
static int read_some(client *c) {
    char buf[READ_CHUNK_BYTES];
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n == 0) { kill_client(c, "eof"); return 0; }
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) { c->readable = errno == EINTR; return c->readable; }
        kill_client(c, "read_error");
        return 0;
    }
    for (ssize_t i = 0; i < n && !c->dead; i++) {
        char b = buf[i];
        if (b == '\n') {
            size_t len = c->in_len;
            if (len > 0 && c->in[len - 1] == '\r') len--;
            if (c->skipping) say(c, "*** line too long (max 4096 bytes)\r\n");
            else on_line(c, c->in, len);
            c->in_len = 0;
            c->skipping = 0;
        } else if (c->in_len < MAX_LINE_BYTES + 1) {
            c->in[c->in_len++] = b; /* + 1: room for the CR of a line of exactly MAX_LINE_BYTES */
        } else {
            c->skipping = 1;
        }
    }
    return n == (ssize_t) sizeof buf;
}

/* One write of everything c has pending. */
static void flush(client *c) {
    if (c->dead || c->out_len == 0 || !c->writable) return;
    ssize_t n = write(c->fd, c->out + c->out_start, c->out_len);
    if (n < 0) {
        if (errno == EAGAIN) c->writable = 0;
        else if (errno != EINTR) kill_client(c, "write_error");
        return;
    }
    if ((size_t) n < c->out_len) c->writable = 0; /* the kernel buffer is full: wait for EPOLLOUT */
    c->out_start += n;
    c->out_len -= n;
    if (c->out_len == 0) c->out_start = 0;
    if (c->over_since_ms >= 0 && c->out_len <= buffer_limit / 4) {
        c->over_since_ms = -1;
        congested--;
    }
}

static void mark_ready(client *c) {
    if (c->in_ready) return;
    c->in_ready = 1;
    ready = grow(ready, &cap_ready, nready + 1, sizeof *ready);
    ready[nready++] = c;
}

static void accept_all(int listener, int ep) {
    for (;;) {
        struct sockaddr_in sa;
        socklen_t len = sizeof sa;
        int fd = accept4(listener, (struct sockaddr *) &sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR) fprintf(stderr, "event=accept_failed errno=%d\n", errno);
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        client *c = calloc(1, sizeof *c);
        if (!c) { close(fd); continue; }
        c->fd = fd;
        c->over_since_ms = -1;
        c->writable = 1;
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip);
        snprintf(c->peer, sizeof c->peer, "%s:%d", ip, ntohs(sa.sin_port));
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) { close(fd); free(c); continue; }
        clients = grow(clients, &cap_clients, nclients + 1, sizeof *clients);
        c->slot = nclients;
        clients[nclients++] = c;
        served++;
        char banner[160];
        snprintf(banner, sizeof banner,
                 "Welcome to forkcast, you are %s (pid %d). This is the bench's C reference server.\r\n", c->peer, pid);
        say(c, banner);
    }
}

/* Frees the clients that died in this turn; no list refers to them afterwards. */
static void reap(void) {
    for (size_t i = 0; i < ngrave; i++) {
        client *c = graveyard[i];
        close(c->fd); /* also takes it out of the epoll set */
        clients[c->slot] = clients[--nclients];
        clients[c->slot]->slot = c->slot;
        free(c->out);
        free(c);
    }
    ngrave = 0;
}

static void usage(void) {
    fprintf(stderr, "usage: epoll-chat [--bind ADDR] [--port N] [--runtime-dir DIR] [--client-buffer-bytes N]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *bind_addr = "127.0.0.1";
    int port = 4444;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (strcmp(argv[i], "--bind") == 0) bind_addr = argv[++i];
        else if (strcmp(argv[i], "--port") == 0) port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--client-buffer-bytes") == 0) buffer_limit = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--runtime-dir") == 0 || strcmp(argv[i], "--mqtt-port") == 0
                 || strcmp(argv[i], "--ws-port") == 0) i++;
        else { fprintf(stderr, "epoll-chat: unknown option %s\n", argv[i]); usage(); }
    }
    pid = getpid();
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short) port)};
    if (inet_pton(AF_INET, bind_addr, &addr.sin_addr) != 1) {
        fprintf(stderr, "epoll-chat: --bind %s is not an IPv4 address\n", bind_addr);
        return 2;
    }
    socklen_t alen = sizeof addr;
    if (bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(listener, SOMAXCONN) < 0
        || getsockname(listener, (struct sockaddr *) &addr, &alen) < 0) {
        fprintf(stderr, "epoll-chat: cannot listen on %s:%d: %s\n", bind_addr, port, strerror(errno));
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &lev);
    fprintf(stderr, "event=listening addr=%s:%d pid=%d client_buffer_bytes=%zu\n", bind_addr, ntohs(addr.sin_port),
            pid, buffer_limit);
    printf("READY %s:%d\n", bind_addr, ntohs(addr.sin_port));
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    while (!stopping) {
        /* Turn: wait (not at all while readable input waits), note readiness, read one chunk from each readable
           client, flush every client with output, drop the stalled, free the dead. */
        int timeout = (nready > 0 && congested == 0) ? 0 : (congested > 0 ? 100 : 1000);
        int n = epoll_wait(ep, events, MAX_EVENTS, timeout);
        if (n < 0 && errno != EINTR) { fprintf(stderr, "event=fatal reason=epoll_wait errno=%d\n", errno); return 1; }
        for (int i = 0; i < n; i++) {
            client *c = events[i].data.ptr;
            if (!c) { accept_all(listener, ep); continue; }
            if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) { c->readable = 1; mark_ready(c); }
            if (events[i].events & EPOLLOUT) {
                c->writable = 1;
                if (c->out_len > 0) mark_dirty(c);
            }
        }
        if (congested == 0) {
            size_t kept = 0;
            for (size_t i = 0; i < nready; i++) { /* one chunk each: a flooding sender does not starve the rest */
                client *c = ready[i];
                if (!c->dead && c->readable && read_some(c)) ready[kept++] = c;
                else c->in_ready = 0;
            }
            nready = kept;
        }
        size_t kept = 0;
        for (size_t i = 0; i < ndirty; i++) {
            client *c = dirty[i];
            flush(c);
            if (!c->dead && c->out_len > 0) dirty[kept++] = c; /* waits for EPOLLOUT */
            else c->in_dirty = 0;
        }
        ndirty = kept;
        if (congested > 0) {
            long now = now_ms();
            for (size_t i = 0; i < nclients; i++) {
                client *c = clients[i];
                if (!c->dead && c->over_since_ms >= 0 && now - c->over_since_ms > STALL_MS) {
                    fprintf(stderr, "event=client_slow peer=%s queued=%zu stalled_ms=%ld\n", c->peer, c->out_len,
                            now - c->over_since_ms);
                    slow_dropped++;
                    kill_client(c, "slow");
                }
            }
        }
        if (ngrave > 0) {
            /* The dead leave the ready and dirty lists before they are freed. */
            size_t k = 0;
            for (size_t i = 0; i < nready; i++) if (!ready[i]->dead) ready[k++] = ready[i];
            nready = k;
            k = 0;
            for (size_t i = 0; i < ndirty; i++) if (!dirty[i]->dead) dirty[k++] = dirty[i];
            ndirty = k;
            reap();
        }
    }
    fprintf(stderr, "event=exit role=reference code=0 served=%ld slow_dropped=%ld\n", served, slow_dropped);
    return 0;
}
