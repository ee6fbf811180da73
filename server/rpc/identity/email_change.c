/*
 * email_change.c — RequestEmailChange, ConfirmEmailChange.
 *
 * The new address proves itself: it receives a single-use link (24 h) and
 * the e-mail switches only when that link is used; the current address is
 * told of the request, and of the change. The requester learns nothing of
 * the new address: when another account already has it, the answer is the
 * same and that address receives a notice that it is in use instead of a
 * link (its owner is the one who can act on it). An address taken between
 * request and confirmation fails the confirmation with EMAIL_TAKEN, and
 * the link stays unspent.
 */
#include "server/rpc/identity/email_change.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "nuage/v1/user.pb-c.h"
#include "server/domain/identity/login.h"
#include "server/domain/identity/password_policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/identity/auth_common.h"
#include "server/store/identity/link_store.h"
#include "server/store/identity/user_store.h"
#include "server/validate/email.h"

#define PURPOSE "change_email"

/* ---- RequestEmailChange ------------------------------------------------------- */

nu_status nu_email_change_validate_request(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RequestEmailChangeRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_email(&v, "new_email", req->new_email, true);
  nu_validate_required(&v, "password", req->password);
  nu_validate_max_len(&v, "password", req->password, NU_PASSWORD_MAX_BYTES);
  return nu_validator_result(&v);
}

typedef struct request_run {
  nu_call *call;
  const nu_principal *p;
  const char *email; /* the new address, normalised */
} request_run;

static nu_status request_tx(nu_conn *c, nu_arena *a, void *arg) {
  request_run *r = arg;
  nu_app *app = nu_call_app(r->call);
  int64_t now = nu_rpc_now(r->call);
  nu_user_row me, other;
  bool taken = false;
  /* Locked: two requests of one user do not both leave a live link. */
  nu_status st = nu_user_get_for_update(c, a, r->p->id, &me);
  if (nu_status_is_ok(&st)) st = nu_user_find_by_email(c, a, r->email, &other, &taken);
  if (nu_status_is_ok(&st)) st = nu_link_revoke_all(c, a, me.id, PURPOSE, now);
  if (!nu_status_is_ok(&st)) return st;
  if (taken) {
    const char *kv[] = {"email", r->email};
    st = nu_rpc_email(r->call, c, r->email, "email_change_in_use", NULL, kv, 1);
  } else {
    nu_link_new l = {.user_id = me.id,
                     .purpose = PURPOSE,
                     .new_email = r->email,
                     .now_ns = now,
                     .ttl_ns = NU_EMAIL_CHANGE_LINK_TTL_NS};
    char token[NU_TOKEN_SIZE];
    st = nu_link_create(c, a, &l, false, token);
    if (!nu_status_is_ok(&st)) return st;
    const char *url = nu_arena_sprintf(a, "%s/confirm-email-change?token=%s",
                                       app->public_url != NULL ? app->public_url : "", token);
    sodium_memzero(token, sizeof(token));
    if (url == NULL) return nu_rpc_oom(a);
    const char *kv[] = {"login", me.login, "link", url};
    st = nu_rpc_email(r->call, c, r->email, "email_change_confirm", NULL, kv, 2);
  }
  if (!nu_status_is_ok(&st)) return st;
  const char *notice[] = {"login", me.login, "new_email", r->email};
  st = nu_rpc_email(r->call, c, me.email, "email_change_requested", NULL, notice, 2);
  if (!nu_status_is_ok(&st)) return st;
  /* The same event whether or not the address is taken. */
  nu_audit_change ch[] = {{"new_email", NULL, r->email}};
  return nu_rpc_audit(r->call, c, r->p->organization_id, "user.email_change_request", "user", me.id,
                      ch, 1);
}

nu_status nu_email_change_request(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__RequestEmailChangeRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  request_run r = {.call = call};
  nu_status st = nu_auth_require_session(call, &r.p);
  if (!nu_status_is_ok(&st)) return st;
  char *email = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (email == NULL) return nu_rpc_oom(a);
  if (nu_email_normalize(req->new_email, email, NU_EMAIL_BUF_SIZE, NULL) != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "e-mail normalisation failed after validation");
  }
  r.email = email;
  /* The password first (no code: the session proved the second factor). */
  nu_login_user user;
  st = nu_auth_reauthenticate(call, r.p->id, req->password, NULL, &user);
  if (!nu_status_is_ok(&st)) return st;
  if (strcasecmp(user.email, email) == 0) {
    nu_status same = nu_error(a, NU_INVALID_ARGUMENT, "SAME_EMAIL",
                              "the new e-mail is the account's current one");
    nu_status_add_violation(a, &same, "new_email", "is the account's current address");
    return same;
  }
  st = nu_rpc_tx(call, false, request_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__RequestEmailChangeResponse *out = NU_RPC_NEW(
      a, Nuage__V1__RequestEmailChangeResponse, nuage__v1__request_email_change_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- ConfirmEmailChange ------------------------------------------------------- */

nu_status nu_email_change_validate_confirm(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ConfirmEmailChangeRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "token", req->token);
  nu_validate_max_len(&v, "token", req->token, NU_TOKEN_SIZE);
  return nu_validator_result(&v);
}

typedef struct confirm_run {
  nu_call *call;
  const char *token;
  nu_user_row after;
} confirm_run;

/* One event per organisation the user belongs to (their managers see it
 * in their audit log), or one of no organisation. */
static nu_status audit_change(confirm_run *r, nu_conn *c, nu_arena *a, const nu_user_row *before) {
  nu_user_membership *orgs = NULL;
  size_t n = 0;
  nu_status st = nu_user_memberships(c, a, before->id, &orgs, &n);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"email", before->email, r->after.email}};
  for (size_t i = 0; i == 0 || i < n; i++) {
    st = nu_rpc_audit(r->call, c, n > 0 ? orgs[i].organization_id : NULL, "user.change_email",
                      "user", before->id, ch, 1);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

static nu_status confirm_tx(nu_conn *c, nu_arena *a, void *arg) {
  confirm_run *r = arg;
  int64_t now = nu_rpc_now(r->call);
  nu_link_use use;
  nu_status st = nu_link_consume(c, a, r->token, strlen(r->token), PURPOSE, now, &use);
  if (!nu_status_is_ok(&st)) return st;
  nu_user_row before, other;
  bool taken = false;
  st = nu_user_get_for_update(c, a, use.user_id, &before);
  if (nu_status_is_ok(&st)) st = nu_user_find_by_email(c, a, use.new_email, &other, &taken);
  if (!nu_status_is_ok(&st)) return st;
  if (taken && strcmp(other.id, before.id) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "EMAIL_TAKEN",
                    "this e-mail address already belongs to another account");
  }
  st = nu_user_set_email(c, a, before.id, use.new_email, now, &r->after);
  if (nu_status_is_ok(&st)) st = nu_link_revoke_all(c, a, before.id, PURPOSE, now);
  if (nu_status_is_ok(&st)) st = audit_change(r, c, a, &before);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"login", before.login, "new_email", r->after.email};
  return nu_rpc_email(r->call, c, before.email, "email_changed", NULL, kv, 2);
}

nu_status nu_email_change_confirm(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__ConfirmEmailChangeRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  confirm_run r = {.call = call, .token = req->token};
  nu_status st = nu_rpc_tx(call, false, confirm_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__ConfirmEmailChangeResponse *out = NU_RPC_NEW(
      a, Nuage__V1__ConfirmEmailChangeResponse, nuage__v1__confirm_email_change_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->email = (char *)r.after.email;
  *resp = &out->base;
  return nu_ok();
}
