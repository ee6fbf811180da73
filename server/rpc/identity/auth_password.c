/*
 * auth_password.c — ChangePassword, RequestPasswordReset, ResetPassword,
 * RequestLoginReminder.
 *
 * The two public requests answer the same whether or not the account
 * exists, and take about as long: each checks one Argon2id hash in either
 * case (the dummy one, see auth_common.h), which dwarfs the queries.
 */
#include <sodium.h>
#include <string.h>

#include "server/common/json.h"
#include "server/domain/identity/login.h"
#include "server/domain/identity/password_hash.h"
#include "server/domain/identity/password_policy.h"
#include "server/domain/identity/user_status.h"
#include "server/rpc/identity/auth_common.h"
#include "server/store/core/outbox_store.h"
#include "server/store/identity/link_store.h"
#include "server/validate/email.h"

/* ---- ChangePassword ------------------------------------------------------ */

nu_status nu_auth_validate_change_password(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ChangePasswordRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "old_password", req->old_password);
  nu_validate_max_len(&v, "old_password", req->old_password, NU_PASSWORD_HASH_MAX_BYTES);
  nu_validate_required(&v, "new_password", req->new_password);
  return nu_validator_result(&v);
}

typedef struct change_arg {
  nu_call *call;
  const nu_principal *p;
  const nu_login_user *user;
  const char *hash;
  int ended;
} change_arg;

static nu_status run_change(nu_conn *c, nu_arena *a, void *arg) {
  change_arg *ch = arg;
  int64_t now = nu_rpc_now(ch->call);
  nu_status st = nu_login_set_password(c, a, ch->p->id, ch->hash, now);
  if (nu_status_is_ok(&st)) {
    st = nu_session_revoke_all(c, a, ch->p->id, ch->p->session_id, now, &ch->ended);
  }
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change changes[] = {{"password", NULL, "(set)"}};
  st = nu_rpc_audit(ch->call, c, ch->p->organization_id, "user.password_change", "user", ch->p->id,
                    changes, 1);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"login", ch->user->login};
  return nu_rpc_email(ch->call, c, ch->user->email, "password_changed", NULL, kv, 1);
}

nu_status nu_auth_change_password(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **out) {
  const Nuage__V1__ChangePasswordRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  change_arg ch = {.call = call};
  nu_login_user user;
  nu_status st = nu_auth_require_session(call, &ch.p);
  if (!nu_status_is_ok(&st)) return st;
  /* The current password first (no code: the session already proved the
   * second factor), then the new one's rules. */
  st = nu_auth_reauthenticate(call, ch.p->id, req->old_password, NULL, &user);
  if (!nu_status_is_ok(&st)) return st;
  ch.user = &user;
  st = nu_auth_check_policy(call, "new_password", req->new_password, user.login);
  if (nu_status_is_ok(&st)) st = nu_auth_hash_password(call, req->new_password, &ch.hash);
  if (nu_status_is_ok(&st)) st = nu_rpc_tx(call, false, run_change, &ch);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__ChangePasswordResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__ChangePasswordResponse, nuage__v1__change_password_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  resp->ended_sessions = ch.ended;
  *out = &resp->base;
  return nu_ok();
}

/* ---- RequestPasswordReset ------------------------------------------------ */

nu_status nu_auth_validate_request_password_reset(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RequestPasswordResetRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "login", req->login);
  nu_validate_max_len(&v, "login", req->login, NU_EMAIL_MAX);
  return nu_validator_result(&v);
}

typedef struct reset_request_arg {
  nu_call *call;
  const char *login;
  bool by_email; /* RequestLoginReminder */
} reset_request_arg;

static nu_status run_reset_request(nu_conn *c, nu_arena *a, void *arg) {
  reset_request_arg *r = arg;
  nu_call *call = r->call;
  nu_app *app = nu_call_app(call);
  nu_login_user u;
  bool found = false;
  nu_status st = r->by_email ? nu_login_find_by_email(c, a, r->login, &u, &found)
                             : nu_login_find(c, a, r->login, &u, &found);
  /* Only accounts that can sign in are helped; the answer is the same. */
  if (!nu_status_is_ok(&st) || !found || !nu_user_may_sign_in(nu_user_state_parse(u.status))) {
    return st;
  }
  if (r->by_email) {
    const char *kv[] = {"login", u.login};
    return nu_rpc_email(call, c, u.email, "login_reminder", NULL, kv, 1);
  }
  char token[NU_TOKEN_SIZE];
  nu_link_new l = {.user_id = u.id,
                   .purpose = "reset_password",
                   .now_ns = nu_rpc_now(call),
                   .ttl_ns = NU_AUTH_RESET_LINK_TTL_NS};
  st = nu_link_create(c, a, &l, true, token);
  if (!nu_status_is_ok(&st)) return st;
  const char *link = nu_arena_sprintf(a, "%s/reset-password?token=%s",
                                      app->public_url != NULL ? app->public_url : "", token);
  const char *tok = nu_arena_strdup(a, token);
  sodium_memzero(token, sizeof(token));
  if (link == NULL || tok == NULL) return nu_rpc_oom(a);
  const char *kv[] = {"login", u.login, "link", link, "token", tok};
  st = nu_rpc_email(call, c, u.email, "reset_password", NULL, kv, 3);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_audit(call, c, NULL, "user.password_reset_request", "user", u.id, NULL, 0);
}

static nu_status request_by_mail(nu_call *call, const char *login, bool by_email) {
  /* The same Argon2id work whether or not the account exists. */
  bool ok = false;
  nu_status st = nu_auth_check_password(call, NULL, login, &ok, NULL);
  if (!nu_status_is_ok(&st)) return st;
  char form[NU_EMAIL_BUF_SIZE];
  if (nu_login_lookup_form(login, form, sizeof(form)) != 0) {
    return nu_ok(); /* longer than any login or address: no account, the same answer */
  }
  reset_request_arg r = {.call = call, .login = form, .by_email = by_email};
  return nu_rpc_tx(call, false, run_reset_request, &r);
}

nu_status nu_auth_request_password_reset(nu_call *call, const ProtobufCMessage *msg,
                                         ProtobufCMessage **out) {
  const Nuage__V1__RequestPasswordResetRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  nu_status st = request_by_mail(call, req->login, false);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__RequestPasswordResetResponse *resp = NU_RPC_NEW(
      a, Nuage__V1__RequestPasswordResetResponse, nuage__v1__request_password_reset_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}

/* ---- RequestLoginReminder ------------------------------------------------ */

nu_status nu_auth_validate_request_login_reminder(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RequestLoginReminderRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_email(&v, "email", req->email, true);
  return nu_validator_result(&v);
}

nu_status nu_auth_request_login_reminder(nu_call *call, const ProtobufCMessage *msg,
                                         ProtobufCMessage **out) {
  const Nuage__V1__RequestLoginReminderRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  const char *email = nu_email_normalized(a, req->email);
  if (email == NULL) return nu_rpc_oom(a); /* validated: only memory can fail */
  nu_status st = request_by_mail(call, email, true);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__RequestLoginReminderResponse *resp = NU_RPC_NEW(
      a, Nuage__V1__RequestLoginReminderResponse, nuage__v1__request_login_reminder_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}

/* ---- ResetPassword ------------------------------------------------------- */

nu_status nu_auth_validate_reset_password(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ResetPasswordRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "token", req->token);
  nu_validate_max_len(&v, "token", req->token, NU_TOKEN_SIZE);
  nu_validate_required(&v, "new_password", req->new_password);
  nu_auth_validate_code(&v, "code", req->code, false);
  return nu_validator_result(&v);
}

typedef struct reset_arg {
  nu_call *call;
  const Nuage__V1__ResetPasswordRequest *req;
  const char *user_id; /* set once the link is known */
  bool code_failed;    /* a wrong code: counted after the rollback */
} reset_arg;

/* One transaction: the link is spent only if everything else succeeds, so
 * a mistyped new password or code leaves it usable until it expires. */
static nu_status run_reset(nu_conn *c, nu_arena *a, void *arg) {
  reset_arg *r = arg;
  nu_call *call = r->call;
  const Nuage__V1__ResetPasswordRequest *req = r->req;
  int64_t now = nu_rpc_now(call);
  nu_link_use use;
  r->code_failed = false;
  nu_status st = nu_link_consume(c, a, req->token, strlen(req->token), "reset_password", now, &use);
  if (!nu_status_is_ok(&st)) return st;
  r->user_id = use.user_id;
  nu_login_user u;
  bool found = false;
  st = nu_login_get(c, a, use.user_id, true, &u, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !nu_user_may_sign_in(nu_user_state_parse(u.status))) {
    return nu_error(a, NU_FAILED_PRECONDITION, "INVALID_LINK",
                    "this link is invalid, expired or already used");
  }
  st = nu_auth_check_policy(call, "new_password", req->new_password, u.login);
  if (!nu_status_is_ok(&st)) return st;
  if (u.totp_enabled) {
    bool ok = false;
    if (req->code == NULL || req->code[0] == '\0') {
      st = nu_error(a, NU_INVALID_ARGUMENT, "TOTP_CODE_REQUIRED",
                    "a TOTP code is required: the second factor is enabled");
      nu_status_add_violation(a, &st, "code", "is required when TOTP is enabled");
      return st;
    }
    st = nu_auth_check_totp(call, c, &u, req->code, false, &ok);
    if (!nu_status_is_ok(&st)) return st;
    if (!ok) {
      r->code_failed = true;
      return nu_auth_reauth_failed(a);
    }
  }
  const char *hash = NULL;
  st = nu_auth_hash_password(call, req->new_password, &hash);
  if (nu_status_is_ok(&st)) st = nu_login_set_password(c, a, u.id, hash, now);
  if (nu_status_is_ok(&st)) st = nu_session_revoke_all(c, a, u.id, NULL, now, NULL);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change changes[] = {{"password", NULL, "(set)"}};
  st = nu_rpc_audit(call, c, NULL, "user.password_reset", "user", u.id, changes, 1);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"login", u.login};
  return nu_rpc_email(call, c, u.email, "password_changed", NULL, kv, 1);
}

nu_status nu_auth_reset_password(nu_call *call, const ProtobufCMessage *msg,
                                 ProtobufCMessage **out) {
  nu_arena *a = nu_call_arena(call);
  reset_arg r = {.call = call, .req = (const void *)msg};
  nu_status st = nu_rpc_tx(call, false, run_reset, &r);
  if (r.code_failed) {
    nu_status counted = nu_auth_count_failure_tx(call, r.user_id, "user.reset_code_failed");
    if (!nu_status_is_ok(&counted)) return counted;
  }
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__ResetPasswordResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__ResetPasswordResponse, nuage__v1__reset_password_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}
