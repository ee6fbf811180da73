/*
 * auth_common.c — the pieces every AuthService handler shares.
 */
#include "server/rpc/identity/auth_common.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "server/common/keys.h"
#include "server/common/log.h"
#include "server/domain/identity/lockout.h"
#include "server/domain/identity/password_hash.h"
#include "server/domain/identity/password_policy.h"
#include "server/domain/identity/user_status.h"
#include "server/domain/totp/recovery.h"
#include "server/domain/totp/secret_box.h"
#include "server/domain/totp/totp.h"
#include "server/store/identity/access_key_code_store.h"
#include "server/store/identity/credential_store.h"

nu_status nu_auth_login_failed(nu_arena *a) {
  return nu_error(a, NU_UNAUTHENTICATED, "LOGIN_FAILED",
                  "login failed: unknown login, wrong password or code, or the account cannot "
                  "sign in now");
}

nu_status nu_auth_reauth_failed(nu_arena *a) {
  return nu_error(a, NU_PERMISSION_DENIED, "REAUTHENTICATION_FAILED",
                  "wrong password or code, or the login is locked");
}

nu_status nu_auth_require_session(nu_call *call, const nu_principal **p) {
  const nu_principal *pr = nu_call_principal(call);
  if (pr == NULL || pr->kind != NU_PRINCIPAL_USER || pr->session_id == NULL) {
    return nu_error(nu_call_arena(call), NU_PERMISSION_DENIED, "SESSION_REQUIRED",
                    "this method needs a user session, not an access key");
  }
  *p = pr;
  return nu_ok();
}

/* The dummy hash checked for unknown accounts: made once with the server's
 * own parameters, so that it costs what a real check costs. */
static pthread_mutex_t dummy_mu = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[crypto_pwhash_STRBYTES];
static bool dummy_ready;

/* The memory bound made visible: each time the most Argon2 computations
 * seen at once grows, one log line says so ("password hasher peak
 * concurrency", field "peak"). bench/login_bench.sh reads the last one. */
static atomic_uint peak_logged;

static void log_peak(const nu_app *app) {
  unsigned peak = nu_password_hasher_peak_concurrency(app->hasher);
  unsigned seen = atomic_load(&peak_logged);
  while (peak > seen) {
    if (atomic_compare_exchange_weak(&peak_logged, &seen, peak)) {
      char text[16];
      snprintf(text, sizeof(text), "%u", peak);
      nu_log(NU_LOG_INFO, "password hasher peak concurrency", "peak", text, NULL);
      return;
    }
  }
}

static nu_status dummy(nu_call *call, const char **out) {
  nu_app *app = nu_call_app(call);
  nu_status st = nu_ok();
  pthread_mutex_lock(&dummy_mu);
  if (!dummy_ready) {
    static const char pw[] = "not a password of anyone";
    int rc = nu_password_hash(pw, sizeof(pw) - 1, app->hasher, nu_call_deadline(call), dummy_hash);
    if (rc == NU_PASSWORD_HASH_OK) {
      dummy_ready = true;
    } else {
      st = nu_auth_hash_error(nu_call_arena(call), rc);
    }
  }
  pthread_mutex_unlock(&dummy_mu);
  *out = dummy_hash;
  return st;
}

nu_status nu_auth_check_password(nu_call *call, const char *stored, const char *password, bool *ok,
                                 bool *needs_rehash) {
  nu_app *app = nu_call_app(call);
  bool rehash = false;
  *ok = false;
  if (needs_rehash != NULL) *needs_rehash = false;
  const char *against = stored;
  if (against == NULL) {
    nu_status st = dummy(call, &against);
    if (!nu_status_is_ok(&st)) return st;
  }
  int rc = nu_password_verify(against, password, strlen(password), app->hasher,
                              nu_call_deadline(call), &rehash);
  log_peak(app);
  if (rc < 0) return nu_auth_hash_error(nu_call_arena(call), rc);
  *ok = rc == NU_PASSWORD_HASH_OK && stored != NULL;
  if (needs_rehash != NULL) *needs_rehash = *ok && rehash;
  return nu_ok();
}

bool nu_auth_may_sign_in(const nu_login_user *u, int64_t now_ns) {
  return nu_user_may_sign_in(nu_user_state_parse(u->status)) &&
         !nu_lockout_is_locked(u->locked_until_ns, now_ns);
}

nu_status nu_auth_count_failure(nu_call *call, nu_conn *c, const char *user_id,
                                const char *action) {
  nu_arena *a = nu_call_arena(call);
  int64_t now = nu_rpc_now(call);
  nu_login_user u;
  bool found = false;
  nu_status st = nu_login_get(c, a, user_id, true, &u, &found);
  if (!nu_status_is_ok(&st) || !found) return st;
  if (nu_lockout_is_locked(u.locked_until_ns, now)) return nu_ok();
  nu_lockout_decision d = nu_lockout_after_failure(u.failed_attempts, now);
  st = nu_login_set_failures(c, a, user_id, d.failures, d.locked_until_ns);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"locked", NULL, d.locked_until_ns > 0 ? "true" : NULL}};
  return nu_rpc_audit(call, c, NULL, action, "user", user_id, ch, d.locked_until_ns > 0 ? 1 : 0);
}

typedef struct failure_arg {
  nu_call *call;
  const char *user_id;
  const char *action;
} failure_arg;

static nu_status run_failure(nu_conn *c, nu_arena *a, void *p) {
  (void)a;
  failure_arg *f = p;
  return nu_auth_count_failure(f->call, c, f->user_id, f->action);
}

nu_status nu_auth_count_failure_tx(nu_call *call, const char *user_id, const char *action) {
  failure_arg f = {call, user_id, action};
  return nu_rpc_tx(call, false, run_failure, &f);
}

nu_status nu_auth_check_totp(nu_call *call, nu_conn *c, const nu_login_user *u, const char *code,
                             bool enable, bool *ok) {
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  *ok = false;
  if (u->totp_box == NULL || u->totp_box_len <= NU_SECRET_BOX_OVERHEAD) return nu_ok();
  uint8_t secret[64];
  size_t len = 0;
  if (nu_secret_box_open(app->secret_key, u->totp_box, u->totp_box_len, secret, sizeof(secret),
                         &len) != NU_SECRET_BOX_OK) {
    return nu_error(a, NU_INTERNAL, "TOTP_SECRET_UNREADABLE",
                    "the stored TOTP secret cannot be opened with the server's key");
  }
  int64_t step = 0;
  int rc = nu_totp_verify(secret, len, code, nu_totp_now_s(app->clock), u->totp_last_step, &step);
  sodium_memzero(secret, sizeof(secret));
  if (rc < 0) return nu_error(a, NU_INTERNAL, "TOTP_FAILED", "TOTP verification failed");
  if (rc != NU_TOTP_OK) return nu_ok();
  /* totp.h's contract: only the request that moves the step wins. */
  return nu_login_totp_accept_step(c, a, u->id, step, enable, nu_rpc_now(call), ok);
}

void nu_auth_recovery_key(const nu_app *app, uint8_t out[32]) {
  static const char context[] = "nuage recovery codes v1";
  crypto_generichash(out, 32, (const unsigned char *)context, sizeof(context) - 1, app->secret_key,
                     NU_SECRET_BOX_KEY_BYTES);
}

nu_status nu_auth_check_recovery(nu_call *call, nu_conn *c, const nu_login_user *u,
                                 const char *code, bool *ok) {
  nu_arena *a = nu_call_arena(call);
  *ok = false;
  uint8_t(*hashes)[32] = NULL;
  size_t n = 0;
  nu_status st = nu_login_recovery_unused(c, a, u->id, &hashes, &n);
  if (!nu_status_is_ok(&st) || n == 0) return st;
  uint8_t key[32];
  nu_auth_recovery_key(nu_call_app(call), key);
  size_t idx = 0;
  int rc = nu_recovery_verify(key, code, (const uint8_t(*)[NU_RECOVERY_HASH_BYTES])hashes, n, &idx);
  sodium_memzero(key, sizeof(key));
  if (rc < 0) return nu_error(a, NU_INTERNAL, "RECOVERY_FAILED", "recovery code check failed");
  if (rc != NU_RECOVERY_OK) return nu_ok();
  return nu_login_recovery_use(c, a, u->id, hashes[idx], nu_rpc_now(call), ok);
}

void nu_auth_code_hash(const nu_app *app, const char *user_id, const char *code,
                       uint8_t out[NU_EMAIL_CODE_HASH_BYTES]) {
  uint8_t key[NU_KEY_BYTES];
  /* nu_key_derive fails only for a bad subkey id, a programming error. */
  int rc = nu_key_derive(app->secret_key, NU_KEY_CODE_HASH, key);
  assert(rc == 0);
  (void)rc;
  nu_email_code_hash(key, user_id, code, out);
  sodium_memzero(key, sizeof(key));
}

nu_status nu_auth_check_email_code(nu_call *call, nu_conn *c, const char *user_id, const char *code,
                                   bool *ok) {
  nu_arena *a = nu_call_arena(call);
  *ok = false;
  nu_email_code_state state;
  const uint8_t *stored = NULL;
  nu_status st = nu_access_key_code_get(c, a, user_id, &state, &stored);
  if (!nu_status_is_ok(&st)) return st;
  bool matches = false;
  if (stored != NULL) {
    uint8_t h[NU_EMAIL_CODE_HASH_BYTES];
    nu_auth_code_hash(nu_call_app(call), user_id, code != NULL ? code : "", h);
    matches = sodium_memcmp(h, stored, sizeof(h)) == 0;
  }
  nu_email_code_decision d = nu_email_code_decide(&state, matches, nu_rpc_now(call));
  switch (d.outcome) {
    case NU_EMAIL_CODE_ACCEPT: *ok = true; return nu_access_key_code_delete(c, a, user_id);
    case NU_EMAIL_CODE_KILL: return nu_access_key_code_delete(c, a, user_id);
    case NU_EMAIL_CODE_REJECT:
      if (!state.exists) return nu_ok();
      return nu_access_key_code_set_attempts(c, a, user_id, d.attempts);
  }
  return nu_ok();
}

typedef struct reauth_arg {
  nu_call *call;
  const char *user_id;
  const char *code;
  nu_auth_second_factor factor;
  bool read_only_pass; /* first pass: read the user */
  nu_login_user user;
  bool found;
  bool ok;
} reauth_arg;

static nu_status run_reauth(nu_conn *c, nu_arena *a, void *p) {
  reauth_arg *r = p;
  nu_status st = nu_login_get(c, a, r->user_id, !r->read_only_pass, &r->user, &r->found);
  if (!nu_status_is_ok(&st) || r->read_only_pass || !r->found) return st;
  r->ok = false;
  if (!nu_auth_may_sign_in(&r->user, nu_rpc_now(r->call))) return nu_ok();
  if (!r->user.totp_enabled && r->factor == NU_AUTH_TOTP_OR_EMAIL_CODE) {
    /* A wrong code's count is written here and must commit: the
     * transaction ends OK, the refusal is r->ok. */
    return nu_auth_check_email_code(r->call, c, r->user.id, r->code, &r->ok);
  }
  if (!r->user.totp_enabled || r->code == NULL) {
    r->ok = true;
    return nu_ok();
  }
  return nu_auth_check_totp(r->call, c, &r->user, r->code, false, &r->ok);
}

nu_status nu_auth_reauthenticate(nu_call *call, const char *user_id, const char *password,
                                 const char *code, nu_login_user *user) {
  return nu_auth_reauthenticate_factor(call, user_id, password, code, NU_AUTH_TOTP_IF_ENABLED,
                                       user);
}

nu_status nu_auth_reauthenticate_factor(nu_call *call, const char *user_id, const char *password,
                                        const char *code, nu_auth_second_factor factor,
                                        nu_login_user *user) {
  nu_arena *a = nu_call_arena(call);
  reauth_arg r = {
      .call = call, .user_id = user_id, .code = code, .factor = factor, .read_only_pass = true};
  nu_status st = nu_rpc_tx(call, true, run_reauth, &r);
  if (!nu_status_is_ok(&st)) return st;
  if (!r.found || !nu_auth_may_sign_in(&r.user, nu_rpc_now(call))) {
    return nu_auth_reauth_failed(a);
  }
  /* The slow hash runs outside any transaction: no connection held. */
  bool ok = false;
  st = nu_auth_check_password(call, r.user.password_hash, password, &ok, NULL);
  if (!nu_status_is_ok(&st)) return st;
  if (ok) {
    r.read_only_pass = false;
    st = nu_rpc_tx(call, false, run_reauth, &r);
    if (!nu_status_is_ok(&st)) return st;
    ok = r.found && r.ok;
  }
  if (!ok) {
    st = nu_auth_count_failure_tx(call, user_id, "user.reauthentication_failed");
    if (!nu_status_is_ok(&st)) return st;
    return nu_auth_reauth_failed(a);
  }
  if (user != NULL) *user = r.user;
  return nu_ok();
}

nu_status nu_auth_open_session(nu_call *call, nu_conn *c, const nu_login_user *u,
                               Nuage__V1__LoginResponse *resp) {
  nu_arena *a = nu_call_arena(call);
  const char *org = NULL;
  nu_status st = nu_login_clear_failures(c, a, u->id);
  if (nu_status_is_ok(&st)) st = nu_session_default_org(c, a, u->id, &org);
  if (!nu_status_is_ok(&st)) return st;
  char token[NU_TOKEN_SIZE];
  nu_session_row row;
  st = nu_session_create(c, a, u->id, org, nu_call_peer(call), nu_rpc_now(call), token, &row);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_audit(call, c, org, "session.create", "session", row.id, NULL, 0);
  if (!nu_status_is_ok(&st)) return st;
  resp->session_token = nu_arena_strdup(a, token);
  sodium_memzero(token, sizeof(token));
  resp->session = nu_auth_session_to_api(a, &row, row.id);
  if (resp->session_token == NULL || resp->session == NULL) return nu_rpc_oom(a);
  return nu_ok();
}

Nuage__V1__Session *nu_auth_session_to_api(nu_arena *a, const nu_session_row *row,
                                           const char *current_id) {
  Nuage__V1__Session *s = NU_RPC_NEW(a, Nuage__V1__Session, nuage__v1__session__init);
  if (s == NULL) return NULL;
  s->id = (char *)row->id;
  s->organization_id = (char *)(row->organization_id != NULL ? row->organization_id : "");
  s->peer = (char *)(row->peer != NULL ? row->peer : "");
  s->create_time = nu_rpc_timestamp(a, row->created_us * 1000);
  s->last_use_time = nu_rpc_timestamp(a, row->last_used_us * 1000);
  s->expire_time = nu_rpc_timestamp(a, row->last_used_us * 1000 + NU_SESSION_IDLE_NS);
  s->current = current_id != NULL && strcmp(current_id, row->id) == 0;
  return s;
}

void nu_auth_validate_code(nu_validator *v, const char *field, const char *code, bool required) {
  if (code == NULL || code[0] == '\0') {
    if (required) nu_validate_fail(v, field, "is required");
    return;
  }
  bool ok = strlen(code) == NU_TOTP_DIGITS;
  for (size_t i = 0; ok && code[i] != '\0'; i++) ok = code[i] >= '0' && code[i] <= '9';
  if (!ok) nu_validate_fail(v, field, "must be 6 digits");
}
