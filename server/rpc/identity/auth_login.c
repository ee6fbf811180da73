/*
 * auth_login.c — Login and VerifyLoginCode: password, then (with TOTP) a
 * challenge and a code, then a session.
 *
 * Every refusal is nu_auth_login_failed, whatever the cause, and an unknown
 * login costs one Argon2id check like a known one. The slow check runs
 * outside any transaction; the state it depends on is read again, locked,
 * in the transaction that acts on the outcome.
 */
#include <sodium.h>
#include <string.h>

#include "server/domain/identity/login.h"
#include "server/domain/identity/password_hash.h"
#include "server/domain/totp/recovery.h"
#include "server/rpc/core/rate_limiter.h"
#include "server/rpc/identity/auth_common.h"

nu_status nu_auth_validate_login(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__LoginRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "login", req->login);
  nu_validate_max_len(&v, "login", req->login, NU_EMAIL_MAX);
  nu_validate_required(&v, "password", req->password);
  nu_validate_max_len(&v, "password", req->password, NU_PASSWORD_HASH_MAX_BYTES);
  return nu_validator_result(&v);
}

typedef struct login_arg {
  nu_call *call;
  const char *login;
  const char *rehash_from; /* the hash checked, when it is to be replaced */
  const char *rehash_to;
  nu_login_user user;
  bool found;
  bool passed;         /* second pass: the password matched */
  bool refused;        /* outcome: refused after all */
  const char *account; /* the failed-login bucket: user id, or the login as typed */
  bool blocked;        /* the account's failed logins reached the hourly limit */
  Nuage__V1__LoginResponse *resp;
} login_arg;

/* An unknown login counts under its lower-cased text, a known account
 * under its id (so its login and e-mail share one count). */
static const char *account_of(nu_arena *a, const login_arg *l) {
  if (l->found) return l->user.id;
  char *lower = nu_arena_strdup(a, l->login);
  for (char *p = lower; p != NULL && *p != '\0'; p++) {
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  }
  return lower;
}

static nu_status read_user(nu_conn *c, nu_arena *a, void *p) {
  login_arg *l = p;
  nu_status st = nu_login_find(c, a, l->login, &l->user, &l->found);
  if (!nu_status_is_ok(&st)) return st;
  l->account = account_of(a, l);
  if (l->account == NULL) return nu_rpc_oom(a);
  return nu_rate_login_blocked(l->call, c, l->account, &l->blocked);
}

/* Acts on the password check, with the user's row locked. */
static nu_status after_password(nu_conn *c, nu_arena *a, void *p) {
  login_arg *l = p;
  nu_call *call = l->call;
  int64_t now = nu_rpc_now(call);
  nu_login_user u;
  bool found = false;
  l->refused = true;
  nu_status st = nu_login_get(c, a, l->user.id, true, &u, &found);
  if (!nu_status_is_ok(&st) || !found || !nu_auth_may_sign_in(&u, now)) return st;
  if (!l->passed) return nu_auth_count_failure(call, c, u.id, "user.login_failed");
  if (l->rehash_to != NULL) {
    st = nu_login_rehash(c, a, u.id, l->rehash_from, l->rehash_to);
    if (!nu_status_is_ok(&st)) return st;
  }
  l->refused = false;
  if (!u.totp_enabled) return nu_auth_open_session(call, c, &u, l->resp);
  /* Second step awaited: failures stay counted until a code succeeds. */
  char token[NU_TOKEN_SIZE];
  st = nu_login_challenge_create(c, a, u.id, now, NU_AUTH_CHALLENGE_TTL_NS, token);
  if (!nu_status_is_ok(&st)) return st;
  l->resp->challenge_token = nu_arena_strdup(a, token);
  sodium_memzero(token, sizeof(token));
  l->resp->challenge_expire_time = nu_rpc_timestamp(a, now + NU_AUTH_CHALLENGE_TTL_NS);
  if (l->resp->challenge_token == NULL) return nu_rpc_oom(a);
  return nu_rpc_audit(call, c, NULL, "user.login_challenge", "user", u.id, NULL, 0);
}

nu_status nu_auth_login(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Nuage__V1__LoginRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  /* An e-mail is looked up as it is stored (its domain in A-labels). */
  char form[NU_EMAIL_BUF_SIZE];
  login_arg l = {
      .call = call,
      .login = nu_login_lookup_form(req->login, form, sizeof(form)) == 0 ? form : req->login};
  l.resp = NU_RPC_NEW(a, Nuage__V1__LoginResponse, nuage__v1__login_response__init);
  if (l.resp == NULL) return nu_rpc_oom(a);

  nu_status st = nu_rpc_tx(call, true, read_user, &l);
  if (!nu_status_is_ok(&st)) return st;
  bool rehash = false;
  st = nu_auth_check_password(call, l.found ? l.user.password_hash : NULL, req->password, &l.passed,
                              &rehash);
  if (!nu_status_is_ok(&st)) return st;
  /* The hash was checked all the same: a blocked account answers like a
   * wrong password, in the same time. */
  if (l.blocked) return nu_auth_login_failed(a);
  if (!l.passed) {
    st = nu_rate_login_failed(call, l.account);
    if (!nu_status_is_ok(&st)) return st;
  }
  if (!l.found) return nu_auth_login_failed(a);
  if (rehash) {
    l.rehash_from = l.user.password_hash;
    st = nu_auth_hash_password(call, req->password, &l.rehash_to);
    if (!nu_status_is_ok(&st)) return st;
  }
  st = nu_rpc_tx(call, false, after_password, &l);
  if (!nu_status_is_ok(&st)) return st;
  if (l.refused) return nu_auth_login_failed(a);
  *out = &l.resp->base;
  return nu_ok();
}

nu_status nu_auth_validate_verify_login_code(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__VerifyLoginCodeRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "challenge_token", req->challenge_token);
  nu_validate_max_len(&v, "challenge_token", req->challenge_token, NU_TOKEN_SIZE);
  bool has_code = req->code != NULL && req->code[0] != '\0';
  bool has_recovery = req->recovery_code != NULL && req->recovery_code[0] != '\0';
  if (has_code == has_recovery) {
    nu_validate_fail(&v, "code", "give exactly one of code and recovery_code");
  }
  nu_validate_max_len(&v, "code", req->code, 16);
  nu_validate_max_len(&v, "recovery_code", req->recovery_code, 64);
  return nu_validator_result(&v);
}

typedef struct verify_arg {
  nu_call *call;
  const Nuage__V1__VerifyLoginCodeRequest *req;
  bool refused;
  Nuage__V1__LoginResponse *resp;
} verify_arg;

static nu_status run_verify(nu_conn *c, nu_arena *a, void *p) {
  verify_arg *v = p;
  nu_call *call = v->call;
  const char *token = v->req->challenge_token;
  int64_t now = nu_rpc_now(call);
  const char *user_id = NULL;
  v->refused = true;
  nu_status st = nu_login_challenge_find(c, a, token, strlen(token), now, &user_id);
  if (!nu_status_is_ok(&st) || user_id == NULL) return st;
  /* The user's row, locked: concurrent codes of one user are decided one
   * after the other (and the conditional step write decides regardless). */
  nu_login_user u;
  bool found = false;
  st = nu_login_get(c, a, user_id, true, &u, &found);
  if (!nu_status_is_ok(&st) || !found || !nu_auth_may_sign_in(&u, now) || !u.totp_enabled) {
    return st;
  }
  bool ok = false;
  if (v->req->code != NULL && v->req->code[0] != '\0') {
    st = nu_auth_check_totp(call, c, &u, v->req->code, false, &ok);
  } else {
    st = nu_auth_check_recovery(call, c, &u, v->req->recovery_code, &ok);
  }
  if (!nu_status_is_ok(&st)) return st;
  if (ok) st = nu_login_challenge_use(c, a, token, strlen(token), now, &ok);
  if (!nu_status_is_ok(&st)) return st;
  if (!ok) return nu_auth_count_failure(call, c, u.id, "user.login_failed");
  v->refused = false;
  return nu_auth_open_session(call, c, &u, v->resp);
}

nu_status nu_auth_verify_login_code(nu_call *call, const ProtobufCMessage *msg,
                                    ProtobufCMessage **out) {
  nu_arena *a = nu_call_arena(call);
  verify_arg v = {.call = call, .req = (const void *)msg};
  v.resp = NU_RPC_NEW(a, Nuage__V1__LoginResponse, nuage__v1__login_response__init);
  if (v.resp == NULL) return nu_rpc_oom(a);
  nu_status st = nu_rpc_tx(call, false, run_verify, &v);
  if (!nu_status_is_ok(&st)) return st;
  if (v.refused) return nu_auth_login_failed(a);
  *out = &v.resp->base;
  return nu_ok();
}
