/*
 * user.c — UserService: GetCurrentUser, UpdateCurrentUser, ListUsers,
 * SetUserStatus, and the service's method rows (sign-up's handlers are in
 * signup.c, the e-mail change's in email_change.c).
 */
#include "server/rpc/identity/user.h"

#include <string.h>
#include <strings.h>

#include "server/domain/identity/login.h"
#include "server/domain/identity/policy.h"
#include "server/domain/identity/user_status.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/core/update.h"
#include "server/rpc/identity/email_change.h"
#include "server/rpc/identity/signup.h"
#include "server/store/identity/access_key_store.h"
#include "server/store/identity/session_store.h"
#include "server/validate/enum.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"
#include "server/validate/phone.h"

/* ---- API form ------------------------------------------------------------ */

/* The database keeps civility and status as the enum's text
 * (validate/enum.h): "mr", "active"; an unset civility is "". */
static Nuage__V1__Civility civility_to_api(const char *s) {
  return (Nuage__V1__Civility)nu_enum_parse_text(&nuage__v1__civility__descriptor, s);
}

static const char *civility_from_api(Nuage__V1__Civility c) {
  const char *s = nu_enum_text(&nuage__v1__civility__descriptor, c);
  return s != NULL ? s : "";
}

static Nuage__V1__UserStatus status_to_api(const char *s) {
  return (Nuage__V1__UserStatus)nu_enum_parse_text(&nuage__v1__user_status__descriptor, s);
}

/* NULL for UNSPECIFIED and unknown values. */
static const char *status_from_api(Nuage__V1__UserStatus s) {
  return nu_enum_text(&nuage__v1__user_status__descriptor, s);
}

Nuage__V1__User *nu_user_to_api(nu_arena *a, const nu_user_row *r) {
  Nuage__V1__User *u = NU_RPC_NEW(a, Nuage__V1__User, nuage__v1__user__init);
  if (u == NULL) return NULL;
  u->id = (char *)r->id;
  u->login = (char *)r->login;
  u->email = (char *)r->email;
  u->civility = civility_to_api(r->civility);
  u->first_name = (char *)r->first_name;
  u->last_name = (char *)r->last_name;
  u->phone_landline = (char *)r->phone_landline;
  u->phone_mobile = (char *)r->phone_mobile;
  u->language = (char *)r->language;
  u->status = status_to_api(r->status);
  u->account_type = strcmp(r->account_type, "personal") == 0
                        ? NUAGE__V1__ACCOUNT_TYPE__ACCOUNT_TYPE_PERSONAL
                        : NUAGE__V1__ACCOUNT_TYPE__ACCOUNT_TYPE_COMPANY;
  u->platform_operator = r->platform_operator;
  u->totp_enabled = r->totp_enabled;
  u->email_confirm_time = nu_rpc_timestamp(a, r->email_confirmed_us * 1000);
  u->terms_accept_time = nu_rpc_timestamp(a, r->terms_accepted_us * 1000);
  u->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  u->update_time = nu_rpc_timestamp(a, r->updated_us * 1000);
  u->commercial_consent = r->commercial_consent;
  u->etag = (char *)nu_rpc_etag(a, r->version);
  if (u->etag == NULL) return NULL;
  return u;
}

static nu_status reply_user(nu_arena *a, const nu_user_row *row, ProtobufCMessage **resp) {
  Nuage__V1__User *u = nu_user_to_api(a, row);
  if (u == NULL) return nu_rpc_oom(a);
  *resp = &u->base;
  return nu_ok();
}

/* ---- GetCurrentUser ------------------------------------------------------ */

typedef struct get_run {
  const char *id;
  nu_user_row row;
  nu_user_membership *memberships;
  size_t n_memberships;
} get_run;

static nu_status get_tx(nu_conn *c, nu_arena *a, void *arg) {
  get_run *r = arg;
  nu_status st = nu_user_get(c, a, r->id, &r->row);
  if (!nu_status_is_ok(&st)) return st;
  return nu_user_memberships(c, a, r->id, &r->memberships, &r->n_memberships);
}

/* "Your rights": the levels of the session's organisation (the principal's,
 * as every RPC is authorised with them) and the caller's organisations. */
static nu_status get_current_user(nu_call *call, const ProtobufCMessage *req,
                                  ProtobufCMessage **resp) {
  (void)req;
  nu_arena *a = nu_call_arena(call);
  const nu_principal *p = nu_call_principal(call);
  get_run r = {.id = p->id};
  nu_status st = nu_rpc_tx(call, true, get_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__User *u = nu_user_to_api(a, &r.row);
  if (u == NULL) return nu_rpc_oom(a);
  if (p->organization_id != NULL) {
    u->acting_organization_id = (char *)p->organization_id;
    u->n_roles = NU_SECTION_STOREFRONT;
    u->roles = (Nuage__V1__SectionRole **)nu_rpc_array(a, u->n_roles);
    if (u->roles == NULL) return nu_rpc_oom(a);
    for (size_t i = 0; i < u->n_roles; i++) {
      Nuage__V1__SectionRole *role =
          NU_RPC_NEW(a, Nuage__V1__SectionRole, nuage__v1__section_role__init);
      if (role == NULL) return nu_rpc_oom(a);
      role->section = (Nuage__V1__Section)(i + 1);
      role->level = nu_rpc_level_to_api(p->levels[i + 1]);
      u->roles[i] = role;
    }
  }
  u->n_memberships = r.n_memberships;
  u->memberships = (Nuage__V1__UserMembership **)nu_rpc_array(a, r.n_memberships);
  if (r.n_memberships > 0 && u->memberships == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < r.n_memberships; i++) {
    Nuage__V1__UserMembership *m =
        NU_RPC_NEW(a, Nuage__V1__UserMembership, nuage__v1__user_membership__init);
    if (m == NULL) return nu_rpc_oom(a);
    m->organization_id = (char *)r.memberships[i].organization_id;
    m->organization_name = (char *)r.memberships[i].organization_name;
    m->organization_code = (char *)r.memberships[i].organization_code;
    m->referent = r.memberships[i].referent;
    u->memberships[i] = m;
  }
  *resp = &u->base;
  return nu_ok();
}

/* ---- UpdateCurrentUser --------------------------------------------------- */

static void validate_name(nu_validator *v, const char *field, const char *value) {
  nu_validate_required(v, field, value);
  nu_validate_max_len(v, field, value, NU_PERSON_NAME_MAX_LEN);
}

static nu_status validate_update(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdateCurrentUserRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  nu_validator v;
  nu_validator_init(&v, a);
  const Nuage__V1__User *u = req->user;
  if (u == NULL) {
    nu_validate_fail(&v, "user", "is required");
    return nu_validator_result(&v);
  }
  validate_name(&v, "user.first_name", u->first_name);
  validate_name(&v, "user.last_name", u->last_name);
  nu_validate_enum(&v, "user.civility", &nuage__v1__civility__descriptor, u->civility, true);
  bool landline = u->phone_landline != NULL && u->phone_landline[0] != '\0';
  bool mobile = u->phone_mobile != NULL && u->phone_mobile[0] != '\0';
  nu_validate_phone(&v, "user.phone_landline", u->phone_landline);
  nu_validate_phone(&v, "user.phone_mobile", u->phone_mobile);
  if (!landline && !mobile) {
    nu_validate_fail(&v, "user.phone_mobile", "at least one phone number is required");
  }
  nu_language lang;
  if (nu_language_parse(u->language, &lang) != 0) {
    nu_validate_fail(&v, "user.language", "must be \"fr\" or \"en\"");
  }
  nu_validate_etag(&v, "user.etag", u->etag, false);
  return nu_validator_result(&v);
}

static const nu_audit_field audit_fields[] = {
    NU_AUDIT_TEXT("civility", nu_user_row, civility),
    NU_AUDIT_TEXT("first_name", nu_user_row, first_name),
    NU_AUDIT_TEXT("last_name", nu_user_row, last_name),
    NU_AUDIT_TEXT("phone_landline", nu_user_row, phone_landline),
    NU_AUDIT_TEXT("phone_mobile", nu_user_row, phone_mobile),
    NU_AUDIT_TEXT("language", nu_user_row, language),
    NU_AUDIT_BOOL("commercial_consent", nu_user_row, commercial_consent),
};

static nu_status user_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  nu_status st = nu_user_get_for_update(c, nu_call_arena(u->call), u->id, row);
  *found = nu_status_is_ok(&st);
  return st.code == NU_NOT_FOUND ? nu_ok() : st;
}

static nu_status user_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_user_write_profile(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static const nu_update_spec user_update = {
    .resource = "user",
    .target_type = "user",
    NU_UPDATE_ROW(nu_user_row, id, version),
    .fields = audit_fields,
    .n_fields = sizeof(audit_fields) / sizeof(audit_fields[0]),
    .lock = user_lock,
    .write = user_write,
};

/* Every editable field is replaced (the request carries the whole profile);
 * phones are stored normalised. */
static nu_status user_apply(nu_update *u, nu_conn *c, void *arg) {
  (void)c;
  nu_user_row *row = arg;
  nu_arena *a = nu_call_arena(u->call);
  const Nuage__V1__User *in = ((const Nuage__V1__UpdateCurrentUserRequest *)u->req)->user;
  if (nu_phone_normalized(a, in->phone_landline, &row->phone_landline, NULL) != 0 ||
      nu_phone_normalized(a, in->phone_mobile, &row->phone_mobile, NULL) != 0) {
    return nu_rpc_oom(a); /* the validator accepted them: only memory can fail */
  }
  row->civility = civility_from_api(in->civility);
  row->first_name = in->first_name;
  row->last_name = in->last_name;
  row->language = in->language;
  row->commercial_consent = in->commercial_consent;
  return nu_ok();
}

static nu_status update_current_user(nu_call *call, const ProtobufCMessage *msg,
                                     ProtobufCMessage **resp) {
  const Nuage__V1__UpdateCurrentUserRequest *req = (const void *)msg;
  nu_update u = {.call = call,
                 .spec = &user_update,
                 .id = nu_call_principal(call)->id,
                 .etag = req->user->etag,
                 .action = "user.update",
                 .req = req,
                 .apply = user_apply};
  nu_status st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  return reply_user(nu_call_arena(call), u.result, resp);
}

/* ---- ListUsers ----------------------------------------------------------- */

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListUsersRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  nu_validate_enum(&v, "status", &nuage__v1__user_status__descriptor, req->status, true);
  nu_validate_max_len(&v, "query", req->query, 254);
  return nu_validator_result(&v);
}

static nu_status fetch_users(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                             const void **rows, size_t *n) {
  nu_user_filter *f = ctx;
  nu_user_row *users = NULL;
  f->after_login = page->after_key;
  f->after_id = page->after_id;
  f->limit = page->limit;
  nu_status st = nu_user_list(c, a, f, &users, n);
  *rows = users;
  return st;
}

/* A page token's position: lower-case login and id of the last user. */
static int user_position(nu_arena *a, const void *row, const char **key, const char **id) {
  const nu_user_row *r = row;
  char *login = nu_arena_strdup(a, r->login);
  if (login == NULL) return -1;
  for (char *p = login; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  }
  *key = login;
  *id = r->id;
  return 0;
}

static ProtobufCMessage *user_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__User *u = nu_user_to_api(a, row);
  return u != NULL ? &u->base : NULL;
}

static const nu_list_spec kUserList = {
    .row_size = sizeof(nu_user_row),
    .fetch = fetch_users,
    .position_of = user_position,
    .to_api = user_api,
};

static nu_status list_users(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ListUsersRequest *req = (const void *)msg;
  nu_user_filter f = {.status = status_from_api(req->status),
                      .query = req->query[0] != '\0' ? req->query : NULL};
  return nu_list_run(call, msg, req->page_size, &kUserList, &f, resp);
}

/* ---- SetUserStatus ------------------------------------------------------- */

static nu_status validate_set_status(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SetUserStatusRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "user_id", req->user_id, "a user id", true);
  if (req->status != NUAGE__V1__USER_STATUS__USER_STATUS_ACTIVE &&
      req->status != NUAGE__V1__USER_STATUS__USER_STATUS_LOCKED &&
      req->status != NUAGE__V1__USER_STATUS__USER_STATUS_DISABLED) {
    nu_validate_fail(&v, "status", "must be ACTIVE, LOCKED or DISABLED");
  }
  nu_validate_max_len(&v, "reason", req->reason, NU_USER_STATUS_REASON_MAX_LEN);
  return nu_validator_result(&v);
}

typedef struct status_run {
  nu_call *call;
  const Nuage__V1__SetUserStatusRequest *req;
  nu_user_row before, after;
} status_run;

static nu_user_event status_event(Nuage__V1__UserStatus s) {
  switch (s) {
    case NUAGE__V1__USER_STATUS__USER_STATUS_LOCKED: return NU_USER_EVENT_OPERATOR_LOCK;
    case NUAGE__V1__USER_STATUS__USER_STATUS_DISABLED: return NU_USER_EVENT_OPERATOR_DISABLE;
    default: return NU_USER_EVENT_OPERATOR_ACTIVATE;
  }
}

/* The transition (nu_user_status_next) says what goes with the change, in
 * its transaction: locking or disabling ends every session of the user for
 * good (re-activating the user must not bring old tokens back); disabling
 * also revokes the access keys, a lock only suspends them (credential_store
 * refuses the keys of a user who is not active), so machine clients work
 * again once the lock is lifted; activating clears a sign-in lockout. */
static nu_status set_status_tx(nu_conn *c, nu_arena *a, void *arg) {
  status_run *r = arg;
  int64_t now = nu_rpc_now(r->call);
  nu_status st = nu_user_get_for_update(c, a, r->req->user_id, &r->before);
  if (!nu_status_is_ok(&st)) return st;
  nu_user_facts facts = {.email_confirmed = r->before.email_confirmed_us != 0};
  nu_user_transition t;
  nu_refusal why;
  if (nu_user_status_next(nu_user_state_parse(r->before.status), status_event(r->req->status),
                          &facts, &t, &why) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, why.message);
  }
  st = nu_user_set_status(c, a, r->before.id, nu_user_state_name(t.to), t.clear_lockout, now,
                          &r->after);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[4] = {{"status", r->before.status, r->after.status}};
  size_t n = 1;
  if (r->req->reason[0] != '\0') ch[n++] = (nu_audit_change){"reason", NULL, r->req->reason};
  if (t.revoke_sessions) {
    int sessions = 0;
    st = nu_session_revoke_all(c, a, r->after.id, NULL, now, &sessions);
    if (!nu_status_is_ok(&st)) return st;
    ch[n++] = (nu_audit_change){"sessions_revoked", NULL, nu_arena_sprintf(a, "%d", sessions)};
  }
  if (t.revoke_access_keys) {
    int keys = 0;
    st = nu_access_key_revoke_all(c, a, r->after.id, now, &keys);
    if (!nu_status_is_ok(&st)) return st;
    ch[n++] = (nu_audit_change){"access_keys_revoked", NULL, nu_arena_sprintf(a, "%d", keys)};
  }
  return nu_rpc_audit(r->call, c, NULL, "user.set_status", "user", r->after.id, ch, n);
}

static nu_status set_user_status(nu_call *call, const ProtobufCMessage *msg,
                                 ProtobufCMessage **resp) {
  const Nuage__V1__SetUserStatusRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  const nu_principal *p = nu_call_principal(call);
  /* An operator locking themself out would need another operator to undo it. */
  if (p->id != NULL && strcasecmp(p->id, req->user_id) == 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "OWN_STATUS",
                    "an operator cannot change their own status");
  }
  status_run r = {.call = call, .req = req};
  nu_status st = nu_rpc_tx(call, false, set_status_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  return reply_user(a, &r.after, resp);
}

/* ---- rows ---------------------------------------------------------------- */

const nu_method nu_user_methods[] = {
    NU_RPC_ROW("UserService", "SignUp", sign_up_request, sign_up_response,
               nu_signup_validate_sign_up, nu_signup_sign_up, .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("UserService", "ResendConfirmationEmail", resend_confirmation_email_request,
               resend_confirmation_email_response, nu_signup_validate_resend, nu_signup_resend,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("UserService", "ConfirmEmail", confirm_email_request, confirm_email_response,
               nu_signup_validate_confirm_email, nu_signup_confirm_email,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("UserService", "AcceptTerms", accept_terms_request, user,
               nu_signup_validate_accept_terms, nu_signup_accept_terms,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("UserService", "GetCurrentUser", get_current_user_request, user, NULL,
               get_current_user),
    NU_RPC_ROW("UserService", "UpdateCurrentUser", update_current_user_request, user,
               validate_update, update_current_user),
    /* Per address as the public writes: each call costs an Argon2id check. */
    NU_RPC_ROW("UserService", "RequestEmailChange", request_email_change_request,
               request_email_change_response, nu_email_change_validate_request,
               nu_email_change_request, .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("UserService", "ConfirmEmailChange", confirm_email_change_request,
               confirm_email_change_response, nu_email_change_validate_confirm,
               nu_email_change_confirm, .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("UserService", "ListUsers", list_users_request, list_users_response, validate_list,
               list_users),
    NU_RPC_ROW("UserService", "SetUserStatus", set_user_status_request, user, validate_set_status,
               set_user_status),
};
const size_t nu_user_methods_count = sizeof(nu_user_methods) / sizeof(nu_user_methods[0]);
