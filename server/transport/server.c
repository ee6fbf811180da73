/*
 * server.c — gRPC C-core server lifecycle.
 *
 * One completion queue per thread. Each queue holds `slots_per_method`
 * pending requests for every registered method, plus catch-all requests so
 * an unknown path is answered UNIMPLEMENTED at once instead of waiting for
 * the client's deadline. A matched slot is re-armed before its call is
 * served, so the queue never runs dry under load.
 */
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/common/log.h"
#include "server/transport/internal.h"

#define NU_DEFAULT_SLOTS 32
#define NU_CATCH_ALL_SLOTS 4

/* ---- listen address --------------------------------------------------- */

static bool all_digits(const char *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int nu_listen_address_check(const char *listen, const char **why) {
  if (listen == NULL || *listen == '\0') {
    *why = "the listen address is empty; expected host:port";
    return -1;
  }
  const char *colon = strrchr(listen, ':');
  if (colon == NULL) {
    *why = "the listen address has no port; expected host:port";
    return -1;
  }
  size_t host_len = (size_t)(colon - listen);
  const char *port = colon + 1;
  size_t port_len = strlen(port);
  if (!all_digits(port, port_len) || port_len > 5 || atoi(port) > 65535) {
    *why = "the port must be a number from 0 to 65535";
    return -1;
  }
  if (host_len == 0) {
    *why = "the listen address has no host; use 127.0.0.1, 0.0.0.0, [::] or a name";
    return -1;
  }
  if (listen[0] == '[') {
    if (listen[host_len - 1] != ']' || host_len < 3) {
      *why = "an IPv6 host must be written in brackets, e.g. [::1]:50051";
      return -1;
    }
    for (size_t i = 1; i + 1 < host_len; i++) {
      char ch = listen[i];
      bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') ||
                ch == ':' || ch == '.';
      if (!ok) {
        *why = "the IPv6 address holds an invalid character";
        return -1;
      }
    }
    return 0;
  }
  for (size_t i = 0; i < host_len; i++) {
    char ch = listen[i];
    bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              ch == '.' || ch == '-';
    if (!ok) {
      *why = "the host holds an invalid character (IPv6 addresses go in brackets)";
      return -1;
    }
  }
  return 0;
}

/* ---- slots ------------------------------------------------------------ */

static void on_slot(nu_tag *tag, bool ok);

static void arm_slot(nu_slot *s) {
  grpc_metadata_array_init(&s->md);
  s->call = NULL;
  s->payload = NULL;
  s->tag.fn = on_slot;
  grpc_call_error err;
  if (s->method == NULL) {
    grpc_call_details_init(&s->details);
    err = grpc_server_request_call(s->srv->server, &s->call, &s->details, &s->md, s->cq, s->cq,
                                   &s->tag);
  } else {
    bool with_payload = s->method->kind != NU_BIDI_STREAMING;
    err = grpc_server_request_registered_call(s->srv->server, s->registered, &s->call, &s->deadline,
                                              &s->md, with_payload ? &s->payload : NULL, s->cq,
                                              s->cq, &s->tag);
  }
  if (err != GRPC_CALL_OK) {
    /* Only happens while shutting down. */
    grpc_metadata_array_destroy(&s->md);
    if (s->method == NULL) grpc_call_details_destroy(&s->details);
  }
}

static void on_slot(nu_tag *tag, bool ok) {
  nu_slot *s = (nu_slot *)tag;
  if (!ok) {
    /* The server is shutting down: the request is withdrawn. */
    grpc_metadata_array_destroy(&s->md);
    if (s->method == NULL) grpc_call_details_destroy(&s->details);
    return;
  }
  nu_slot matched = *s; /* the call and its metadata move to the call */
  if (!atomic_load(&s->srv->shutting_down)) arm_slot(s);
  nu_call_begin(s->srv, &matched);
}

/* ---- threads ---------------------------------------------------------- */

static void *cq_main(void *p) {
  grpc_completion_queue *cq = p;
  for (;;) {
    grpc_event ev = grpc_completion_queue_next(cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    if (ev.type == GRPC_QUEUE_SHUTDOWN) break;
    if (ev.type != GRPC_OP_COMPLETE) continue;
    nu_tag *tag = ev.tag;
    tag->fn(tag, ev.success != 0);
  }
  return NULL;
}

/* ---- start and stop --------------------------------------------------- */

/* Undoes a start that failed before the server listened: no call can have
 * begun, so the queues hold no event and their threads only wait. */
static void discard(nu_server *s, void **handles) {
  free(handles);
  for (int i = 0; i < s->ncq; i++) grpc_completion_queue_shutdown(s->cqs[i]);
  for (int i = 0; i < s->nthreads; i++) pthread_join(s->threads[i], NULL);
  nu_server_free(s);
}

nu_status nu_server_start(const nu_server_options *opts, nu_arena *a, nu_server **out, int *port) {
  const char *why = NULL;
  if (nu_listen_address_check(opts->listen, &why) != 0) {
    return nu_error(a, NU_INVALID_ARGUMENT, "INVALID_LISTEN_ADDRESS",
                    "invalid listen address \"%s\": %s", opts->listen, why);
  }
  if (opts->cq_threads < 1 || opts->workers < 1) {
    return nu_error(a, NU_INVALID_ARGUMENT, NULL,
                    "the server needs at least one queue thread and one worker (%d and %d given)",
                    opts->cq_threads, opts->workers);
  }
  nu_server *s = calloc(1, sizeof(*s));
  if (s == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
  s->opts = *opts;
  if (s->opts.slots_per_method <= 0) s->opts.slots_per_method = NU_DEFAULT_SLOTS;
  atomic_init(&s->shutting_down, false);

  grpc_arg args[2];
  args[0].type = GRPC_ARG_INTEGER;
  args[0].key = GRPC_ARG_ALLOW_REUSEPORT;
  args[0].value.integer = 0; /* a second server must fail to bind, not share */
  args[1].type = GRPC_ARG_INTEGER;
  args[1].key = GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
  args[1].value.integer = opts->max_message_bytes;
  grpc_channel_args channel_args = {2, args};

  s->server = grpc_server_create(&channel_args, NULL);
  s->cqs = calloc((size_t)opts->cq_threads, sizeof(*s->cqs));
  if (s->cqs == NULL) {
    grpc_server_destroy(s->server);
    free(s);
    return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
  }
  s->ncq = opts->cq_threads;
  for (int i = 0; i < s->ncq; i++) {
    s->cqs[i] = grpc_completion_queue_create_for_next(NULL);
    grpc_server_register_completion_queue(s->server, s->cqs[i], NULL);
  }
  s->shutdown_cq = grpc_completion_queue_create_for_next(NULL);
  grpc_server_register_completion_queue(s->server, s->shutdown_cq, NULL);

  /* Everything that can fail comes before the server listens, so that a
   * failure is undone without a call to cancel. */
  const nu_method_table *t = opts->table;
  void **handles = calloc(t->count ? t->count : 1, sizeof(void *));
  size_t per_cq = t->count * (size_t)s->opts.slots_per_method + NU_CATCH_ALL_SLOTS;
  s->nslots = per_cq * (size_t)s->ncq;
  s->slots = calloc(s->nslots, sizeof(nu_slot));
  s->threads = calloc((size_t)s->ncq, sizeof(pthread_t));
  s->workers = nu_workers_new(opts->workers);
  if (handles == NULL || s->slots == NULL || s->threads == NULL || s->workers == NULL) {
    discard(s, handles);
    return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL,
                    "cannot start the server: out of memory or threads");
  }
  for (size_t i = 0; i < t->count; i++) {
    const nu_method *m = &t->rows[i];
    handles[i] = grpc_server_register_method(s->server, m->path, NULL,
                                             m->kind == NU_BIDI_STREAMING
                                                 ? GRPC_SRM_PAYLOAD_NONE
                                                 : GRPC_SRM_PAYLOAD_READ_INITIAL_BYTE_BUFFER,
                                             0);
  }
  /* The queue threads wait for events from now on; none comes before the
   * slots are armed below. */
  for (int i = 0; i < s->ncq; i++) {
    if (pthread_create(&s->threads[i], NULL, cq_main, s->cqs[i]) != 0) {
      discard(s, handles);
      return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL,
                      "cannot start the server: cannot create queue thread %d of %d", i + 1,
                      opts->cq_threads);
    }
    s->nthreads++;
  }

  grpc_server_credentials *creds = grpc_insecure_server_credentials_create();
  *port = grpc_server_add_http2_port(s->server, opts->listen, creds);
  grpc_server_credentials_release(creds);
  if (*port <= 0) {
    discard(s, handles);
    return nu_error(a, NU_UNAVAILABLE, "LISTEN_FAILED",
                    "cannot listen on %s: the address is in use or not available here",
                    opts->listen);
  }
  grpc_server_start(s->server);

  size_t k = 0;
  for (int q = 0; q < s->ncq; q++) {
    for (size_t i = 0; i < t->count; i++) {
      for (int j = 0; j < s->opts.slots_per_method; j++) {
        nu_slot *slot = &s->slots[k++];
        slot->srv = s;
        slot->cq = s->cqs[q];
        slot->method = &t->rows[i];
        slot->registered = handles[i];
        arm_slot(slot);
      }
    }
    for (int j = 0; j < NU_CATCH_ALL_SLOTS; j++) {
      nu_slot *slot = &s->slots[k++];
      slot->srv = s;
      slot->cq = s->cqs[q];
      arm_slot(slot);
    }
  }
  free(handles);
  *out = s;
  return nu_ok();
}

void nu_server_shutdown(nu_server *s, int64_t grace_ns) {
  atomic_store(&s->shutting_down, true);
  int done_tag = 0;
  grpc_server_shutdown_and_notify(s->server, s->shutdown_cq, &done_tag);
  gpr_timespec limit =
      gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_nanos(grace_ns, GPR_TIMESPAN));
  grpc_event ev = grpc_completion_queue_next(s->shutdown_cq, limit, NULL);
  if (ev.type == GRPC_QUEUE_TIMEOUT) {
    nu_log(NU_LOG_WARN, "shutdown grace period over; cancelling the calls still running", NULL);
    if (s->opts.on_grace_over != NULL) s->opts.on_grace_over(s->opts.grace_ctx);
    grpc_server_cancel_all_calls(s->server);
    grpc_completion_queue_next(s->shutdown_cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
  }
  /* Calls are over: their worker jobs too. */
  nu_workers_free(s->workers);
  s->workers = NULL;
  for (int i = 0; i < s->ncq; i++) grpc_completion_queue_shutdown(s->cqs[i]);
  for (int i = 0; i < s->nthreads; i++) pthread_join(s->threads[i], NULL);
  grpc_completion_queue_shutdown(s->shutdown_cq);
  while (
      grpc_completion_queue_next(s->shutdown_cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type !=
      GRPC_QUEUE_SHUTDOWN) {
  }
}

void nu_server_free(nu_server *s) {
  if (s == NULL) return;
  grpc_server_destroy(s->server);
  for (int i = 0; i < s->ncq; i++) grpc_completion_queue_destroy(s->cqs[i]);
  grpc_completion_queue_destroy(s->shutdown_cq);
  nu_workers_free(s->workers);
  free(s->cqs);
  free(s->threads);
  free(s->slots);
  free(s);
}
