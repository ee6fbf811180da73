/*
 * invitation.c — OrganizationService: invitations.
 *
 * An invitation names an e-mail address. When the address has an account,
 * that account (and its login) is invited; otherwise an account is created
 * with status invited and a login given in the request or derived from
 * the address. Each sending writes a set-password link (user_links,
 * purpose set_password, 24 h) and an e-mail to the outbox in the same
 * transaction; a resend or a revocation spends the invitation's earlier
 * links. Accepting spends the link, sets the password of an account that
 * has none, and creates the membership with the invited roles. A link that
 * is unknown, expired, used, or whose invitation was revoked gets one
 * answer (FAILED_PRECONDITION INVALID_LINK), whatever the case.
 */
#include "server/rpc/organization/invitation.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "nuage/v1/organization.pb-c.h"
#include "server/domain/identity/login.h"
#include "server/domain/identity/policy.h"
#include "server/domain/identity/user_status.h"
#include "server/domain/organization/invitation_roles.h"
#include "server/domain/organization/invitation_status.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/core/password.h"
#include "server/rpc/organization/organization_common.h"
#include "server/store/identity/link_store.h"
#include "server/store/identity/user_store.h"
#include "server/store/organization/invitation_store.h"
#include "server/store/organization/membership_store.h"
#include "server/store/organization/organization_store.h"
#include "server/validate/email.h"
#include "server/validate/enum.h"
#include "server/validate/ids.h"
#include "server/validate/phone.h"

#define NAME_MAX_LEN NU_PERSON_NAME_MAX_LEN /* domain/identity/policy.h */
#define TOKEN_MAX_LEN 128

/* The state callers see (pending past its expiry reads expired). */
static nu_invitation_state state_of(const nu_invitation_row *r, int64_t now_ns) {
  return nu_invitation_state_at(nu_invitation_state_parse(r->status), r->expires_us * 1000, now_ns);
}

/* The API's states are the domain's, value for value. */
static Nuage__V1__Invitation__State state_to_api(nu_invitation_state s) {
  return (Nuage__V1__Invitation__State)s;
}

static Nuage__V1__Invitation *to_api(nu_arena *a, const nu_invitation_row *r, int64_t now_ns) {
  Nuage__V1__Invitation *v = NU_RPC_NEW(a, Nuage__V1__Invitation, nuage__v1__invitation__init);
  if (v == NULL) return NULL;
  v->id = (char *)r->id;
  v->organization_id = (char *)r->organization_id;
  v->email = (char *)r->email;
  v->login = (char *)r->login;
  v->user_id = (char *)r->user_id;
  v->roles = nu_org_roles_of(a, r->levels);
  if (v->roles == NULL) return NULL;
  v->n_roles = NU_MEMBERSHIP_SECTIONS;
  v->state = state_to_api(state_of(r, now_ns));
  v->existing_account = r->existing_account;
  v->sent_count = r->sent_count;
  v->invited_by_user_id = (char *)(r->invited_by != NULL ? r->invited_by : "");
  v->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  v->expire_time = nu_rpc_timestamp(a, r->expires_us * 1000);
  v->accept_time = nu_rpc_timestamp(a, r->accepted_us * 1000);
  v->revoke_time = nu_rpc_timestamp(a, r->revoked_us * 1000);
  return v;
}

static nu_status reply(nu_call *call, const nu_invitation_row *r, ProtobufCMessage **resp) {
  nu_arena *a = nu_call_arena(call);
  Nuage__V1__Invitation *v = to_api(a, r, nu_rpc_now(call));
  if (v == NULL) return nu_rpc_oom(a);
  *resp = &v->base;
  return nu_ok();
}

static nu_status scope(nu_call *call, const char *org, const char *invitation,
                       const char **org_out) {
  nu_status st = nu_rpc_scope_org(call, org, org_out);
  if (!nu_status_is_ok(&st)) return st;
  nu_arena *a = nu_call_arena(call);
  if (!nu_id_valid(*org_out)) return nu_rpc_not_found(a, "organization");
  if (invitation != NULL && !nu_id_valid(invitation)) return nu_rpc_not_found(a, "invitation");
  return nu_ok();
}

/* Writes a fresh link of the invitation and queues its e-mail. */
static nu_status send_link(nu_call *call, nu_conn *c, const nu_invitation_row *inv,
                           const char *template_name) {
  nu_arena *a = nu_call_arena(call);
  const nu_app *app = nu_call_app(call);
  int64_t now = nu_rpc_now(call);
  nu_org_row org;
  bool found = false;
  nu_status st = nu_org_get(c, a, inv->organization_id, false, &org, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "organization");
  char token[NU_TOKEN_SIZE];
  nu_link_new l = {.user_id = inv->user_id,
                   .purpose = "set_password",
                   .invitation_id = inv->id,
                   .now_ns = now,
                   .ttl_ns = inv->expires_us * 1000 - now};
  st = nu_link_create(c, a, &l, false, token);
  if (!nu_status_is_ok(&st)) return st;
  const char *base = app->public_url != NULL ? app->public_url : "";
  const char *kv[] = {
      "organization_name",
      org.name,
      "login",
      inv->login,
      "existing_account",
      inv->existing_account ? "true" : "false",
      "token",
      token,
      "link",
      nu_arena_sprintf(a, "%s/invitations/accept?token=%s", base, token),
      "expires_at_us",
      nu_arena_sprintf(a, "%" PRId64, inv->expires_us),
  };
  if (kv[9] == NULL || kv[11] == NULL) return nu_rpc_oom(a);
  return nu_rpc_email(call, c, inv->email, template_name, inv->organization_id, kv, 6);
}

static const char *template_for(const nu_invitation_row *inv, bool resent) {
  if (inv->existing_account) return resent ? "invitation_existing_resent" : "invitation_existing";
  return resent ? "invitation_resent" : "invitation";
}

/* ---- CreateInvitation ------------------------------------------------------- */

static nu_status validate_create(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreateInvitationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const char *why = NULL;
  nu_validate_email(&v, "email", req->email, true);
  if (req->login != NULL && req->login[0] != '\0' && nu_login_check(req->login, &why) != 0) {
    nu_validate_fail(&v, "login", "%s", why);
  }
  nu_org_validate_roles(&v, req->roles, req->n_roles);
  nu_validate_max_len(&v, "first_name", req->first_name, NAME_MAX_LEN);
  nu_validate_max_len(&v, "last_name", req->last_name, NAME_MAX_LEN);
  nu_validate_max_len(&v, "request_id", req->request_id, 128);
  return nu_validator_result(&v);
}

/* A login for a new account from its address: the local part's allowed
 * characters, lengthened to the minimum, then numbered until free. */
static nu_status derive_login(nu_conn *c, nu_arena *a, const char *email, const char **out) {
  char base[NU_LOGIN_MAX + 1];
  size_t len = 0;
  for (const char *p = email; *p != '\0' && *p != '@' && len < NU_LOGIN_MAX - 4; p++) {
    if (isalnum((unsigned char)*p) || *p == '.' || *p == '_' || *p == '-') base[len++] = *p;
  }
  const char *domain = strchr(email, '@');
  if (len < NU_LOGIN_MIN && domain != NULL) {
    if (len > 0) base[len++] = '.';
    for (const char *p = domain + 1; *p != '\0' && *p != '.' && len < NU_LOGIN_MAX - 4; p++) {
      if (isalnum((unsigned char)*p) || *p == '-') base[len++] = *p;
    }
  }
  while (len < NU_LOGIN_MIN) base[len++] = '0';
  base[len] = '\0';
  for (int n = 0; n < 1000; n++) {
    const char *candidate =
        n == 0 ? nu_arena_strdup(a, base) : nu_arena_sprintf(a, "%s%d", base, n);
    if (candidate == NULL) return nu_rpc_oom(a);
    bool taken = false;
    nu_status st = nu_invitation_login_taken(c, a, candidate, &taken);
    if (!nu_status_is_ok(&st)) return st;
    if (!taken) {
      *out = candidate;
      return nu_ok();
    }
  }
  return nu_error(a, NU_ALREADY_EXISTS, "LOGIN_TAKEN", "no free login derives from this e-mail");
}

typedef struct create_ctx {
  nu_call *call;
  const Nuage__V1__CreateInvitationRequest *req;
  const char *org;
  const char *email; /* normalised */
} create_ctx;

static nu_status create_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  create_ctx *x = arg;
  const Nuage__V1__CreateInvitationRequest *req = x->req;
  int64_t now = nu_rpc_now(x->call);
  nu_invitee who;
  bool found = false;
  nu_status st = nu_invitation_find_user(c, a, x->email, &who, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (found) {
    nu_member_row m;
    bool member = false;
    st = nu_membership_get(c, a, x->org, who.id, false, &m, &member);
    if (!nu_status_is_ok(&st)) return st;
    if (member) {
      st = nu_error(a, NU_ALREADY_EXISTS, "ALREADY_MEMBER",
                    "this address is already a member of the organization");
      nu_status_add_violation(a, &st, "email", "already a member");
      return st;
    }
  } else {
    const char *login = req->login;
    if (login == NULL || login[0] == '\0') {
      st = derive_login(c, a, x->email, &login);
      if (!nu_status_is_ok(&st)) return st;
    }
    st = nu_invitation_create_user(c, a, login, x->email, req->first_name, req->last_name, now,
                                   &who);
    if (!nu_status_is_ok(&st)) return st;
  }
  /* Unmentioned sections: the least-privilege defaults. */
  _Static_assert(NU_MEMBERSHIP_SECTIONS == NU_SECTION_STOREFRONT, "one level per section");
  nu_level defaults[NU_SECTION_STOREFRONT];
  nu_invitation_default_levels(defaults);
  int levels[NU_MEMBERSHIP_SECTIONS];
  for (int i = 0; i < NU_MEMBERSHIP_SECTIONS; i++) levels[i] = (int)defaults[i];
  nu_org_apply_roles(req->roles, req->n_roles, levels);
  nu_invitation_new n = {.organization_id = x->org,
                         .user_id = who.id,
                         .email = x->email,
                         .levels = levels,
                         .invited_by = nu_call_principal(x->call)->id,
                         .now_ns = now,
                         .expires_ns = now + NU_INVITATION_TTL_NS};
  nu_invitation_row inv;
  st = nu_invitation_insert(c, a, &n, &inv);
  if (!nu_status_is_ok(&st)) return st;
  st = send_link(x->call, c, &inv, template_for(&inv, false));
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {
      {"email", NULL, inv.email},
      {"login", NULL, inv.login},
      {"levels", NULL, nu_org_levels_text(a, levels)},
      {"user_created", NULL, found ? "false" : "true"},
  };
  st = nu_rpc_audit(x->call, c, x->org, "invitation.create", "invitation", inv.id, ch, 4);
  if (!nu_status_is_ok(&st)) return st;
  return reply(x->call, &inv, resp);
}

static nu_status create_invitation(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__CreateInvitationRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  create_ctx x = {.call = call, .req = req};
  nu_status st = scope(call, req->organization_id, NULL, &x.org);
  if (!nu_status_is_ok(&st)) return st;
  char *email = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (email == NULL) return nu_rpc_oom(a);
  if (nu_email_normalize(req->email, email, NU_EMAIL_BUF_SIZE, NULL) != 0) {
    return nu_error(a, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "email is not valid");
  }
  x.email = email;
  return nu_rpc_create_tx(call, req->request_id, msg, create_tx, &x, resp);
}

/* ---- GetInvitation ------------------------------------------------------------ */

static nu_status validate_get(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetInvitationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "invitation_id", req->invitation_id);
  return nu_validator_result(&v);
}

typedef struct one_ctx {
  nu_call *call;
  const char *org;
  const char *id;
  nu_invitation_row row;
} one_ctx;

static nu_status get_tx(nu_conn *c, nu_arena *a, void *arg) {
  one_ctx *x = arg;
  bool found = false;
  nu_status st = nu_invitation_get(c, a, x->org, x->id, false, &x->row, &found);
  if (nu_status_is_ok(&st) && !found) return nu_rpc_not_found(a, "invitation");
  return st;
}

/* Get, resend and revoke: one invitation of the caller's organisation, one
 * transaction (fn), the invitation as the reply. */
static nu_status on_one(nu_call *call, const char *org_id, const char *inv_id, bool read_only,
                        nu_tx_fn fn, ProtobufCMessage **resp) {
  one_ctx x = {.call = call, .id = inv_id};
  nu_status st = scope(call, org_id, inv_id, &x.org);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_tx(call, read_only, fn, &x);
  if (!nu_status_is_ok(&st)) return st;
  return reply(call, &x.row, resp);
}

static nu_status get_invitation(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__GetInvitationRequest *req = (const void *)msg;
  return on_one(call, req->organization_id, req->invitation_id, true, get_tx, resp);
}

/* ---- ListInvitations ------------------------------------------------------------ */

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListInvitationsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  nu_validate_enum(&v, "state", &nuage__v1__invitation__state__descriptor, req->state, true);
  return nu_validator_result(&v);
}

typedef struct list_ctx {
  nu_invitation_filter filter;
  int64_t now; /* the server's clock when the call began */
} list_ctx;

static nu_status fetch_invitations(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                                   const void **rows, size_t *n) {
  list_ctx *x = ctx;
  nu_invitation_row *invitations = NULL;
  x->filter.after_created_us = page->after_int64;
  x->filter.after_id = page->after_id;
  x->filter.limit = page->limit;
  nu_status st = nu_invitation_list(c, a, &x->filter, &invitations, n);
  *rows = invitations;
  return st;
}

static ProtobufCMessage *invitation_api(nu_arena *a, void *ctx, const void *row) {
  Nuage__V1__Invitation *i = to_api(a, row, ((list_ctx *)ctx)->now);
  return i != NULL ? &i->base : NULL;
}

static const nu_list_spec kInvitationList = {
    .row_size = sizeof(nu_invitation_row),
    NU_LIST_KEY_INT64(nu_invitation_row, created_us),
    NU_LIST_ID(nu_invitation_row, id),
    .fetch = fetch_invitations,
    .to_api = invitation_api,
};

static nu_status list_invitations(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__ListInvitationsRequest *req = (const void *)msg;
  int64_t now = nu_rpc_now(call);
  list_ctx x = {
      .filter = {.state = nu_invitation_state_name((nu_invitation_state)req->state), .now_ns = now},
      .now = now};
  nu_status st = scope(call, req->organization_id, NULL, &x.filter.organization_id);
  if (!nu_status_is_ok(&st)) return st;
  return nu_list_run(call, msg, req->page_size, &kInvitationList, &x, resp);
}

/* ---- ResendInvitation / RevokeInvitation ----------------------------------------- */

static nu_status validate_resend(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ResendInvitationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "invitation_id", req->invitation_id);
  return nu_validator_result(&v);
}

static nu_status validate_revoke(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RevokeInvitationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "invitation_id", req->invitation_id);
  return nu_validator_result(&v);
}

/* Reads the invitation FOR UPDATE; ev must apply to it (not accepted or
 * revoked): *to is the state to store. */
static nu_status load_open(nu_conn *c, nu_arena *a, one_ctx *x, nu_invitation_event ev,
                           nu_invitation_row *before, nu_invitation_state *to) {
  bool found = false;
  nu_status st = nu_invitation_get(c, a, x->org, x->id, true, before, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "invitation");
  nu_refusal why;
  if (nu_invitation_status_next(state_of(before, nu_rpc_now(x->call)), ev, to, &why) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, why.message);
  }
  return nu_ok();
}

static nu_status resend_tx(nu_conn *c, nu_arena *a, void *arg) {
  one_ctx *x = arg;
  nu_invitation_row before;
  nu_invitation_state to;
  nu_status st = load_open(c, a, x, NU_INVITATION_EVENT_RESEND, &before, &to);
  if (!nu_status_is_ok(&st)) return st;
  int64_t now = nu_rpc_now(x->call);
  st = nu_invitation_kill_links(c, a, x->id, now);
  if (nu_status_is_ok(&st))
    st = nu_invitation_resent(c, a, x->id, now + NU_INVITATION_TTL_NS, &x->row);
  if (nu_status_is_ok(&st)) st = send_link(x->call, c, &x->row, template_for(&x->row, true));
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {
      {"sent_count", nu_arena_sprintf(a, "%d", before.sent_count),
       nu_arena_sprintf(a, "%d", x->row.sent_count)},
      {"expires_at_us", nu_arena_sprintf(a, "%" PRId64, before.expires_us),
       nu_arena_sprintf(a, "%" PRId64, x->row.expires_us)},
  };
  return nu_rpc_audit(x->call, c, x->org, "invitation.resend", "invitation", x->id, ch, 2);
}

static nu_status revoke_tx(nu_conn *c, nu_arena *a, void *arg) {
  one_ctx *x = arg;
  nu_invitation_row before;
  nu_invitation_state to;
  nu_status st = load_open(c, a, x, NU_INVITATION_EVENT_REVOKE, &before, &to);
  if (!nu_status_is_ok(&st)) return st;
  int64_t now = nu_rpc_now(x->call);
  const char *to_name = nu_invitation_state_name(to);
  st = nu_invitation_kill_links(c, a, x->id, now);
  if (nu_status_is_ok(&st)) st = nu_invitation_finish(c, a, x->id, to_name, now, &x->row);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch = {"status", before.status, to_name};
  return nu_rpc_audit(x->call, c, x->org, "invitation.revoke", "invitation", x->id, &ch, 1);
}

static nu_status resend_invitation(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__ResendInvitationRequest *req = (const void *)msg;
  return on_one(call, req->organization_id, req->invitation_id, false, resend_tx, resp);
}

static nu_status revoke_invitation(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__RevokeInvitationRequest *req = (const void *)msg;
  return on_one(call, req->organization_id, req->invitation_id, false, revoke_tx, resp);
}

/* ---- AcceptInvitation -------------------------------------------------------------- */

static nu_status validate_accept(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__AcceptInvitationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "token", req->token);
  nu_validate_max_len(&v, "token", req->token, TOKEN_MAX_LEN);
  nu_validate_phone(&v, "phone_landline", req->phone_landline);
  nu_validate_phone(&v, "phone_mobile", req->phone_mobile);
  return nu_validator_result(&v);
}

typedef struct accept_ctx {
  nu_call *call;
  const Nuage__V1__AcceptInvitationRequest *req;
  nu_invitation_row row;
  const char *landline, *mobile; /* a new account's phones, for the audit */
} accept_ctx;

/* A new account's phones (at least one before it is active, as a sign-up's
 * at ConfirmEmail), written on the locked invitee. */
static nu_status accept_phones(accept_ctx *x, nu_conn *c, nu_arena *a, const nu_user_row *invitee) {
  nu_user_row phones = *invitee;
  nu_validator v;
  nu_validator_init(&v, a);
  if (nu_phone_merge(&v, "phone_mobile", x->req->phone_landline, x->req->phone_mobile,
                     &phones.phone_landline, &phones.phone_mobile) != 0) {
    return nu_rpc_oom(a);
  }
  nu_status st = nu_validator_result(&v);
  if (!nu_status_is_ok(&st)) return st;
  x->landline = phones.phone_landline;
  x->mobile = phones.phone_mobile;
  if (strcmp(phones.phone_landline, invitee->phone_landline) == 0 &&
      strcmp(phones.phone_mobile, invitee->phone_mobile) == 0) {
    return nu_ok();
  }
  nu_user_row after;
  return nu_user_write_profile(c, a, &phones, nu_rpc_now(x->call), &after);
}

static nu_status invalid_link(nu_arena *a) {
  /* The wording of link_store's nu_link_consume, so every refusal reads
   * the same. */
  return nu_error(a, NU_FAILED_PRECONDITION, "INVALID_LINK",
                  "this link is invalid, expired or already used");
}

static nu_status accept_tx(nu_conn *c, nu_arena *a, void *arg) {
  accept_ctx *x = arg;
  int64_t now = nu_rpc_now(x->call);
  nu_link_use use = {0};
  nu_status st =
      nu_link_consume(c, a, x->req->token, strlen(x->req->token), "set_password", now, &use);
  if (!nu_status_is_ok(&st)) return st;
  if (use.invitation_id == NULL) return invalid_link(a);
  nu_invitation_row inv;
  bool found = false;
  st = nu_invitation_get(c, a, NULL, use.invitation_id, true, &inv, &found);
  if (!nu_status_is_ok(&st)) return st;
  /* An accepted, revoked or expired invitation answers like any dead link. */
  nu_invitation_state to;
  if (!found ||
      nu_invitation_status_next(state_of(&inv, now), NU_INVITATION_EVENT_ACCEPT, &to, NULL) != 0) {
    return invalid_link(a);
  }
  if (!inv.existing_account) {
    /* Checked here, once the login is known; a refusal rolls back, so the
     * link still works for a better password. */
    nu_user_row invitee;
    st = nu_user_get_for_update(c, a, inv.user_id, &invitee);
    if (!nu_status_is_ok(&st)) return st;
    nu_user_transition t;
    if (nu_user_status_next(nu_user_state_parse(invitee.status), NU_USER_EVENT_ENROLL, NULL, &t,
                            NULL) != 0) {
      return invalid_link(a);
    }
    st = nu_auth_check_policy(x->call, "password", x->req->password, inv.login);
    const char *hash = NULL;
    if (nu_status_is_ok(&st)) st = accept_phones(x, c, a, &invitee);
    if (nu_status_is_ok(&st)) st = nu_auth_hash_password(x->call, x->req->password, &hash);
    if (nu_status_is_ok(&st)) st = nu_invitation_activate_user(c, a, inv.user_id, hash, now);
    if (!nu_status_is_ok(&st)) return st;
    /* The first password: the account holder is told it is set. */
    const char *kv[] = {"login", inv.login};
    st = nu_rpc_email(x->call, c, invitee.email, "password_set", inv.organization_id, kv, 1);
    if (!nu_status_is_ok(&st)) return st;
  }
  st = nu_membership_insert(c, a, inv.organization_id, inv.user_id, inv.levels, now);
  const char *to_name = nu_invitation_state_name(to);
  if (nu_status_is_ok(&st)) st = nu_invitation_finish(c, a, inv.id, to_name, now, &x->row);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {
      {"status", inv.status, to_name},
      {"password", NULL, "(set)"},
      {"phone_landline", NULL, x->landline != NULL && x->landline[0] ? x->landline : NULL},
      {"phone_mobile", NULL, x->mobile != NULL && x->mobile[0] ? x->mobile : NULL},
  };
  return nu_rpc_audit(x->call, c, inv.organization_id, "invitation.accept", "invitation", inv.id,
                      ch, inv.existing_account ? 1 : 4);
}

static nu_status accept_invitation(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__AcceptInvitationRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  accept_ctx x = {.call = call, .req = req};
  nu_status st = nu_rpc_tx(call, false, accept_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__AcceptInvitationResponse *out = NU_RPC_NEW(
      a, Nuage__V1__AcceptInvitationResponse, nuage__v1__accept_invitation_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->organization_id = (char *)x.row.organization_id;
  out->user_id = (char *)x.row.user_id;
  out->login = (char *)x.row.login;
  *resp = &out->base;
  return nu_ok();
}

/* ---- the rows --------------------------------------------------------------------- */

const nu_method nu_invitation_methods[] = {
    NU_RPC_ROW("OrganizationService", "CreateInvitation", create_invitation_request, invitation,
               validate_create, create_invitation),
    NU_RPC_ROW("OrganizationService", "GetInvitation", get_invitation_request, invitation,
               validate_get, get_invitation),
    NU_RPC_ROW("OrganizationService", "ListInvitations", list_invitations_request,
               list_invitations_response, validate_list, list_invitations),
    NU_RPC_ROW("OrganizationService", "ResendInvitation", resend_invitation_request, invitation,
               validate_resend, resend_invitation),
    NU_RPC_ROW("OrganizationService", "RevokeInvitation", revoke_invitation_request, invitation,
               validate_revoke, revoke_invitation),
    /* Public: the e-mailed token is the credential. */
    NU_RPC_ROW("OrganizationService", "AcceptInvitation", accept_invitation_request,
               accept_invitation_response, validate_accept, accept_invitation,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
};
const size_t nu_invitation_methods_count =
    sizeof(nu_invitation_methods) / sizeof(nu_invitation_methods[0]);
