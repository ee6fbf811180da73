/*
 * handler.c — the steps every handler shares: transactions, idempotent
 * creates, organisation scope, audit, etags, page tokens.
 */
#include "server/rpc/core/handler.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/codec/codec.h"
#include "server/codec/secret_fields.h"
#include "server/common/json.h"
#include "server/common/keys.h"
#include "server/store/core/idempotency_store.h"
#include "server/store/core/outbox_store.h"
#include "server/validate/etag.h"

nu_status nu_rpc_oom(nu_arena *a) {
  return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
}

void **nu_rpc_array(nu_arena *a, size_t n) {
  if (n == 0) return NULL;
  return nu_arena_alloc(a, n * sizeof(void *));
}

Google__Protobuf__Timestamp *nu_rpc_timestamp(nu_arena *a, int64_t unix_ns) {
  if (unix_ns == 0) return NULL;
  Google__Protobuf__Timestamp *t =
      NU_RPC_NEW(a, Google__Protobuf__Timestamp, google__protobuf__timestamp__init);
  if (t == NULL) return NULL;
  t->seconds = unix_ns / NU_NS_PER_S;
  t->nanos = (int32_t)(unix_ns % NU_NS_PER_S);
  if (t->nanos < 0) {
    t->nanos += (int32_t)NU_NS_PER_S;
    t->seconds -= 1;
  }
  return t;
}

int64_t nu_rpc_time_us(const Google__Protobuf__Timestamp *t) {
  return t == NULL ? 0 : t->seconds * 1000000 + t->nanos / 1000;
}

int64_t nu_rpc_now(nu_call *call) {
  const nu_app *app = nu_call_app(call);
  return nu_clock_wall_ns(app->clock);
}

nu_status nu_rpc_tx(nu_call *call, bool read_only, nu_tx_fn fn, void *arg) {
  nu_app *app = nu_call_app(call);
  nu_tx_options opts = {.deadline_mono_ns = nu_call_deadline(call), .read_only = read_only};
  return nu_tx_run(app->pool, nu_call_arena(call), &opts, fn, arg);
}

/* ---- idempotent creates ------------------------------------------------ */

typedef struct create_run {
  nu_call *call;
  nu_idem_key key;
  uint8_t hash[NU_IDEM_HASH_BYTES];
  nu_rpc_create_fn fn;
  void *arg;
  ProtobufCMessage *resp;
  /* lookup only (nu_rpc_create_checked_tx): */
  bool found;
  nu_idem_claim_result seen;
} create_run;

static const char *caller_key(nu_arena *a, const nu_principal *p) {
  char buf[160];
  switch (p->kind) {
    case NU_PRINCIPAL_USER: snprintf(buf, sizeof(buf), "user:%s", p->id); break;
    case NU_PRINCIPAL_ACCESS_KEY: snprintf(buf, sizeof(buf), "key:%s", p->access_key_id); break;
    default: return "anonymous";
  }
  return nu_arena_strdup(a, buf);
}

/* What a record found for the key means: the same request gets the
 * recorded reply, another request is refused, an unfinished record is a
 * twin still running. */
static nu_status answer_recorded(create_run *r, nu_arena *a, const nu_idem_claim_result *rec) {
  if (!rec->same_request) {
    nu_status bad = nu_error(a, NU_INVALID_ARGUMENT, "REQUEST_ID_REUSED",
                             "request_id was already used for a different request");
    nu_status_add_violation(a, &bad, "request_id", "already used for a different request");
    return bad;
  }
  if (rec->response == NULL) {
    return nu_error(a, NU_ABORTED, "CONCURRENT_REQUEST", "the same request is still running");
  }
  const ProtobufCMessageDescriptor *rd = nu_call_method(r->call)->response;
  return nu_codec_decode(a, rd, rec->response, rec->response_len, &r->resp);
}

static nu_status run_create(nu_conn *c, nu_arena *a, void *arg) {
  create_run *r = arg;
  r->resp = NULL;
  nu_idem_claim_result claim;
  nu_status st = nu_idem_claim(c, a, &r->key, r->hash, nu_rpc_now(r->call), &claim);
  if (!nu_status_is_ok(&st)) return st;
  if (!claim.claimed) return answer_recorded(r, a, &claim);
  st = r->fn(c, a, r->arg, &r->resp);
  if (!nu_status_is_ok(&st)) return st;
  /* The reply is recorded without its secrets (an access key's secret is
   * shown once): a replay returns everything else. */
  uint8_t *bytes = NULL;
  size_t len = 0;
  st = nu_secret_fields_encode_cleared(a, r->resp, &bytes, &len);
  if (!nu_status_is_ok(&st)) return st;
  return nu_idem_complete(c, a, &r->key, bytes, len);
}

static nu_status run_lookup(nu_conn *c, nu_arena *a, void *arg) {
  create_run *r = arg;
  return nu_idem_lookup(c, a, &r->key, r->hash, &r->found, &r->seen);
}

typedef struct plain_run {
  nu_rpc_create_fn fn;
  void *arg;
  ProtobufCMessage *resp;
} plain_run;

static nu_status run_plain(nu_conn *c, nu_arena *a, void *arg) {
  plain_run *r = arg;
  return r->fn(c, a, r->arg, &r->resp);
}

/* The key and the request digest of a create: BLAKE2b keyed with the
 * server's idempotency subkey, over the request with its secret fields
 * cleared, so that nothing stored can be used to test guesses of a
 * password or a code. */
static nu_status prepare(nu_call *call, const char *request_id, const ProtobufCMessage *req,
                         create_run *r) {
  nu_arena *a = nu_call_arena(call);
  const nu_app *app = nu_call_app(call);
  r->key.caller = caller_key(a, nu_call_principal(call));
  r->key.method = nu_call_method(call)->path;
  r->key.request_id = request_id;
  if (r->key.caller == NULL) return nu_rpc_oom(a);
  uint8_t *bytes = NULL;
  size_t len = 0;
  nu_status st = nu_secret_fields_encode_cleared(a, req, &bytes, &len);
  if (!nu_status_is_ok(&st)) return st;
  uint8_t key[NU_KEY_BYTES];
  if (nu_key_derive(app->secret_key, NU_KEY_IDEMPOTENCY, key) != 0) {
    return nu_error(a, NU_INTERNAL, "KEY_DERIVATION_FAILED",
                    "cannot derive the request digest key");
  }
  crypto_generichash(r->hash, sizeof(r->hash), bytes, len, key, sizeof(key));
  sodium_memzero(key, sizeof(key));
  return nu_ok();
}

nu_status nu_rpc_create_checked_tx(nu_call *call, const char *request_id,
                                   const ProtobufCMessage *req, nu_rpc_check_fn check,
                                   void *check_arg, nu_rpc_create_fn fn, void *arg,
                                   ProtobufCMessage **resp) {
  nu_status st;
  if (request_id == NULL || request_id[0] == '\0') {
    if (check != NULL) {
      st = check(call, check_arg);
      if (!nu_status_is_ok(&st)) return st;
    }
    plain_run p = {.fn = fn, .arg = arg};
    st = nu_rpc_tx(call, false, run_plain, &p);
    if (nu_status_is_ok(&st)) *resp = p.resp;
    return st;
  }
  create_run r = {.call = call, .fn = fn, .arg = arg};
  st = prepare(call, request_id, req, &r);
  if (!nu_status_is_ok(&st)) return st;
  if (check != NULL) {
    /* A recorded request is answered before the check: a retry needs no
     * second code (the first one is spent) and its reply holds no secret. */
    st = nu_rpc_tx(call, true, run_lookup, &r);
    if (!nu_status_is_ok(&st)) return st;
    if (r.found) {
      st = answer_recorded(&r, nu_call_arena(call), &r.seen);
      if (nu_status_is_ok(&st)) *resp = r.resp;
      return st;
    }
    st = check(call, check_arg);
    if (!nu_status_is_ok(&st)) return st;
  }
  st = nu_rpc_tx(call, false, run_create, &r);
  if (nu_status_is_ok(&st)) *resp = r.resp;
  return st;
}

nu_status nu_rpc_create_tx(nu_call *call, const char *request_id, const ProtobufCMessage *req,
                           nu_rpc_create_fn fn, void *arg, ProtobufCMessage **resp) {
  return nu_rpc_create_checked_tx(call, request_id, req, NULL, NULL, fn, arg, resp);
}

/* ---- scope, errors, audit ---------------------------------------------- */

nu_status nu_rpc_not_found(nu_arena *a, const char *what) {
  return nu_error(a, NU_NOT_FOUND, "NOT_FOUND", "%s not found", what);
}

nu_status nu_rpc_scope_org(nu_call *call, const char *org_id, const char **resolved) {
  const nu_principal *p = nu_call_principal(call);
  nu_arena *a = nu_call_arena(call);
  if (org_id == NULL || org_id[0] == '\0') {
    if (p->organization_id == NULL) {
      return nu_error(a, NU_FAILED_PRECONDITION, "NO_ORGANIZATION",
                      "the caller acts for no organization: name one or switch to one");
    }
    *resolved = p->organization_id;
    return nu_ok();
  }
  if (p->platform_operator ||
      (p->organization_id != NULL && strcmp(p->organization_id, org_id) == 0)) {
    *resolved = org_id;
    return nu_ok();
  }
  return nu_rpc_not_found(a, "organization");
}

nu_status nu_rpc_audit(nu_call *call, nu_conn *c, const char *organization_id, const char *action,
                       const char *target_type, const char *target_id,
                       const nu_audit_change *changes, size_t n) {
  nu_audit_event e = {
      .at_ns = nu_rpc_now(call),
      .actor = nu_call_principal(call),
      .organization_id = organization_id,
      .action = action,
      .target_type = target_type,
      .target_id = target_id,
      .changes = changes,
      .change_count = n,
      .request_id = nu_call_request_id(call),
  };
  return nu_audit_append(c, nu_call_arena(call), &e);
}

nu_status nu_rpc_email(nu_call *call, nu_conn *c, const char *recipient, const char *template_name,
                       const char *organization_id, const char *const *kv, size_t n) {
  nu_arena *a = nu_call_arena(call);
  const char *payload = nu_json_object(a, kv, n);
  if (payload == NULL) return nu_rpc_oom(a);
  nu_outbox_message m = {
      .channel = "email",
      .recipient = recipient,
      .template_name = template_name,
      .payload_json = payload,
      .organization_id = organization_id,
      .request_id = nu_call_request_id(call),
      .at_ns = nu_rpc_now(call),
  };
  return nu_outbox_enqueue(c, a, &m, NULL);
}

/* ---- levels, etags ------------------------------------------------------ */

int nu_rpc_level_from_api(Nuage__V1__Level l) {
  switch (l) {
    case NUAGE__V1__LEVEL__LEVEL_NONE: return NU_LEVEL_NONE;
    case NUAGE__V1__LEVEL__LEVEL_VISITOR: return NU_LEVEL_VISITOR;
    case NUAGE__V1__LEVEL__LEVEL_MANAGER: return NU_LEVEL_MANAGER;
    default: return -1;
  }
}

Nuage__V1__Level nu_rpc_level_to_api(nu_level l) {
  switch (l) {
    case NU_LEVEL_NONE: return NUAGE__V1__LEVEL__LEVEL_NONE;
    case NU_LEVEL_VISITOR: return NUAGE__V1__LEVEL__LEVEL_VISITOR;
    case NU_LEVEL_MANAGER: return NUAGE__V1__LEVEL__LEVEL_MANAGER;
  }
  return NUAGE__V1__LEVEL__LEVEL_UNSPECIFIED;
}

const char *nu_rpc_etag(nu_arena *a, int64_t version) { return nu_etag_format(a, version); }

int nu_rpc_etag_parse(const char *etag, int64_t *version) { return nu_etag_parse(etag, version); }

nu_status nu_rpc_stale_etag(nu_arena *a) {
  return nu_error(a, NU_FAILED_PRECONDITION, "ETAG_MISMATCH",
                  "the resource changed since it was read (stale etag): read it again");
}
