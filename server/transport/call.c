/*
 * call.c — one call from match to free: the request path.
 *
 *   metadata → deadline, request id   (here)
 *   dispatch  → the slot already names the method row
 *   codec     → decode the request into the arena
 *   auth      → principal, then the row's permission
 *   validate  → the row's validator
 *   rpc       → the row's handler
 *   transport → reply, status + details, log line, free the arena
 *
 * Unary calls finish with one batch. Streaming calls keep a RECV_CLOSE op
 * pending to learn when the client goes away, and a reference per batch;
 * the call is freed when the last batch completes.
 */
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "server/codec/codec.h"
#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/common/net_address.h"
#include "server/domain/deadline.h"
#include "server/transport/internal.h"

#define NU_MAX_REQUEST_ID 128
#define NU_MAX_LOGGED_PATH 256

/* ---- small helpers ---------------------------------------------------- */

static int64_t now_ns(void) { return nu_clock_mono_ns(nu_clock_system()); }

static const grpc_slice *find_md(const grpc_metadata_array *md, const char *key) {
  for (size_t i = 0; i < md->count; i++) {
    if (grpc_slice_str_cmp(md->metadata[i].key, key) == 0) return &md->metadata[i].value;
  }
  return NULL;
}

static bool valid_request_id(const grpc_slice *v) {
  size_t n = GRPC_SLICE_LENGTH(*v);
  if (n == 0 || n > NU_MAX_REQUEST_ID) return false;
  const unsigned char *p = GRPC_SLICE_START_PTR(*v);
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = p[i];
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_' || ch == '.' || ch == ':';
    if (!ok) return false;
  }
  return true;
}

/* splitmix64: a request id needs to be unique, not unpredictable, and a
 * getrandom(2) per call costs as much as serving a Health/Check. Each
 * thread seeds its own generator once. */
static uint64_t next_random(void) {
  static _Thread_local uint64_t state;
  static _Thread_local bool seeded;
  if (!seeded) {
    if (getrandom(&state, sizeof(state), 0) != (ssize_t)sizeof(state)) {
      state = (uint64_t)now_ns() ^ (uint64_t)(uintptr_t)&state;
    }
    seeded = true;
  }
  uint64_t z = (state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static const char *new_request_id(nu_arena *a) {
  unsigned char raw[16];
  uint64_t hi = next_random(), lo = next_random();
  memcpy(raw, &hi, sizeof(hi));
  memcpy(raw + 8, &lo, sizeof(lo));
  static const char hex[] = "0123456789abcdef";
  char *id = nu_arena_alloc(a, 33);
  if (id == NULL) return "";
  for (int i = 0; i < 16; i++) {
    id[2 * i] = hex[raw[i] >> 4];
    id[2 * i + 1] = hex[raw[i] & 15];
  }
  id[32] = '\0';
  return id;
}

static char *slice_to_arena(nu_arena *a, grpc_slice s, size_t max) {
  size_t n = GRPC_SLICE_LENGTH(s);
  if (n > max) n = max;
  return nu_arena_strndup(a, (const char *)GRPC_SLICE_START_PTR(s), n);
}

/* The effective client: the direct peer, or the client a trusted proxy
 * names in x-forwarded-for (every such header, in order, as one list). */
static void resolve_client(nu_call *c, const char *peer) {
  c->peer = nu_arena_strdup(c->arena, peer);
  c->client_key = "";
  nu_ip direct;
  if (c->peer == NULL || nu_ip_from_grpc_peer(peer, &direct) != 0) return;
  const char *xff = NULL;
  size_t xff_len = 0;
  const nu_cidr_list *trusted = c->srv->opts.trusted_proxies;
  if (nu_cidr_list_contains(trusted, &direct)) {
    for (size_t i = 0; i < c->md.count; i++) {
      if (grpc_slice_str_cmp(c->md.metadata[i].key, "x-forwarded-for") != 0) continue;
      grpc_slice v = c->md.metadata[i].value;
      const char *part = (const char *)GRPC_SLICE_START_PTR(v);
      size_t n = GRPC_SLICE_LENGTH(v);
      xff = xff == NULL ? nu_arena_strndup(c->arena, part, n)
                        : nu_arena_sprintf(c->arena, "%s,%.*s", xff, (int)n, part);
      if (xff == NULL) return;
      xff_len = strlen(xff);
    }
  }
  nu_ip client;
  bool forwarded = false;
  nu_ip_effective_client(&direct, xff, xff_len, trusted, &client, &forwarded);
  char key[NU_IP_TEXT_MAX];
  nu_ip_limit_key(&client, key);
  c->client_key = nu_arena_strdup(c->arena, key);
  if (c->client_key == NULL) c->client_key = "";
  if (forwarded) {
    char text[NU_IP_TEXT_MAX + 8];
    nu_ip_format_peer(&client, text);
    const char *p = nu_arena_strdup(c->arena, text);
    if (p != NULL) c->peer = p;
  }
}

/* ---- lifetime --------------------------------------------------------- */

static void call_free(nu_call *c) {
  if (c->call != NULL) grpc_call_unref(c->call);
  grpc_metadata_array_destroy(&c->md);
  if (c->payload != NULL) grpc_byte_buffer_destroy(c->payload);
  grpc_slice_unref(c->status_message);
  grpc_slice_unref(c->status_details);
  pthread_mutex_destroy(&c->mu);
  nu_arena_free(c->arena);
  free(c);
}

static void call_unref(nu_call *c) {
  pthread_mutex_lock(&c->mu);
  bool last = --c->refs == 0;
  pthread_mutex_unlock(&c->mu);
  if (last) call_free(c);
}

static void log_call(nu_call *c) {
  const nu_status *st = &c->final_status;
  nu_rpc_log line = {
      .method = c->path,
      .peer = c->peer,
      .request_id = c->request_id,
      .principal = c->principal.id,
      .code = (int)st->code,
      .code_name = nu_code_name(st->code),
      .reason = st->reason,
      .duration_ns = now_ns() - c->start_ns,
      .error = st->code == NU_OK ? NULL : st->message,
  };
  nu_log_rpc(&line);
}

static void on_finish_done(nu_tag *tag, bool ok) {
  nu_call *c = (nu_call *)((char *)tag - offsetof(nu_call, finish_tag));
  (void)ok;
  if (c->cancelled && c->final_status.code == NU_OK) {
    /* The reply never reached the client: log what the client saw. */
    c->final_status =
        nu_error(c->arena, NU_CANCELLED, NULL, "the call was cancelled before its reply was sent");
  }
  log_call(c);
  call_unref(c);
}

/* ---- sending the status ----------------------------------------------- */

static void fill_initial_md(nu_call *c, grpc_op *op) {
  c->initial_md[0].key = grpc_slice_from_static_string("x-request-id");
  c->initial_md[0].value = grpc_slice_from_static_string(c->request_id);
  memset(op, 0, sizeof(*op));
  op->op = GRPC_OP_SEND_INITIAL_METADATA;
  op->data.send_initial_metadata.count = 1;
  op->data.send_initial_metadata.metadata = c->initial_md;
}

/* Fills the SEND_STATUS op from c->final_status; slices live in c until
 * the call is freed. */
static void fill_status_op(nu_call *c, grpc_op *op) {
  const nu_status *st = &c->final_status;
  memset(op, 0, sizeof(*op));
  op->op = GRPC_OP_SEND_STATUS_FROM_SERVER;
  op->data.send_status_from_server.status = (grpc_status_code)st->code;
  if (st->code != NU_OK) {
    c->status_message = grpc_slice_from_copied_string(st->message != NULL ? st->message : "");
    op->data.send_status_from_server.status_details = &c->status_message;
    uint8_t *bytes = NULL;
    size_t len = 0;
    nu_status enc = nu_codec_status_details(c->arena, st, &bytes, &len);
    if (nu_status_is_ok(&enc)) {
      c->status_details = grpc_slice_from_copied_buffer((const char *)bytes, len);
      c->trailing_md[0].key = grpc_slice_from_static_string("grpc-status-details-bin");
      c->trailing_md[0].value = c->status_details;
      op->data.send_status_from_server.trailing_metadata_count = 1;
      op->data.send_status_from_server.trailing_metadata = c->trailing_md;
    }
  }
}

static grpc_byte_buffer *pack_message(nu_call *c, const ProtobufCMessage *msg, nu_status *st) {
  uint8_t *bytes = NULL;
  size_t len = 0;
  *st = nu_codec_encode(c->arena, msg, &bytes, &len);
  if (!nu_status_is_ok(st)) return NULL;
  grpc_slice slice = grpc_slice_from_copied_buffer((const char *)bytes, len);
  grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&slice, 1);
  grpc_slice_unref(slice);
  return bb;
}

/* Ends a unary (or unknown) call: initial metadata, the reply if OK, the
 * status, and the close, in one batch. */
static void finish_unary(nu_call *c, nu_status st, const ProtobufCMessage *resp) {
  grpc_op ops[4];
  size_t n = 0;
  grpc_byte_buffer *reply = NULL;
  if (st.code == NU_OK && resp != NULL) {
    reply = pack_message(c, resp, &st);
  }
  if (st.code == NU_OK && nu_deadline_passed(c->deadline_ns, now_ns())) {
    st = nu_error(c->arena, NU_DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                  "the call's deadline passed before it completed");
    if (reply != NULL) {
      grpc_byte_buffer_destroy(reply);
      reply = NULL;
    }
  }
  c->final_status = st;
  fill_initial_md(c, &ops[n++]);
  if (reply != NULL) {
    memset(&ops[n], 0, sizeof(ops[n]));
    ops[n].op = GRPC_OP_SEND_MESSAGE;
    ops[n].data.send_message.send_message = reply;
    n++;
  }
  fill_status_op(c, &ops[n++]);
  memset(&ops[n], 0, sizeof(ops[n]));
  ops[n].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  ops[n].data.recv_close_on_server.cancelled = &c->cancelled;
  n++;
  c->finished = true;
  c->finish_tag.fn = on_finish_done;
  grpc_call_error err = grpc_call_start_batch(c->call, ops, n, &c->finish_tag, NULL);
  /* Core copies the message reference at batch start. */
  if (reply != NULL) grpc_byte_buffer_destroy(reply);
  if (err != GRPC_CALL_OK) {
    nu_log(NU_LOG_ERROR, "start_batch failed", "method", c->path, NULL);
    c->final_status = nu_error(c->arena, NU_INTERNAL, NULL, "start_batch failed");
    on_finish_done(&c->finish_tag, false);
  }
}

/* ---- the request path ------------------------------------------------- */

static nu_status read_payload(nu_call *c, grpc_byte_buffer *bb, ProtobufCMessage **out) {
  grpc_byte_buffer_reader reader;
  if (!grpc_byte_buffer_reader_init(&reader, bb)) {
    return nu_error(c->arena, NU_INVALID_ARGUMENT, "MALFORMED_REQUEST",
                    "request could not be read");
  }
  grpc_slice all = grpc_byte_buffer_reader_readall(&reader);
  grpc_byte_buffer_reader_destroy(&reader);
  nu_status st = nu_codec_decode(c->arena, c->method->request, GRPC_SLICE_START_PTR(all),
                                 GRPC_SLICE_LENGTH(all), out);
  grpc_slice_unref(all);
  return st;
}

/* The request read with the call (unary and server-streaming methods). */
static nu_status decode_request(nu_call *c, ProtobufCMessage **req) {
  if (c->payload == NULL) {
    return nu_error(c->arena, NU_INVALID_ARGUMENT, "MISSING_REQUEST",
                    "the call carried no request message");
  }
  return read_payload(c, c->payload, req);
}

static nu_status check_caller(nu_call *c) {
  const grpc_slice *authz = find_md(&c->md, "authorization");
  /* Resolving a credential reads the database; a public method served on
   * the completion-queue thread (health) must not block, and needs no
   * caller: it is served as to an anonymous one. */
  if (c->method->access == NU_ACCESS_PUBLIC && c->method->run_on == NU_RUN_INLINE) authz = NULL;
  nu_status st = nu_auth_authenticate(
      c->srv->opts.auth, authz ? (const char *)GRPC_SLICE_START_PTR(*authz) : NULL,
      authz ? GRPC_SLICE_LENGTH(*authz) : 0, c->deadline_ns, c->arena, &c->principal);
  if (!nu_status_is_ok(&st)) return st;
  return nu_auth_authorize(c->method, &c->principal, c->arena);
}

/* Per-address limits count the call before credentials or handlers run
 * (both read the database): a refused call costs one upsert. */
static nu_status check_rate(nu_call *c) {
  const nu_rate_limiter *l = c->srv->opts.limiter;
  if (c->method->rate_limit == NU_RATE_NONE || l == NULL || l->check == NULL) return nu_ok();
  return l->check(l->ctx, c->method, c->client_key, c->deadline_ns, c->arena);
}

static void run_unary(void *arg) {
  nu_call *c = arg;
  ProtobufCMessage *req = NULL;
  ProtobufCMessage *resp = NULL;
  nu_status st;
  if (nu_deadline_passed(c->deadline_ns, now_ns())) {
    st = nu_error(c->arena, NU_DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                  "the call's deadline passed before it was served");
    goto done;
  }
  /* Only parsing precedes authorisation (AIP-211): a caller without rights
   * learns nothing about the validity of its request. */
  st = decode_request(c, &req);
  if (!nu_status_is_ok(&st)) goto done;
  st = check_rate(c);
  if (!nu_status_is_ok(&st)) goto done;
  st = check_caller(c);
  if (!nu_status_is_ok(&st)) goto done;
  if (c->method->validate != NULL) {
    st = c->method->validate(c, req);
    if (!nu_status_is_ok(&st)) goto done;
  }
  st = c->method->unary(c, req, &resp);
done:
  finish_unary(c, st, resp);
}

static void on_close_done(nu_tag *tag, bool ok) {
  nu_call *c = (nu_call *)((char *)tag - offsetof(nu_call, close_tag));
  (void)ok;
  pthread_mutex_lock(&c->mu);
  c->closed = true;
  nu_call_closed_fn fn = c->on_closed;
  void *arg = c->closed_arg;
  c->on_closed = NULL;
  pthread_mutex_unlock(&c->mu);
  if (fn != NULL) fn(c, arg);
  call_unref(c);
}

static void begin_stream(nu_call *c) {
  grpc_op op;
  memset(&op, 0, sizeof(op));
  op.op = GRPC_OP_RECV_CLOSE_ON_SERVER;
  op.data.recv_close_on_server.cancelled = &c->cancelled;
  c->close_tag.fn = on_close_done;
  c->refs++;
  if (grpc_call_start_batch(c->call, &op, 1, &c->close_tag, NULL) != GRPC_CALL_OK) {
    c->refs--;
    nu_call_finish(c, nu_error(c->arena, NU_INTERNAL, NULL, "could not watch the call"));
    return;
  }
  ProtobufCMessage *req = NULL;
  nu_status st = nu_ok();
  if (c->method->kind == NU_SERVER_STREAMING) st = decode_request(c, &req);
  if (nu_status_is_ok(&st)) st = check_rate(c);
  if (nu_status_is_ok(&st)) st = check_caller(c);
  if (nu_status_is_ok(&st) && req != NULL && c->method->validate != NULL) {
    st = c->method->validate(c, req);
  }
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(c, st);
    return;
  }
  c->method->stream(c, req);
}

void nu_call_begin(nu_server *srv, nu_slot *slot) {
  nu_call *c = calloc(1, sizeof(*c));
  nu_arena *a = nu_arena_new();
  if (c == NULL || a == NULL) {
    /* Out of memory: drop the call; the client sees it cancelled. */
    free(c);
    nu_arena_free(a);
    grpc_call_cancel(slot->call, NULL);
    grpc_call_unref(slot->call);
    grpc_metadata_array_destroy(&slot->md);
    if (slot->payload != NULL) grpc_byte_buffer_destroy(slot->payload);
    grpc_call_details_destroy(&slot->details);
    return;
  }
  c->start_ns = now_ns();
  c->srv = srv;
  c->arena = a;
  c->call = slot->call;
  c->cq = slot->cq;
  c->method = slot->method;
  c->md = slot->md; /* moved: the slot gets a fresh array when re-armed */
  c->payload = slot->payload;
  c->status_message = grpc_empty_slice();
  c->status_details = grpc_empty_slice();
  c->refs = 1;
  pthread_mutex_init(&c->mu, NULL);

  char *peer = grpc_call_get_peer(c->call);
  resolve_client(c, peer != NULL ? peer : "");
  gpr_free(peer);

  const grpc_slice *rid = find_md(&c->md, "x-request-id");
  c->request_id = (rid != NULL && valid_request_id(rid))
                      ? slice_to_arena(a, *rid, NU_MAX_REQUEST_ID)
                      : new_request_id(a);

  gpr_timespec deadline = gpr_convert_clock_type(slot->deadline, GPR_CLOCK_MONOTONIC);
  bool has_deadline = gpr_time_cmp(slot->deadline, gpr_inf_future(slot->deadline.clock_type)) != 0;
  int64_t remaining = 0;
  if (has_deadline) {
    gpr_timespec left = gpr_time_sub(deadline, gpr_now(GPR_CLOCK_MONOTONIC));
    /* grpc-timeout allows millennia; nanoseconds overflow past ~292 years.
     * A year is as good as forever for one call. */
    const int64_t year_s = INT64_C(365) * 24 * 3600;
    remaining =
        left.tv_sec > year_s ? year_s * NU_NS_PER_S : left.tv_sec * NU_NS_PER_S + left.tv_nsec;
  }

  if (slot->method == NULL) {
    c->path = slice_to_arena(a, slot->details.method, NU_MAX_LOGGED_PATH);
    grpc_call_details_destroy(&slot->details);
    c->deadline_ns =
        nu_deadline_resolve(c->start_ns, has_deadline, remaining, srv->opts.default_deadline_ns);
    finish_unary(c, nu_error(a, NU_UNIMPLEMENTED, "UNKNOWN_METHOD", "unknown method %s", c->path),
                 NULL);
    return;
  }
  c->path = slot->method->path;
  if (slot->method->kind == NU_UNARY) {
    c->deadline_ns =
        nu_deadline_resolve(c->start_ns, has_deadline, remaining, srv->opts.default_deadline_ns);
    if (slot->method->run_on == NU_RUN_INLINE ||
        nu_workers_submit(srv->workers, run_unary, c) != 0) {
      run_unary(c);
    }
    return;
  }
  /* Streams last as long as the client wants unless it set a deadline. */
  c->deadline_ns = has_deadline ? nu_deadline_resolve(c->start_ns, true, remaining, 0) : INT64_MAX;
  begin_stream(c);
}

/* ---- the streaming API ------------------------------------------------ */

nu_arena *nu_call_arena(nu_call *c) { return c->arena; }
const nu_method *nu_call_method(const nu_call *c) { return c->method; }
const char *nu_call_request_id(const nu_call *c) { return c->request_id; }
const char *nu_call_peer(const nu_call *c) { return c->peer; }
const nu_principal *nu_call_principal(const nu_call *c) { return &c->principal; }
int64_t nu_call_deadline(const nu_call *c) { return c->deadline_ns; }
void *nu_call_app(const nu_call *c) { return c->srv->opts.app; }

static void on_send_done(nu_tag *tag, bool ok) {
  nu_call *c = (nu_call *)((char *)tag - offsetof(nu_call, send_tag));
  pthread_mutex_lock(&c->mu);
  grpc_byte_buffer *bb = c->send_buf;
  c->send_buf = NULL;
  nu_call_sent_fn fn = c->on_sent;
  void *arg = c->sent_arg;
  c->send_pending = false;
  pthread_mutex_unlock(&c->mu);
  if (bb != NULL) grpc_byte_buffer_destroy(bb);
  if (fn != NULL) fn(c, arg, ok);
  call_unref(c);
}

int nu_call_send(nu_call *c, const ProtobufCMessage *msg, nu_call_sent_fn on_sent, void *arg) {
  pthread_mutex_lock(&c->mu);
  if (c->finished || c->send_pending) {
    pthread_mutex_unlock(&c->mu);
    return -1;
  }
  nu_status st;
  grpc_byte_buffer *bb = pack_message(c, msg, &st);
  if (bb == NULL) {
    pthread_mutex_unlock(&c->mu);
    return -1;
  }
  grpc_op ops[2];
  size_t n = 0;
  if (!c->initial_md_sent) {
    fill_initial_md(c, &ops[n++]);
    c->initial_md_sent = true;
  }
  memset(&ops[n], 0, sizeof(ops[n]));
  ops[n].op = GRPC_OP_SEND_MESSAGE;
  ops[n].data.send_message.send_message = bb;
  n++;
  c->send_buf = bb;
  c->on_sent = on_sent;
  c->sent_arg = arg;
  c->send_pending = true;
  c->send_tag.fn = on_send_done;
  c->refs++;
  grpc_call_error err = grpc_call_start_batch(c->call, ops, n, &c->send_tag, NULL);
  if (err != GRPC_CALL_OK) {
    c->refs--;
    c->send_pending = false;
    c->send_buf = NULL;
    pthread_mutex_unlock(&c->mu);
    grpc_byte_buffer_destroy(bb);
    return -1;
  }
  pthread_mutex_unlock(&c->mu);
  return 0;
}

static void on_recv_done(nu_tag *tag, bool ok) {
  nu_call *c = (nu_call *)((char *)tag - offsetof(nu_call, recv_tag));
  pthread_mutex_lock(&c->mu);
  grpc_byte_buffer *bb = c->recv_buf;
  c->recv_buf = NULL;
  nu_call_recv_fn fn = c->on_recv;
  void *arg = c->recv_arg;
  c->recv_pending = false;
  pthread_mutex_unlock(&c->mu);
  ProtobufCMessage *msg = NULL;
  nu_status st = nu_ok();
  if (ok && bb != NULL) st = read_payload(c, bb, &msg);
  if (bb != NULL) grpc_byte_buffer_destroy(bb);
  fn(c, arg, msg, st);
  call_unref(c);
}

int nu_call_recv(nu_call *c, nu_call_recv_fn on_msg, void *arg) {
  pthread_mutex_lock(&c->mu);
  if (c->finished || c->recv_pending) {
    pthread_mutex_unlock(&c->mu);
    return -1;
  }
  grpc_op op;
  memset(&op, 0, sizeof(op));
  op.op = GRPC_OP_RECV_MESSAGE;
  op.data.recv_message.recv_message = &c->recv_buf;
  c->on_recv = on_msg;
  c->recv_arg = arg;
  c->recv_pending = true;
  c->recv_tag.fn = on_recv_done;
  c->refs++;
  if (grpc_call_start_batch(c->call, &op, 1, &c->recv_tag, NULL) != GRPC_CALL_OK) {
    c->refs--;
    c->recv_pending = false;
    pthread_mutex_unlock(&c->mu);
    return -1;
  }
  pthread_mutex_unlock(&c->mu);
  return 0;
}

void nu_call_on_closed(nu_call *c, nu_call_closed_fn fn, void *arg) {
  pthread_mutex_lock(&c->mu);
  bool already = c->closed;
  if (!already) {
    c->on_closed = fn;
    c->closed_arg = arg;
  }
  pthread_mutex_unlock(&c->mu);
  if (already) fn(c, arg);
}

int nu_call_finish(nu_call *c, nu_status st) {
  pthread_mutex_lock(&c->mu);
  if (c->finished) {
    pthread_mutex_unlock(&c->mu);
    return -1;
  }
  c->finished = true;
  c->final_status = st;
  grpc_op ops[2];
  size_t n = 0;
  if (!c->initial_md_sent) {
    fill_initial_md(c, &ops[n++]);
    c->initial_md_sent = true;
  }
  fill_status_op(c, &ops[n++]);
  c->finish_tag.fn = on_finish_done;
  grpc_call_error err = grpc_call_start_batch(c->call, ops, n, &c->finish_tag, NULL);
  pthread_mutex_unlock(&c->mu);
  if (err != GRPC_CALL_OK) {
    /* A send may still be pending (core allows one per kind at a time);
     * cancel so every op completes, then release our reference. */
    grpc_call_cancel(c->call, NULL);
    on_finish_done(&c->finish_tag, false);
  }
  return 0;
}
