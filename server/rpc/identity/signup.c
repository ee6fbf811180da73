/*
 * signup.c — self-service sign-up: SignUp, ResendConfirmationEmail,
 * ConfirmEmail, AcceptTerms (DOMAIN.md §1, §2).
 *
 * Nobody learns from these answers whether an e-mail is registered: SignUp
 * and ResendConfirmationEmail answer the same for a known address (which
 * gets a reminder e-mail instead), and SignUp hashes the password on every
 * path so the time taken says nothing either. A login already taken is
 * refused, since a login must be chosen unique anyway.
 */
#include "server/rpc/identity/signup.h"

#include <stdio.h>
#include <string.h>

#include "nuage/v1/user.pb-c.h"
#include "server/common/json.h"
#include "server/domain/identity/lockout.h"
#include "server/domain/identity/login.h"
#include "server/domain/identity/password_policy.h"
#include "server/domain/identity/policy.h"
#include "server/domain/identity/user_status.h"
#include "server/domain/organization/policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/identity/auth_common.h"
#include "server/rpc/identity/user.h"
#include "server/store/core/outbox_store.h"
#include "server/store/eligibility/credit_store.h"
#include "server/store/eligibility/eligibility_store.h"
#include "server/store/identity/link_store.h"
#include "server/store/identity/login_store.h"
#include "server/store/identity/user_store.h"
#include "server/validate/email.h"
#include "server/validate/enum.h"
#include "server/validate/password.h"
#include "server/validate/phone.h"

/* ---- shared ---------------------------------------------------------------- */

static const char *link_url(nu_call *call, const char *path, const char *token) {
  nu_app *app = nu_call_app(call);
  return nu_arena_sprintf(nu_call_arena(call), "%s/%s?token=%s",
                          app->public_url != NULL ? app->public_url : "", path, token);
}

/* A new confirmation link for user, e-mailed to email. */
static nu_status send_confirmation(nu_call *call, nu_conn *c, const char *user_id,
                                   const char *login, const char *email, const char *org_id) {
  nu_arena *a = nu_call_arena(call);
  nu_link_new l = {.user_id = user_id,
                   .purpose = "confirm_email",
                   .now_ns = nu_rpc_now(call),
                   .ttl_ns = NU_SIGNUP_LINK_TTL_NS};
  char token[NU_TOKEN_SIZE];
  /* Earlier links keep working: any of the e-mails the user received may be
   * the one they open (the voucher is granted once whatever they click). */
  nu_status st = nu_link_create(c, a, &l, false, token);
  if (!nu_status_is_ok(&st)) return st;
  const char *url = link_url(call, "confirm-email", token);
  if (url == NULL) return nu_rpc_oom(a);
  const char *kv[] = {"login", login, "link", url};
  return nu_rpc_email(call, c, email, "confirm_email", org_id, kv, 2);
}

/* The e-mail someone tried to sign up with again. */
static nu_status send_account_exists(nu_call *call, nu_conn *c, const nu_user_row *u) {
  nu_app *app = nu_call_app(call);
  const char *kv[] = {"login", u->login, "link",
                      nu_arena_sprintf(nu_call_arena(call), "%s/login",
                                       app->public_url != NULL ? app->public_url : "")};
  if (kv[3] == NULL) return nu_rpc_oom(nu_call_arena(call));
  return nu_rpc_email(call, c, u->email, "account_exists", NULL, kv, 2);
}

/* An audit value: "" is absent, as in the update path. */
static const char *or_absent(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }

static bool is_pending_unconfirmed(const nu_user_row *u) {
  return nu_user_state_parse(u->status) == NU_USER_STATE_PENDING && u->email_confirmed_us == 0;
}

/* ---- SignUp ----------------------------------------------------------------- */

nu_status nu_signup_validate_sign_up(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SignUpRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const char *why = NULL;
  nu_validate_max_len(&v, "request_id", req->request_id, 128);
  nu_validate_email(&v, "email", req->email, true);
  if (nu_login_check(req->login, &why) != 0) nu_validate_fail(&v, "login", "%s", why);
  nu_validate_required(&v, "first_name", req->first_name);
  nu_validate_max_len(&v, "first_name", req->first_name, NU_PERSON_NAME_MAX_LEN);
  nu_validate_required(&v, "last_name", req->last_name);
  nu_validate_max_len(&v, "last_name", req->last_name, NU_PERSON_NAME_MAX_LEN);
  nu_validate_enum(&v, "account_type", &nuage__v1__account_type__descriptor, req->account_type,
                   false);
  if (req->account_type == NUAGE__V1__ACCOUNT_TYPE__ACCOUNT_TYPE_COMPANY) {
    nu_validate_required(&v, "organization_name", req->organization_name);
  }
  nu_validate_max_len(&v, "organization_name", req->organization_name, NU_ORG_NAME_MAX_LEN);
  nu_language lang;
  if (req->language[0] != '\0' && nu_language_parse(req->language, &lang) != 0) {
    nu_validate_fail(&v, "language", "must be \"fr\" or \"en\"");
  }
  nu_validate_password(&v, "password", req->password, req->login);
  return nu_validator_result(&v);
}

typedef struct signup_run {
  nu_call *call;
  const Nuage__V1__SignUpRequest *req;
  nu_signup_row row;
} signup_run;

static nu_status signup_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  signup_run *r = arg;
  Nuage__V1__SignUpResponse *out =
      NU_RPC_NEW(a, Nuage__V1__SignUpResponse, nuage__v1__sign_up_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;

  nu_user_row existing;
  bool found = false;
  nu_status st = nu_user_find_by_email(c, a, r->row.email, &existing, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (found) {
    if (!is_pending_unconfirmed(&existing)) return send_account_exists(r->call, c, &existing);
    const char *org = NULL;
    st = nu_user_signup_organization(c, a, existing.id, &org);
    if (!nu_status_is_ok(&st)) return st;
    return send_confirmation(r->call, c, existing.id, existing.login, existing.email, org);
  }

  const char *user_id = NULL, *org_id = NULL;
  st = nu_user_sign_up(c, a, &r->row, &user_id, &org_id);
  if (!nu_status_is_ok(&st)) return st;
  if (user_id == NULL) {
    /* Nothing inserted: the login (or, racing, the e-mail) is taken. A
     * racing sign-up of the same e-mail is answered as a known e-mail. */
    st = nu_user_find_by_email(c, a, r->row.email, &existing, &found);
    if (!nu_status_is_ok(&st)) return st;
    if (found) return send_account_exists(r->call, c, &existing);
    nu_status taken = nu_error(a, NU_ALREADY_EXISTS, "LOGIN_TAKEN", "the login is already taken");
    nu_status_add_violation(a, &taken, "login", "is already taken");
    return taken;
  }
  nu_audit_change ch[] = {
      {"login", NULL, r->row.login},
      {"email", NULL, r->row.email},
      {"organization_id", NULL, org_id},
      {"password", NULL, "(set)"},
      {"commercial_consent", NULL, r->row.commercial_consent ? "true" : "false"}};
  st = nu_rpc_audit(r->call, c, org_id, "user.sign_up", "user", user_id, ch, 5);
  if (!nu_status_is_ok(&st)) return st;
  return send_confirmation(r->call, c, user_id, r->row.login, r->row.email, org_id);
}

nu_status nu_signup_sign_up(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__SignUpRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  char *email = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (email == NULL) return nu_rpc_oom(a);
  if (nu_email_normalize(req->email, email, NU_EMAIL_BUF_SIZE, NULL) != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "e-mail normalisation failed after validation");
  }
  signup_run r = {.call = call, .req = req};
  /* Hashed before looking the e-mail up, on every path (see top). */
  nu_status st = nu_auth_hash_password(call, req->password, &r.row.password_hash);
  if (!nu_status_is_ok(&st)) return st;
  bool personal = req->account_type == NUAGE__V1__ACCOUNT_TYPE__ACCOUNT_TYPE_PERSONAL;
  r.row.login = req->login;
  r.row.email = email;
  r.row.first_name = req->first_name;
  r.row.last_name = req->last_name;
  r.row.language = req->language[0] != '\0' ? req->language : "fr";
  r.row.account_type = personal ? "personal" : "company";
  r.row.organization_name = req->organization_name[0] != '\0'
                                ? req->organization_name
                                : nu_arena_sprintf(a, "%s %s", req->first_name, req->last_name);
  r.row.commercial_consent = req->commercial_consent;
  r.row.now_ns = nu_rpc_now(call);
  if (r.row.organization_name == NULL) return nu_rpc_oom(a);
  return nu_rpc_create_tx(call, req->request_id, msg, signup_tx, &r, resp);
}

/* ---- ResendConfirmationEmail ---------------------------------------------- */

nu_status nu_signup_validate_resend(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ResendConfirmationEmailRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_email(&v, "email", req->email, true);
  return nu_validator_result(&v);
}

typedef struct resend_run {
  nu_call *call;
  const char *email;
} resend_run;

static nu_status resend_tx(nu_conn *c, nu_arena *a, void *arg) {
  resend_run *r = arg;
  nu_user_row u;
  bool found = false;
  nu_status st = nu_user_find_by_email(c, a, r->email, &u, &found);
  if (!nu_status_is_ok(&st) || !found || !is_pending_unconfirmed(&u)) return st;
  const char *org = NULL;
  st = nu_user_signup_organization(c, a, u.id, &org);
  if (!nu_status_is_ok(&st)) return st;
  return send_confirmation(r->call, c, u.id, u.login, u.email, org);
}

nu_status nu_signup_resend(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ResendConfirmationEmailRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  resend_run r = {.call = call, .email = nu_email_normalized(a, req->email)};
  if (r.email == NULL) return nu_rpc_oom(a); /* validated: only memory can fail */
  nu_status st = nu_rpc_tx(call, false, resend_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__ResendConfirmationEmailResponse *out =
      NU_RPC_NEW(a, Nuage__V1__ResendConfirmationEmailResponse,
                 nuage__v1__resend_confirmation_email_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- ConfirmEmail ---------------------------------------------------------- */

nu_status nu_signup_validate_confirm_email(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ConfirmEmailRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "token", req->token);
  nu_validate_max_len(&v, "token", req->token, NU_TOKEN_SIZE);
  nu_validate_phone(&v, "phone_landline", req->phone_landline);
  nu_validate_phone(&v, "phone_mobile", req->phone_mobile);
  return nu_validator_result(&v);
}

typedef struct confirm_run {
  nu_call *call;
  const Nuage__V1__ConfirmEmailRequest *req;
  const char *token;
  Nuage__V1__ConfirmEmailResponse *out;
} confirm_run;

/* The voucher of an eligible e-mail, once per e-mail (credit_store.h). */
static nu_status grant_voucher(confirm_run *r, nu_conn *c, nu_arena *a, const nu_user_row *u) {
  nu_app *app = nu_call_app(r->call);
  const char *at = strrchr(u->email, '@');
  const char *matched = NULL;
  int32_t line = 0;
  nu_status st = nu_eligibility_lookup(c, a, at != NULL ? at + 1 : "", &matched, &line);
  if (!nu_status_is_ok(&st) || matched == NULL) return st;
  r->out->eligible = true;
  r->out->matched_domain = (char *)matched;
  if (app->voucher_cents <= 0) return nu_ok(); /* vouchers switched off */
  const char *org = NULL;
  st = nu_user_signup_organization(c, a, u->id, &org);
  if (!nu_status_is_ok(&st) || org == NULL) return st;
  bool granted = false;
  st = nu_credit_grant_voucher(c, a, org, u->email, app->voucher_cents, nu_rpc_now(r->call),
                               &granted);
  if (!nu_status_is_ok(&st) || !granted) return st;
  r->out->credit_granted = true;
  char amount[32];
  snprintf(amount, sizeof(amount), "%lld", (long long)app->voucher_cents);
  nu_audit_change ch[] = {{"nature", NULL, "eligibility_voucher"},
                          {"amount_cents", NULL, amount},
                          {"email", NULL, u->email}};
  return nu_rpc_audit(r->call, c, org, "credit.grant", "organization", org, ch, 3);
}

static nu_status confirm_tx(nu_conn *c, nu_arena *a, void *arg) {
  confirm_run *r = arg;
  r->out->eligible = false;
  r->out->matched_domain = "";
  r->out->credit_granted = false;
  nu_link_use use;
  nu_status st =
      nu_link_consume(c, a, r->token, strlen(r->token), "confirm_email", nu_rpc_now(r->call), &use);
  if (!nu_status_is_ok(&st)) return st;
  /* The phones first: an account becomes active only with one (a refusal
   * rolls back, so the link still works). */
  nu_user_row before, u;
  st = nu_user_get_for_update(c, a, use.user_id, &before);
  if (!nu_status_is_ok(&st)) return st;
  nu_user_row phones = before;
  nu_validator v;
  nu_validator_init(&v, a);
  if (nu_phone_merge(&v, "phone_mobile", r->req->phone_landline, r->req->phone_mobile,
                     &phones.phone_landline, &phones.phone_mobile) != 0) {
    return nu_rpc_oom(a);
  }
  st = nu_validator_result(&v);
  if (!nu_status_is_ok(&st)) return st;
  bool landline_changed = strcmp(phones.phone_landline, before.phone_landline) != 0;
  bool mobile_changed = strcmp(phones.phone_mobile, before.phone_mobile) != 0;
  if (landline_changed || mobile_changed) {
    st = nu_user_write_profile(c, a, &phones, nu_rpc_now(r->call), &u);
    if (!nu_status_is_ok(&st)) return st;
  }
  st = nu_user_confirm_email(c, a, use.user_id, nu_rpc_now(r->call), &u);
  if (!nu_status_is_ok(&st)) return st;
  r->out->email = (char *)u.email;
  /* The organisation the account signed up with: its managers see the
   * event in their audit log. */
  const char *org = NULL;
  st = nu_user_signup_organization(c, a, u.id, &org);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[3] = {{"email_confirmed", NULL, "true"}};
  size_t n = 1;
  if (landline_changed) {
    ch[n++] = (nu_audit_change){"phone_landline", or_absent(before.phone_landline),
                                phones.phone_landline};
  }
  if (mobile_changed) {
    ch[n++] =
        (nu_audit_change){"phone_mobile", or_absent(before.phone_mobile), phones.phone_mobile};
  }
  st = nu_rpc_audit(r->call, c, org, "user.confirm_email", "user", u.id, ch, n);
  if (!nu_status_is_ok(&st)) return st;
  return grant_voucher(r, c, a, &u);
}

nu_status nu_signup_confirm_email(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__ConfirmEmailRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  confirm_run r = {.call = call, .req = req, .token = req->token};
  r.out = NU_RPC_NEW(a, Nuage__V1__ConfirmEmailResponse, nuage__v1__confirm_email_response__init);
  if (r.out == NULL) return nu_rpc_oom(a);
  nu_status st = nu_rpc_tx(call, false, confirm_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  *resp = &r.out->base;
  return nu_ok();
}

/* ---- AcceptTerms ----------------------------------------------------------- */

nu_status nu_signup_validate_accept_terms(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__AcceptTermsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "login", req->login);
  nu_validate_max_len(&v, "login", req->login, NU_EMAIL_MAX);
  nu_validate_required(&v, "password", req->password);
  nu_validate_max_len(&v, "password", req->password, NU_PASSWORD_MAX_BYTES);
  if (!req->accept) nu_validate_fail(&v, "accept", "must be true to accept the terms");
  return nu_validator_result(&v);
}

typedef struct terms_run {
  nu_call *call;
  const char *login;
  nu_login_user user;
  bool found;
  nu_user_row after;
} terms_run;

static nu_status terms_find_tx(nu_conn *c, nu_arena *a, void *arg) {
  terms_run *r = arg;
  return nu_login_find(c, a, r->login, &r->user, &r->found);
}

static nu_status terms_accept_tx(nu_conn *c, nu_arena *a, void *arg) {
  terms_run *r = arg;
  nu_user_row before;
  nu_status st = nu_user_get_for_update(c, a, r->user.id, &before);
  if (!nu_status_is_ok(&st)) return st;
  nu_user_facts facts = {.email_confirmed = before.email_confirmed_us != 0};
  nu_user_transition t;
  nu_refusal why;
  if (nu_user_status_next(nu_user_state_parse(before.status), NU_USER_EVENT_ACCEPT_TERMS, &facts,
                          &t, &why) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, why.message);
  }
  st = nu_user_accept_terms(c, a, r->user.id, nu_rpc_now(r->call), &r->after);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_login_clear_failures(c, a, r->user.id);
  if (!nu_status_is_ok(&st)) return st;
  const char *org = NULL;
  st = nu_user_signup_organization(c, a, r->user.id, &org);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"status", before.status, r->after.status},
                          {"terms_accepted", NULL, "true"}};
  return nu_rpc_audit(r->call, c, org, "user.accept_terms", "user", r->user.id, ch, 2);
}

nu_status nu_signup_accept_terms(nu_call *call, const ProtobufCMessage *msg,
                                 ProtobufCMessage **resp) {
  const Nuage__V1__AcceptTermsRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  char form[NU_EMAIL_BUF_SIZE];
  terms_run r = {
      .call = call,
      .login = nu_login_lookup_form(req->login, form, sizeof(form)) == 0 ? form : req->login};
  nu_status st = nu_rpc_tx(call, true, terms_find_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  bool ok = false;
  /* Checked even for an unknown login (against a dummy hash): same time,
   * same answer. */
  st =
      nu_auth_check_password(call, r.found ? r.user.password_hash : NULL, req->password, &ok, NULL);
  if (!nu_status_is_ok(&st)) return st;
  if (!r.found) return nu_auth_login_failed(a);
  if (nu_lockout_is_locked(r.user.locked_until_ns, nu_rpc_now(call))) {
    return nu_auth_login_failed(a);
  }
  if (!ok) {
    st = nu_auth_count_failure_tx(call, r.user.id, "user.accept_terms_failed");
    if (!nu_status_is_ok(&st)) return st;
    return nu_auth_login_failed(a);
  }
  st = nu_rpc_tx(call, false, terms_accept_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__User *u = nu_user_to_api(a, &r.after);
  if (u == NULL) return nu_rpc_oom(a);
  *resp = &u->base;
  return nu_ok();
}
