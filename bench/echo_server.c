/*
 * echo_server.c — the baseline of bench/health_h2load.sh: a bare gRPC C-core
 * server that answers every unary call, whatever its method path, with the
 * request's bytes and status OK.
 *
 * It does what nuage-server's transport must do at the least (accept a call,
 * read one message, send one message and the status) and nothing else: no
 * decoding, no dispatch, no logging, no database. The ratio of nuage-server's
 * throughput to this one's is what the benchmark reports.
 *
 *   echo_server [--listen HOST:PORT] [--port-file PATH] [--cq-threads N]
 *               [--pending N]
 *
 * One completion queue per thread, each with --pending calls requested ahead
 * so that a burst of new streams does not wait for a request_call round
 * trip. SIGINT/SIGTERM stop it cleanly.
 */
#include <errno.h>
#include <grpc/byte_buffer.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct nu_echo_options {
  const char *listen;
  const char *port_file;
  int cq_threads;
  int pending;
} nu_echo_options;

/* One thread and its completion queue. */
typedef struct nu_echo_worker {
  grpc_server *server;
  grpc_completion_queue *cq;
  pthread_t thread;
} nu_echo_worker;

/* Where a call is: each state is the batch we are waiting for. */
typedef enum nu_echo_state {
  NU_ECHO_REQUESTED, /* grpc_server_request_call: a new call */
  NU_ECHO_RECEIVING, /* RECV_MESSAGE */
  NU_ECHO_SENDING,   /* initial metadata, message, status, RECV_CLOSE_ON_SERVER */
} nu_echo_state;

typedef struct nu_echo_call {
  nu_echo_state state;
  nu_echo_worker *worker;
  grpc_call *call;
  grpc_call_details details;
  grpc_metadata_array request_md;
  grpc_byte_buffer *payload; /* received, then sent back */
  int cancelled;
} nu_echo_call;

static void call_free(nu_echo_call *c) {
  if (c->call != NULL) grpc_call_unref(c->call);
  if (c->payload != NULL) grpc_byte_buffer_destroy(c->payload);
  grpc_call_details_destroy(&c->details);
  grpc_metadata_array_destroy(&c->request_md);
  free(c);
}

/* Asks the server for one more incoming call on the worker's queue. Fails
 * once the server or the queue is shutting down, which is then expected. */
static int request_call(nu_echo_worker *w) {
  nu_echo_call *c = calloc(1, sizeof(*c));
  if (c == NULL) return -1;
  c->state = NU_ECHO_REQUESTED;
  c->worker = w;
  grpc_call_details_init(&c->details);
  grpc_metadata_array_init(&c->request_md);
  if (grpc_server_request_call(w->server, &c->call, &c->details, &c->request_md, w->cq, w->cq, c) !=
      GRPC_CALL_OK) {
    call_free(c);
    return -1;
  }
  return 0;
}

static void start_receive(nu_echo_call *c) {
  grpc_op op;
  memset(&op, 0, sizeof(op));
  op.op = GRPC_OP_RECV_MESSAGE;
  op.data.recv_message.recv_message = &c->payload;
  c->state = NU_ECHO_RECEIVING;
  if (grpc_call_start_batch(c->call, &op, 1, c, NULL) != GRPC_CALL_OK) call_free(c);
}

static void start_reply(nu_echo_call *c) {
  /* No message at all (the client half-closed at once) echoes an empty one. */
  if (c->payload == NULL) c->payload = grpc_raw_byte_buffer_create(NULL, 0);
  grpc_op ops[4];
  memset(ops, 0, sizeof(ops));
  ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[1].op = GRPC_OP_SEND_MESSAGE;
  ops[1].data.send_message.send_message = c->payload;
  ops[2].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
  ops[2].data.send_status_from_server.status = GRPC_STATUS_OK;
  ops[3].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  ops[3].data.recv_close_on_server.cancelled = &c->cancelled;
  c->state = NU_ECHO_SENDING;
  if (grpc_call_start_batch(c->call, ops, 4, c, NULL) != GRPC_CALL_OK) call_free(c);
}

static void on_event(nu_echo_call *c, int success) {
  switch (c->state) {
    case NU_ECHO_REQUESTED:
      if (!success) { /* the server is shutting down */
        call_free(c);
        return;
      }
      /* Replace the consumed request first, so the pool stays full. */
      request_call(c->worker);
      start_receive(c);
      return;
    case NU_ECHO_RECEIVING:
      if (!success) { /* cancelled before the message arrived */
        call_free(c);
        return;
      }
      start_reply(c);
      return;
    case NU_ECHO_SENDING: call_free(c); return;
  }
}

static void *worker_main(void *arg) {
  nu_echo_worker *w = arg;
  for (;;) {
    grpc_event ev = grpc_completion_queue_next(w->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    if (ev.type == GRPC_QUEUE_SHUTDOWN) break;
    if (ev.type == GRPC_OP_COMPLETE) on_event(ev.tag, ev.success);
  }
  return NULL;
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: echo_server [--listen HOST:PORT] [--port-file PATH] [--cq-threads N] "
          "[--pending N]\n"
          "  --listen HOST:PORT  address; port 0 picks a free one (default 127.0.0.1:0)\n"
          "  --port-file PATH    write the bound port there once serving\n"
          "  --cq-threads N      completion-queue threads (default 2)\n"
          "  --pending N         calls requested ahead per queue (default 64)\n");
}

static int parse_int(const char *s, int min, int max, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < min || v > max) return -1;
  *out = (int)v;
  return 0;
}

/* gRPC does not range-check ports (":99999" binds a random one): we do. */
static int check_listen(const char *addr) {
  const char *colon = strrchr(addr, ':');
  int port;
  if (colon == NULL || colon == addr) return -1;
  return parse_int(colon + 1, 0, 65535, &port);
}

static int parse_options(int argc, char **argv, nu_echo_options *o) {
  o->listen = "127.0.0.1:0";
  o->port_file = NULL;
  o->cq_threads = 2;
  o->pending = 64;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    } else if (v == NULL) {
      fprintf(stderr, "echo_server: %s needs a value, or is unknown\n", a);
      return -1;
    } else if (strcmp(a, "--listen") == 0) {
      if (check_listen(v) != 0) {
        fprintf(stderr, "echo_server: invalid --listen \"%s\" (HOST:PORT, port 0-65535)\n", v);
        return -1;
      }
      o->listen = v;
    } else if (strcmp(a, "--port-file") == 0) {
      o->port_file = v;
    } else if (strcmp(a, "--cq-threads") == 0) {
      if (parse_int(v, 1, 256, &o->cq_threads) != 0) {
        fprintf(stderr, "echo_server: --cq-threads must be 1-256\n");
        return -1;
      }
    } else if (strcmp(a, "--pending") == 0) {
      if (parse_int(v, 1, 100000, &o->pending) != 0) {
        fprintf(stderr, "echo_server: --pending must be 1-100000\n");
        return -1;
      }
    } else {
      fprintf(stderr, "echo_server: unknown option %s\n", a);
      return -1;
    }
    i++;
  }
  return 0;
}

/* Written to a temporary name and renamed, so a reader never sees half. */
static int write_port_file(const char *path, int port) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) return -1;
  FILE *f = fopen(tmp, "w");
  if (f == NULL) return -1;
  fprintf(f, "%d\n", port);
  if (fclose(f) != 0) return -1;
  return rename(tmp, path);
}

/* Waits for the server's shutdown tag on its dedicated queue. */
static void await_tag(grpc_completion_queue *cq, void *tag) {
  for (;;) {
    grpc_event ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    if (ev.type == GRPC_QUEUE_SHUTDOWN) return;
    if (ev.type == GRPC_OP_COMPLETE && ev.tag == tag) return;
  }
}

static void drain_and_destroy(grpc_completion_queue *cq) {
  grpc_completion_queue_shutdown(cq);
  while (grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
         GRPC_QUEUE_SHUTDOWN) {
  }
  grpc_completion_queue_destroy(cq);
}

int main(int argc, char **argv) {
  nu_echo_options opt;
  if (parse_options(argc, argv, &opt) != 0) {
    usage(stderr);
    return 2;
  }

  /* Blocked before gRPC starts its threads, so only sigwait sees them. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);

  grpc_init();
  /* gRPC turns SO_REUSEPORT on by default: a second server would silently
   * share the port and halve the numbers. */
  grpc_arg arg = {.type = GRPC_ARG_INTEGER, .key = GRPC_ARG_ALLOW_REUSEPORT, .value.integer = 0};
  grpc_channel_args args = {1, &arg};
  grpc_server *server = grpc_server_create(&args, NULL);

  nu_echo_worker *workers = calloc((size_t)opt.cq_threads, sizeof(*workers));
  if (workers == NULL) {
    fprintf(stderr, "echo_server: out of memory\n");
    return 1;
  }
  for (int i = 0; i < opt.cq_threads; i++) {
    workers[i].server = server;
    workers[i].cq = grpc_completion_queue_create_for_next(NULL);
    grpc_server_register_completion_queue(server, workers[i].cq, NULL);
  }
  /* Shutdown's notification must go to a registered queue; a queue of its
   * own lets main wait for it while the workers drain theirs. */
  grpc_completion_queue *shutdown_cq = grpc_completion_queue_create_for_next(NULL);
  grpc_server_register_completion_queue(server, shutdown_cq, NULL);

  grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
  int port = grpc_server_add_http2_port(server, opt.listen, creds);
  grpc_server_credentials_release(creds);
  if (port == 0) {
    fprintf(stderr, "echo_server: cannot listen on %s\n", opt.listen);
    return 1;
  }
  grpc_server_start(server);

  for (int i = 0; i < opt.cq_threads; i++) {
    for (int j = 0; j < opt.pending; j++) request_call(&workers[i]);
    if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
      fprintf(stderr, "echo_server: cannot start thread %d\n", i);
      return 1;
    }
  }
  if (opt.port_file != NULL && write_port_file(opt.port_file, port) != 0) {
    fprintf(stderr, "echo_server: cannot write %s\n", opt.port_file);
    return 1;
  }
  fprintf(stderr, "echo_server: serving on port %d with %d completion-queue thread(s)\n", port,
          opt.cq_threads);

  int sig = 0;
  sigwait(&sigs, &sig);

  /* The shutdown tag comes once every call is over; cancelling them makes
   * that immediate. Only then may the queues stop: a batch started on a
   * shut-down queue aborts. */
  int shutdown_tag;
  grpc_server_shutdown_and_notify(server, shutdown_cq, &shutdown_tag);
  grpc_server_cancel_all_calls(server);
  await_tag(shutdown_cq, &shutdown_tag);
  for (int i = 0; i < opt.cq_threads; i++) grpc_completion_queue_shutdown(workers[i].cq);
  for (int i = 0; i < opt.cq_threads; i++) pthread_join(workers[i].thread, NULL);
  grpc_server_destroy(server);
  for (int i = 0; i < opt.cq_threads; i++) grpc_completion_queue_destroy(workers[i].cq);
  drain_and_destroy(shutdown_cq);
  free(workers);
  grpc_shutdown();
  return 0;
}
