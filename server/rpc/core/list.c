/*
 * list.c — the list path of every List RPC (see list.h).
 *
 * The reply is filled through the method's response descriptor, the way
 * page_token.c reads page_token from the request: every List response is
 * one repeated message field of items and next_page_token, so no handler
 * writes its own array loop.
 */
#include "server/rpc/core/list.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "server/rpc/core/handler.h"
#include "server/rpc/core/page_token.h"

int nu_list_page_size(int32_t requested) {
  if (requested <= 0) return NU_LIST_PAGE_DEFAULT;
  return requested > NU_LIST_PAGE_MAX ? NU_LIST_PAGE_MAX : requested;
}

void nu_list_validate(nu_validator *v, nu_call *call, const ProtobufCMessage *req,
                      int32_t page_size) {
  if (page_size < 0) nu_validate_fail(v, "page_size", "must not be negative");
  nu_page_token_validate(v, call, req);
}

const char *nu_list_int64_key(nu_arena *a, int64_t v) { return nu_arena_sprintf(a, "%" PRId64, v); }

int nu_list_int64_parse(const char *text, int64_t *v) {
  if (text == NULL) return -1;
  const char *p = text;
  bool negative = *p == '-';
  if (negative) p++;
  /* What PRId64 writes: no leading zero but for 0 itself, no "-0". */
  if (*p < '0' || *p > '9' || (p[0] == '0' && (p[1] != '\0' || negative))) return -1;
  /* Accumulate towards the negative side, which holds INT64_MIN. */
  int64_t acc = 0;
  for (; *p >= '0' && *p <= '9'; p++) {
    int d = *p - '0';
    if (acc < (INT64_MIN + d) / 10) return -1;
    acc = acc * 10 - d;
  }
  if (*p != '\0') return -1;
  if (!negative && acc == INT64_MIN) return -1;
  *v = negative ? acc : -acc;
  return 0;
}

/* The fields of a List response: its one repeated message field (the
 * items) and next_page_token. */
typedef struct reply_shape {
  const ProtobufCFieldDescriptor *items;
  const ProtobufCFieldDescriptor *next;
} reply_shape;

static int shape_of(const ProtobufCMessageDescriptor *d, reply_shape *s) {
  s->items = NULL;
  s->next = protobuf_c_message_descriptor_get_field_by_name(d, "next_page_token");
  for (unsigned i = 0; i < d->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &d->fields[i];
    if (f->label != PROTOBUF_C_LABEL_REPEATED || f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if (s->items != NULL) return -1;
    s->items = f;
  }
  if (s->items == NULL || s->next == NULL || s->next->type != PROTOBUF_C_TYPE_STRING) return -1;
  return 0;
}

typedef struct list_run {
  const nu_list_spec *spec;
  void *ctx;
  nu_list_page page;
  const void *rows;
  size_t n;
} list_run;

static nu_status fetch_tx(nu_conn *c, nu_arena *a, void *arg) {
  list_run *r = arg;
  r->rows = NULL;
  r->n = 0;
  return r->spec->fetch(c, a, r->ctx, &r->page, &r->rows, &r->n);
}

/* The position of req's page token into r->page (and the spec's ctx). */
static nu_status open_position(nu_call *call, const ProtobufCMessage *req, list_run *r) {
  nu_arena *a = nu_call_arena(call);
  nu_status st = nu_page_token_open(call, req, &r->page.after_key, &r->page.after_id);
  if (!nu_status_is_ok(&st) || r->page.after_id == NULL) return st;
  if (r->spec->int64_key && nu_list_int64_parse(r->page.after_key, &r->page.after_int64) != 0) {
    return nu_page_token_invalid(a);
  }
  if (r->spec->seek != NULL && r->spec->seek(r->ctx, r->page.after_key, r->page.after_id) != 0) {
    return nu_page_token_invalid(a);
  }
  return nu_ok();
}

/* The position of row: the spec's members of it, or its position_of. */
static int position_of(nu_arena *a, const nu_list_spec *spec, const uint8_t *row, const char **key,
                       const char **id) {
  if (spec->position_of != NULL) return spec->position_of(a, row, key, id);
  *id = *(const char *const *)(row + spec->id_at);
  *key = spec->int64_key ? nu_list_int64_key(a, *(const int64_t *)(row + spec->key_at))
                         : *(const char *const *)(row + spec->key_at);
  return *key != NULL ? 0 : -1;
}

/* The reply of the call's method: the first `size` rows fetched and, when
 * there were more, the token after the last of them. */
static nu_status reply(nu_call *call, const ProtobufCMessage *req, const list_run *r, int size,
                       ProtobufCMessage **resp) {
  nu_arena *a = nu_call_arena(call);
  const ProtobufCMessageDescriptor *d = nu_call_method(call)->response;
  reply_shape shape;
  if (shape_of(d, &shape) != 0) {
    return nu_error(a, NU_INTERNAL, "NOT_A_LIST_REPLY",
                    "%s is not a list reply (one repeated message field, next_page_token)",
                    d->name);
  }
  ProtobufCMessage *out = nu_arena_alloc(a, d->sizeof_message);
  if (out == NULL) return nu_rpc_oom(a);
  d->message_init(out);
  size_t shown = r->n > (size_t)size ? (size_t)size : r->n;
  void **items = nu_rpc_array(a, shown);
  if (shown > 0 && items == NULL) return nu_rpc_oom(a);
  const uint8_t *rows = r->rows;
  for (size_t i = 0; i < shown; i++) {
    ProtobufCMessage *m = r->spec->to_api(a, r->ctx, rows + i * r->spec->row_size);
    if (m == NULL) return nu_rpc_oom(a);
    assert(m->descriptor == shape.items->descriptor);
    items[i] = m;
  }
  uint8_t *base = (uint8_t *)out;
  *(void ***)(base + shape.items->offset) = items;
  *(size_t *)(base + shape.items->quantifier_offset) = shown;
  if (r->n > shown) {
    const char *key = NULL, *id = NULL;
    if (position_of(a, r->spec, rows + (shown - 1) * r->spec->row_size, &key, &id) != 0) {
      return nu_rpc_oom(a);
    }
    const char *token = nu_page_token_seal(call, req, key, id);
    if (token == NULL) return nu_rpc_oom(a);
    *(const char **)(base + shape.next->offset) = token;
  }
  *resp = out;
  return nu_ok();
}

nu_status nu_list_run(nu_call *call, const ProtobufCMessage *req, int32_t page_size,
                      const nu_list_spec *spec, void *ctx, ProtobufCMessage **resp) {
  int size = nu_list_page_size(page_size);
  list_run r = {.spec = spec, .ctx = ctx, .page = {.limit = size + 1}};
  nu_status st = open_position(call, req, &r);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_tx(call, true, fetch_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  return reply(call, req, &r, size, resp);
}
