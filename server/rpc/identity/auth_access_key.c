/*
 * auth_access_key.c — RequestAccessKeyCode, CreateAccessKey,
 * ListAccessKeys, RevokeAccessKey.
 *
 * A key acts for the organisation the creating session acts for. Creating
 * one needs the password and a second factor: the TOTP code when TOTP is
 * enabled, otherwise a code e-mailed by RequestAccessKeyCode (DOMAIN.md
 * §1, domain/identity/email_code.h). Its secret is returned by the create
 * call only; the store keeps its SHA-256. CreateAccessKey is idempotent
 * through the generic path (nu_rpc_create_checked_tx): a retry with the
 * same request_id is answered from the record before any credential check
 * (its code is spent) and gets the key without its secret, which the
 * record never holds.
 */
#include <sodium.h>
#include <string.h>

#include "server/rpc/core/list.h"
#include "server/rpc/identity/auth_common.h"
#include "server/store/identity/access_key_code_store.h"
#include "server/store/identity/access_key_store.h"

#define NU_REQUEST_ID_MAX 128

static Nuage__V1__AccessKey *to_api(nu_arena *a, const nu_access_key_row *r) {
  Nuage__V1__AccessKey *k = NU_RPC_NEW(a, Nuage__V1__AccessKey, nuage__v1__access_key__init);
  if (k == NULL) return NULL;
  k->id = (char *)r->id;
  k->organization_id = (char *)(r->organization_id != NULL ? r->organization_id : "");
  k->description = (char *)(r->description != NULL ? r->description : "");
  k->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  k->last_use_time = nu_rpc_timestamp(a, r->last_used_us * 1000);
  k->revoke_time = nu_rpc_timestamp(a, r->revoked_us * 1000);
  return k;
}

/* ---- RequestAccessKeyCode ------------------------------------------------ */

typedef struct code_arg {
  nu_call *call;
  const nu_principal *p;
  int64_t expires_ns;
  bool totp_enabled;
} code_arg;

static nu_status run_request_code(nu_conn *c, nu_arena *a, void *arg) {
  code_arg *k = arg;
  nu_login_user u;
  bool found = false;
  nu_status st = nu_login_get(c, a, k->p->id, true, &u, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "user");
  k->totp_enabled = u.totp_enabled;
  if (u.totp_enabled) return nu_ok();
  int64_t now = nu_rpc_now(k->call);
  k->expires_ns = nu_email_code_expiry(now);
  char code[NU_EMAIL_CODE_SIZE];
  uint8_t hash[NU_EMAIL_CODE_HASH_BYTES];
  nu_email_code_new(code);
  nu_auth_code_hash(nu_call_app(k->call), u.id, code, hash);
  /* Replaces any earlier code: only the newest e-mail works. */
  st = nu_access_key_code_put(c, a, u.id, hash, now, k->expires_ns);
  const char *code_text = nu_arena_strdup(a, code);
  sodium_memzero(code, sizeof(code));
  if (!nu_status_is_ok(&st)) return st;
  if (code_text == NULL) return nu_rpc_oom(a);
  const char *kv[] = {"login", u.login, "code", code_text, "valid_minutes", "10"};
  st = nu_rpc_email(k->call, c, u.email, "access_key_code", NULL, kv, 3);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_audit(k->call, c, NULL, "access_key.code_request", "user", u.id, NULL, 0);
}

nu_status nu_auth_request_access_key_code(nu_call *call, const ProtobufCMessage *msg,
                                          ProtobufCMessage **out) {
  (void)msg;
  nu_arena *a = nu_call_arena(call);
  code_arg k = {.call = call};
  nu_status st = nu_auth_require_session(call, &k.p);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_tx(call, false, run_request_code, &k);
  if (!nu_status_is_ok(&st)) return st;
  if (k.totp_enabled) {
    return nu_error(a, NU_FAILED_PRECONDITION, "TOTP_ENABLED",
                    "TOTP is enabled: create access keys with a TOTP code");
  }
  Nuage__V1__RequestAccessKeyCodeResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__RequestAccessKeyCodeResponse,
                 nuage__v1__request_access_key_code_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  resp->expire_time = nu_rpc_timestamp(a, k.expires_ns);
  *out = &resp->base;
  return nu_ok();
}

/* ---- CreateAccessKey ----------------------------------------------------- */

nu_status nu_auth_validate_create_access_key(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreateAccessKeyRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_max_len(&v, "request_id", req->request_id, NU_REQUEST_ID_MAX);
  nu_validate_max_len(&v, "description", req->description, NU_ACCESS_KEY_DESCRIPTION_MAX);
  nu_validate_required(&v, "password", req->password);
  nu_auth_validate_code(&v, "code", req->code, true);
  return nu_validator_result(&v);
}

typedef struct key_arg {
  nu_call *call;
  const nu_principal *p;
  const Nuage__V1__CreateAccessKeyRequest *req;
  const char *key_id;
  nu_access_key_row row;
  bool found;
} key_arg;

static nu_status check_create(nu_call *call, void *arg) {
  key_arg *k = arg;
  return nu_auth_reauthenticate_factor(call, k->p->id, k->req->password, k->req->code,
                                       NU_AUTH_TOTP_OR_EMAIL_CODE, NULL);
}

static nu_status run_create(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **out) {
  key_arg *k = arg;
  char id[NU_ACCESS_KEY_ID_SIZE];
  char secret[NU_TOKEN_SIZE];
  uint8_t secret_hash[NU_TOKEN_HASH_BYTES];
  nu_access_key_id_new(id);
  nu_token_new(NU_TOKEN_KEY_SECRET, secret);
  nu_token_hash(secret, strlen(secret), secret_hash);
  nu_access_key_new kn = {.id = id,
                          .secret_hash = secret_hash,
                          .user_id = k->p->id,
                          .organization_id = k->p->organization_id,
                          .description = k->req->description,
                          .now_ns = nu_rpc_now(k->call)};
  nu_status st = nu_access_key_create(c, a, &kn, &k->row);
  if (nu_status_is_ok(&st)) {
    st = nu_rpc_audit(k->call, c, k->p->organization_id, "access_key.create", "access_key",
                      k->row.id, NULL, 0);
  }
  Nuage__V1__CreateAccessKeyResponse *resp = NULL;
  if (nu_status_is_ok(&st)) {
    resp = NU_RPC_NEW(a, Nuage__V1__CreateAccessKeyResponse,
                      nuage__v1__create_access_key_response__init);
    if (resp != NULL) {
      resp->access_key = to_api(a, &k->row);
      resp->secret = nu_arena_strdup(a, secret);
    }
    if (resp == NULL || resp->access_key == NULL || resp->secret == NULL) st = nu_rpc_oom(a);
  }
  sodium_memzero(secret, sizeof(secret));
  if (nu_status_is_ok(&st)) *out = &resp->base;
  return st;
}

nu_status nu_auth_create_access_key(nu_call *call, const ProtobufCMessage *msg,
                                    ProtobufCMessage **out) {
  const Nuage__V1__CreateAccessKeyRequest *req = (const void *)msg;
  key_arg k = {.call = call, .req = req};
  nu_status st = nu_auth_require_session(call, &k.p);
  if (!nu_status_is_ok(&st)) return st;
  if (k.p->organization_id == NULL) {
    return nu_error(nu_call_arena(call), NU_FAILED_PRECONDITION, "NO_ORGANIZATION",
                    "an access key acts for an organization; this session acts for none");
  }
  return nu_rpc_create_checked_tx(call, req->request_id, msg, check_create, &k, run_create, &k,
                                  out);
}

/* ---- ListAccessKeys, RevokeAccessKey --------------------------------------- */

nu_status nu_auth_validate_list_access_keys(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListAccessKeysRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status fetch_keys(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                            const void **rows, size_t *n) {
  const nu_principal *const *p = ctx; /* the caller */
  nu_access_key_row *keys = NULL;
  nu_status st =
      nu_access_key_list(c, a, (*p)->id, page->after_int64, page->after_id, page->limit, &keys, n);
  *rows = keys;
  return st;
}

static ProtobufCMessage *key_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__AccessKey *k = to_api(a, row);
  return k != NULL ? &k->base : NULL;
}

static const nu_list_spec kKeyList = {
    .row_size = sizeof(nu_access_key_row),
    NU_LIST_KEY_INT64(nu_access_key_row, created_us),
    NU_LIST_ID(nu_access_key_row, id),
    .fetch = fetch_keys,
    .to_api = key_api,
};

nu_status nu_auth_list_access_keys(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **out) {
  const Nuage__V1__ListAccessKeysRequest *req = (const void *)msg;
  /* An access key may list its owner's keys (read only, nothing secret). */
  const nu_principal *p = nu_call_principal(call);
  return nu_list_run(call, msg, req->page_size, &kKeyList, &p, out);
}

nu_status nu_auth_validate_revoke_access_key(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RevokeAccessKeyRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "access_key_id", req->access_key_id);
  nu_validate_max_len(&v, "access_key_id", req->access_key_id, NU_ACCESS_KEY_ID_SIZE - 1);
  return nu_validator_result(&v);
}

static nu_status run_revoke(nu_conn *c, nu_arena *a, void *arg) {
  key_arg *k = arg;
  nu_status st =
      nu_access_key_revoke(c, a, k->p->id, k->key_id, nu_rpc_now(k->call), &k->row, &k->found);
  if (!nu_status_is_ok(&st) || !k->found) return st;
  return nu_rpc_audit(k->call, c, k->row.organization_id, "access_key.revoke", "access_key",
                      k->key_id, NULL, 0);
}

nu_status nu_auth_revoke_access_key(nu_call *call, const ProtobufCMessage *msg,
                                    ProtobufCMessage **out) {
  const Nuage__V1__RevokeAccessKeyRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  key_arg k = {.call = call, .p = nu_call_principal(call), .key_id = req->access_key_id};
  nu_status st = nu_rpc_tx(call, false, run_revoke, &k);
  if (!nu_status_is_ok(&st)) return st;
  if (!k.found) return nu_rpc_not_found(a, "access key");
  Nuage__V1__AccessKey *resp = to_api(a, &k.row);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}
