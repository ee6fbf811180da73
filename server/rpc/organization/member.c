/*
 * member.c — OrganizationService: members and roles.
 *
 * Rules kept here (DOMAIN.md §1): managers of the users section change
 * roles and remove members; the referent cannot be removed and keeps
 * manager on users (someone must always be able to manage members); only
 * the referent (or the platform operator) hands the role over, to a
 * member, who gets manager on users at least. Managers of users also edit
 * a member's profile (civility, names, phones, language), never what
 * signs the member in (e-mail, login, password). Removing a member detaches
 * their sessions acting for the organisation (they stay signed in, acting
 * for none) and revokes their access keys for it.
 */
#include "server/rpc/organization/member.h"

#include <string.h>

#include "nuage/v1/organization.pb-c.h"
#include "server/domain/identity/login.h"
#include "server/domain/identity/policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/core/update.h"
#include "server/rpc/organization/organization.h"
#include "server/rpc/organization/organization_common.h"
#include "server/store/identity/user_store.h"
#include "server/store/organization/membership_store.h"
#include "server/store/organization/organization_store.h"
#include "server/validate/enum.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"
#include "server/validate/phone.h"

#define QUERY_MAX_LEN 100

static Nuage__V1__Member *member_to_api(nu_arena *a, const nu_member_row *r) {
  Nuage__V1__Member *m = NU_RPC_NEW(a, Nuage__V1__Member, nuage__v1__member__init);
  if (m == NULL) return NULL;
  m->user_id = (char *)r->user_id;
  m->login = (char *)r->login;
  m->email = (char *)r->email;
  m->first_name = (char *)r->first_name;
  m->last_name = (char *)r->last_name;
  m->roles = nu_org_roles_of(a, r->levels);
  if (m->roles == NULL) return NULL;
  m->n_roles = NU_MEMBERSHIP_SECTIONS;
  m->referent = r->referent;
  m->etag = (char *)nu_rpc_etag(a, r->version);
  m->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  m->organization_id = (char *)r->organization_id;
  m->civility =
      (Nuage__V1__Civility)nu_enum_parse_text(&nuage__v1__civility__descriptor, r->civility);
  m->phone_landline = (char *)r->phone_landline;
  m->phone_mobile = (char *)r->phone_mobile;
  m->language = (char *)r->language;
  return m;
}

/* The organisation named (or the caller's), NOT_FOUND as for an absent
 * one when it is not the caller's; a member id that is not a uuid names
 * no member. */
static nu_status scope(nu_call *call, const char *org, const char *user, const char **org_out) {
  nu_status st = nu_rpc_scope_org(call, org, org_out);
  if (!nu_status_is_ok(&st)) return st;
  nu_arena *a = nu_call_arena(call);
  if (!nu_id_valid(*org_out)) return nu_rpc_not_found(a, "organization");
  if (user != NULL && !nu_id_valid(user)) return nu_rpc_not_found(a, "member");
  return nu_ok();
}

/* ---- ListMembers ------------------------------------------------------------ */

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListMembersRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  nu_validate_max_len(&v, "query", req->query, QUERY_MAX_LEN);
  return nu_validator_result(&v);
}

static nu_status fetch_members(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                               const void **rows, size_t *n) {
  nu_member_filter *f = ctx;
  nu_member_row *members = NULL;
  f->after_login = page->after_key;
  f->after_id = page->after_id;
  f->limit = page->limit;
  nu_status st = nu_membership_list(c, a, f, &members, n);
  *rows = members;
  return st;
}

static ProtobufCMessage *member_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__Member *m = member_to_api(a, row);
  return m != NULL ? &m->base : NULL;
}

static const nu_list_spec kMemberList = {
    .row_size = sizeof(nu_member_row),
    NU_LIST_KEY_TEXT(nu_member_row, sort_key),
    NU_LIST_ID(nu_member_row, user_id),
    .fetch = fetch_members,
    .to_api = member_api,
};

static nu_status list_members(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ListMembersRequest *req = (const void *)msg;
  nu_member_filter f = {.query = req->query};
  nu_status st = scope(call, req->organization_id, NULL, &f.organization_id);
  if (!nu_status_is_ok(&st)) return st;
  return nu_list_run(call, msg, req->page_size, &kMemberList, &f, resp);
}

/* ---- UpdateMemberRoles ------------------------------------------------------ */

static nu_status validate_update(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdateMemberRolesRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "user_id", req->user_id);
  if (req->n_roles == 0) nu_validate_fail(&v, "roles", "names no section");
  nu_org_validate_roles(&v, req->roles, req->n_roles);
  nu_validate_etag(&v, "etag", req->etag, true);
  return nu_validator_result(&v);
}

static int levels_text(nu_arena *a, const void *row, const char **out) {
  *out = nu_org_levels_text(a, ((const nu_member_row *)row)->levels);
  return *out != NULL ? 0 : -1;
}

static const nu_audit_field member_fields[] = {NU_AUDIT_FORMAT("levels", levels_text)};

/* The member is named by (organisation, user): u->id is the user, u->ctx
 * the organisation (already scoped to the caller's). */
static nu_status member_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  return nu_membership_get(c, nu_call_arena(u->call), u->ctx, u->id, true, row, found);
}

static nu_status member_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  const nu_member_row *m = after;
  return nu_membership_set_levels(c, nu_call_arena(u->call), m->organization_id, m->user_id,
                                  m->levels, nu_rpc_now(u->call), result);
}

static const nu_update_spec member_update = {
    .resource = "member",
    .target_type = "member",
    NU_UPDATE_ROW(nu_member_row, user_id, version),
    .fields = member_fields,
    .n_fields = sizeof(member_fields) / sizeof(member_fields[0]),
    .lock = member_lock,
    .write = member_write,
    NU_UPDATE_ORG(nu_member_row, organization_id),
};

static nu_status roles_apply(nu_update *u, nu_conn *c, void *arg) {
  (void)c;
  nu_member_row *row = arg;
  const Nuage__V1__UpdateMemberRolesRequest *req = u->req;
  nu_org_apply_roles(req->roles, req->n_roles, row->levels);
  if (row->referent && row->levels[NU_SECTION_USERS - 1] < NU_LEVEL_MANAGER) {
    return nu_error(nu_call_arena(u->call), NU_FAILED_PRECONDITION, "REFERENT_MANAGES_USERS",
                    "the referent keeps manager on users: transfer the referent role first");
  }
  return nu_ok();
}

static nu_status update_member_roles(nu_call *call, const ProtobufCMessage *msg,
                                     ProtobufCMessage **resp) {
  const Nuage__V1__UpdateMemberRolesRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  const char *org = NULL;
  nu_status st = scope(call, req->organization_id, req->user_id, &org);
  if (!nu_status_is_ok(&st)) return st;
  nu_update u = {.call = call,
                 .spec = &member_update,
                 .id = req->user_id,
                 .etag = req->etag,
                 .action = "member.update_roles",
                 .req = req,
                 .ctx = (void *)org,
                 .apply = roles_apply};
  st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__Member *out = member_to_api(a, u.result);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- UpdateMember ----------------------------------------------------------- */

static const char *const kProfilePaths[] = {"civility",       "first_name",   "last_name",
                                            "phone_landline", "phone_mobile", "language"};

/* What signs the member in is theirs alone (RequestEmailChange,
 * ChangePassword): a manager is told so on the path rather than "not a
 * field". */
static const char *const kSelfOnlyPaths[] = {"email", "login", "password"};

static void validate_name(nu_validator *v, const char *field, const char *value) {
  nu_validate_required(v, field, value);
  nu_validate_max_len(v, field, value, NU_PERSON_NAME_MAX_LEN);
}

static nu_status validate_update_member(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdateMemberRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  nu_validator v;
  nu_validator_init(&v, a);
  const Nuage__V1__Member *m = req->member;
  if (m == NULL) {
    nu_validate_fail(&v, "member", "is required");
    return nu_validator_result(&v);
  }
  nu_validate_required(&v, "member.user_id", m->user_id);
  nu_validate_etag(&v, "member.etag", m->etag, true);
  const Google__Protobuf__FieldMask *mask = req->update_mask;
  bool self_only = false;
  for (size_t i = 0; mask != NULL && i < mask->n_paths; i++) {
    for (size_t j = 0; j < sizeof(kSelfOnlyPaths) / sizeof(kSelfOnlyPaths[0]); j++) {
      if (strcmp(mask->paths[i], kSelfOnlyPaths[j]) == 0) {
        nu_validate_fail(&v, nu_arena_sprintf(a, "update_mask.paths[%zu]", i),
                         "only the member changes their e-mail, login or password");
        self_only = true;
      }
    }
  }
  if (!self_only) {
    nu_update_validate_mask(&v, mask, kProfilePaths,
                            sizeof(kProfilePaths) / sizeof(kProfilePaths[0]));
  }
  if (nu_update_masked(mask, "first_name")) validate_name(&v, "member.first_name", m->first_name);
  if (nu_update_masked(mask, "last_name")) validate_name(&v, "member.last_name", m->last_name);
  if (nu_update_masked(mask, "civility")) {
    nu_validate_enum(&v, "member.civility", &nuage__v1__civility__descriptor, m->civility, true);
  }
  if (nu_update_masked(mask, "phone_landline")) {
    nu_validate_phone(&v, "member.phone_landline", m->phone_landline);
  }
  if (nu_update_masked(mask, "phone_mobile")) {
    nu_validate_phone(&v, "member.phone_mobile", m->phone_mobile);
  }
  nu_language lang;
  if (nu_update_masked(mask, "language") && nu_language_parse(m->language, &lang) != 0) {
    nu_validate_fail(&v, "member.language", "must be \"fr\" or \"en\"");
  }
  return nu_validator_result(&v);
}

/* The member's etag is the membership's version: an edit of the profile
 * moves it too, so one etag guards both what UpdateMemberRoles and what
 * UpdateMember change. The profile itself lives on the user. */
typedef struct member_profile {
  nu_member_row member;
  nu_user_row user;
} member_profile;

static const nu_audit_field profile_fields[] = {
    NU_AUDIT_TEXT("civility", member_profile, user.civility),
    NU_AUDIT_TEXT("first_name", member_profile, user.first_name),
    NU_AUDIT_TEXT("last_name", member_profile, user.last_name),
    NU_AUDIT_TEXT("phone_landline", member_profile, user.phone_landline),
    NU_AUDIT_TEXT("phone_mobile", member_profile, user.phone_mobile),
    NU_AUDIT_TEXT("language", member_profile, user.language),
};

/* The membership, then the user, both locked: an edit by the member
 * (UpdateCurrentUser) waits for this one. */
static nu_status profile_lock(nu_update *u, nu_conn *c, void *arg, bool *found) {
  member_profile *row = arg;
  nu_arena *a = nu_call_arena(u->call);
  nu_status st = nu_membership_get(c, a, u->ctx, u->id, true, &row->member, found);
  if (!nu_status_is_ok(&st) || !*found) return st;
  return nu_user_get_for_update(c, a, u->id, &row->user);
}

static nu_status profile_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  const member_profile *in = after;
  member_profile *out = result;
  nu_arena *a = nu_call_arena(u->call);
  int64_t now = nu_rpc_now(u->call);
  nu_status st = nu_user_write_profile(c, a, &in->user, now, &out->user);
  if (!nu_status_is_ok(&st)) return st;
  /* The same levels, version + 1: the member's etag moves. */
  return nu_membership_set_levels(c, a, in->member.organization_id, in->member.user_id,
                                  in->member.levels, now, &out->member);
}

static const nu_update_spec profile_update = {
    .resource = "member",
    .target_type = "member",
    NU_UPDATE_ROW(member_profile, member.user_id, member.version),
    .fields = profile_fields,
    .n_fields = sizeof(profile_fields) / sizeof(profile_fields[0]),
    .lock = profile_lock,
    .write = profile_write,
    NU_UPDATE_ORG(member_profile, member.organization_id),
};

/* The masked fields replace the user's; phones are stored normalised and
 * an edit of the phones leaves at least one, as the member's own edits
 * must (an account without any may still have its names edited). */
static nu_status profile_apply(nu_update *u, nu_conn *c, void *arg) {
  (void)c;
  member_profile *row = arg;
  nu_arena *a = nu_call_arena(u->call);
  const Nuage__V1__UpdateMemberRequest *req = u->req;
  const Nuage__V1__Member *in = req->member;
  const Google__Protobuf__FieldMask *mask = req->update_mask;
  nu_user_row *p = &row->user;
  if ((nu_update_masked(mask, "phone_landline") &&
       nu_phone_normalized(a, in->phone_landline, &p->phone_landline, NULL) != 0) ||
      (nu_update_masked(mask, "phone_mobile") &&
       nu_phone_normalized(a, in->phone_mobile, &p->phone_mobile, NULL) != 0)) {
    return nu_rpc_oom(a); /* the validator accepted them: only memory can fail */
  }
  if (nu_update_masked(mask, "civility")) {
    const char *text = nu_enum_text(&nuage__v1__civility__descriptor, in->civility);
    p->civility = text != NULL ? text : "";
  }
  if (nu_update_masked(mask, "first_name")) p->first_name = in->first_name;
  if (nu_update_masked(mask, "last_name")) p->last_name = in->last_name;
  if (nu_update_masked(mask, "language")) p->language = in->language;
  bool phones = nu_update_masked(mask, "phone_landline") || nu_update_masked(mask, "phone_mobile");
  if (phones && p->phone_landline[0] == '\0' && p->phone_mobile[0] == '\0') {
    nu_validator v;
    nu_validator_init(&v, a);
    nu_validate_fail(&v, "member.phone_mobile", "at least one phone number is required");
    return nu_validator_result(&v);
  }
  return nu_ok();
}

static nu_status update_member(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__UpdateMemberRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  const char *org = NULL;
  nu_status st = scope(call, req->member->organization_id, req->member->user_id, &org);
  if (!nu_status_is_ok(&st)) return st;
  nu_update u = {.call = call,
                 .spec = &profile_update,
                 .id = req->member->user_id,
                 .etag = req->member->etag,
                 .action = "member.update",
                 .req = req,
                 .ctx = (void *)org,
                 .apply = profile_apply};
  st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__Member *out = member_to_api(a, &((const member_profile *)u.result)->member);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- RemoveMember ------------------------------------------------------------- */

static nu_status validate_user_id(nu_call *call, const char *user_id) {
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "user_id", user_id);
  return nu_validator_result(&v);
}

static nu_status validate_remove(nu_call *call, const ProtobufCMessage *msg) {
  return validate_user_id(call, ((const Nuage__V1__RemoveMemberRequest *)msg)->user_id);
}

typedef struct remove_ctx {
  nu_call *call;
  const char *org;
  const char *user;
  int sessions;
} remove_ctx;

static nu_status remove_tx(nu_conn *c, nu_arena *a, void *arg) {
  remove_ctx *x = arg;
  nu_org_row org;
  nu_member_row m;
  bool found = false;
  /* The organisation first, locked: a concurrent referent hand-over
   * cannot slip between the check and the removal. */
  nu_status st = nu_org_get(c, a, x->org, true, &org, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "organization");
  st = nu_membership_get(c, a, x->org, x->user, true, &m, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "member");
  if (m.referent) {
    return nu_error(a, NU_FAILED_PRECONDITION, "REFERENT_CANNOT_BE_REMOVED",
                    "the referent cannot be removed: transfer the referent role first");
  }
  int64_t now = nu_rpc_now(x->call);
  int keys = 0;
  st = nu_membership_delete(c, a, x->org, x->user);
  if (nu_status_is_ok(&st)) st = nu_membership_detach_sessions(c, a, x->org, x->user, &x->sessions);
  if (nu_status_is_ok(&st)) st = nu_membership_revoke_keys(c, a, x->org, x->user, now, &keys);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {
      {"levels", nu_org_levels_text(a, m.levels), NULL},
      {"sessions_detached", NULL, nu_arena_sprintf(a, "%d", x->sessions)},
      {"access_keys_revoked", NULL, nu_arena_sprintf(a, "%d", keys)},
  };
  st = nu_rpc_audit(x->call, c, x->org, "member.remove", "member", x->user, ch, 3);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"organization_name", org.name, "login", m.login};
  return nu_rpc_email(x->call, c, m.email, "member_removed", x->org, kv, 2);
}

static nu_status remove_member(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__RemoveMemberRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  remove_ctx x = {.call = call, .user = req->user_id};
  nu_status st = scope(call, req->organization_id, req->user_id, &x.org);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_tx(call, false, remove_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__RemoveMemberResponse *out =
      NU_RPC_NEW(a, Nuage__V1__RemoveMemberResponse, nuage__v1__remove_member_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->sessions_detached = x.sessions;
  *resp = &out->base;
  return nu_ok();
}

/* ---- TransferReferent ----------------------------------------------------------- */

static nu_status validate_transfer(nu_call *call, const ProtobufCMessage *msg) {
  return validate_user_id(call, ((const Nuage__V1__TransferReferentRequest *)msg)->user_id);
}

typedef struct transfer_ctx {
  nu_call *call;
  const char *org;
  const char *user;
  nu_org_row result;
} transfer_ctx;

static nu_status transfer_tx(nu_conn *c, nu_arena *a, void *arg) {
  transfer_ctx *x = arg;
  const nu_principal *p = nu_call_principal(x->call);
  nu_org_row org;
  nu_member_row m;
  bool found = false;
  nu_status st = nu_org_get(c, a, x->org, true, &org, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "organization");
  if (!p->platform_operator && (p->id == NULL || strcmp(p->id, org.referent_user_id) != 0)) {
    return nu_error(a, NU_PERMISSION_DENIED, "NOT_REFERENT",
                    "only the referent can hand the referent role over");
  }
  st = nu_membership_get(c, a, x->org, x->user, true, &m, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "member");
  if (m.referent) {
    x->result = org;
    return nu_ok();
  }
  int64_t now = nu_rpc_now(x->call);
  if (m.levels[NU_SECTION_USERS - 1] < NU_LEVEL_MANAGER) {
    int levels[NU_MEMBERSHIP_SECTIONS];
    memcpy(levels, m.levels, sizeof(levels));
    levels[NU_SECTION_USERS - 1] = NU_LEVEL_MANAGER;
    nu_member_row after;
    st = nu_membership_set_levels(c, a, x->org, m.user_id, levels, now, &after);
    if (!nu_status_is_ok(&st)) return st;
    nu_audit_change ch = {"levels", nu_org_levels_text(a, m.levels), nu_org_levels_text(a, levels)};
    st = nu_rpc_audit(x->call, c, x->org, "member.update_roles", "member", m.user_id, &ch, 1);
    if (!nu_status_is_ok(&st)) return st;
  }
  nu_org_row next = org;
  next.referent_user_id = m.user_id;
  st = nu_org_write(c, a, &next, now, &x->result);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch = {"referent_user_id", org.referent_user_id, m.user_id};
  return nu_rpc_audit(x->call, c, x->org, "organization.transfer_referent", "organization", x->org,
                      &ch, 1);
}

static nu_status transfer_referent(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__TransferReferentRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  transfer_ctx x = {.call = call, .user = req->user_id};
  nu_status st = scope(call, req->organization_id, req->user_id, &x.org);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_tx(call, false, transfer_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  /* The former referent may be a visitor on contract only. */
  nu_org_viewer viewer = nu_org_viewer_of(call, &x.result);
  Nuage__V1__Organization *out = nu_org_to_api(a, &x.result, &viewer, nu_rpc_now(call));
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- the rows ------------------------------------------------------------------- */

const nu_method nu_member_methods[] = {
    NU_RPC_ROW("OrganizationService", "ListMembers", list_members_request, list_members_response,
               validate_list, list_members),
    NU_RPC_ROW("OrganizationService", "UpdateMemberRoles", update_member_roles_request, member,
               validate_update, update_member_roles),
    NU_RPC_ROW("OrganizationService", "UpdateMember", update_member_request, member,
               validate_update_member, update_member),
    NU_RPC_ROW("OrganizationService", "RemoveMember", remove_member_request, remove_member_response,
               validate_remove, remove_member),
    /* Users MANAGER (the .proto) to reach the handler; the handler then
     * requires the referent. */
    NU_RPC_ROW("OrganizationService", "TransferReferent", transfer_referent_request, organization,
               validate_transfer, transfer_referent),
};
const size_t nu_member_methods_count = sizeof(nu_member_methods) / sizeof(nu_member_methods[0]);
