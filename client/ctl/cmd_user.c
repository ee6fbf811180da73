/*
 * cmd_user.c — nuagectl's commands about a user: `me` (profile and
 * rights), `member edit` (a users manager edits a member's profile) and
 * `email change` / `email confirm` (a new address, confirmed by its link).
 *
 * The password that `email change` reads is a credential: it is wiped
 * once sent and never printed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/ctl/ctl.h"
#include "nuage/v1/organization.pb-c.h"
#include "nuage/v1/user.pb-c.h"

#define DEFAULT_TIMEOUT_MS 20000
#define MEMBER_PAGE 500

/* The length of an enum's value prefix ("USER_STATUS_"): its zero value's
 * name without "UNSPECIFIED". */
static size_t enum_prefix(const ProtobufCEnumDescriptor *d) {
  const ProtobufCEnumValue *zero = protobuf_c_enum_descriptor_get_value(d, 0);
  size_t len = zero != NULL ? strlen(zero->name) : 0;
  return len >= strlen("UNSPECIFIED") ? len - strlen("UNSPECIFIED") : 0;
}

/* An enum value's name without its prefix, lower-case ("SECTION_USERS" →
 * "users") in buf; "" for the zero value and unknown ones. */
static const char *enum_text(const ProtobufCEnumDescriptor *d, int value, char *buf, size_t size) {
  const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(d, value);
  buf[0] = '\0';
  if (v == NULL || value == 0) return buf;
  const char *name = v->name + enum_prefix(d);
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < size; i++) buf[i] = (char)tolower((unsigned char)name[i]);
  buf[i] = '\0';
  return buf;
}

/* The value whose name is the prefix and text ("mr" → CIVILITY_MR); -1
 * when none. */
static int enum_value(const ProtobufCEnumDescriptor *d, const char *text) {
  size_t prefix = enum_prefix(d);
  for (unsigned i = 0; i < d->n_values; i++) {
    const char *name = d->values[i].name + prefix;
    if (d->values[i].value != 0 && strcasecmp(name, text) == 0) return d->values[i].value;
  }
  return -1;
}

static void out_roles(nu_out *o, Nuage__V1__SectionRole **roles, size_t n) {
  char section[32], level[32];
  nu_out_begin_object(o, "roles");
  for (size_t i = 0; i < n; i++) {
    enum_text(&nuage__v1__section__descriptor, roles[i]->section, section, sizeof section);
    enum_text(&nuage__v1__level__descriptor, roles[i]->level, level, sizeof level);
    nu_out_str(o, section, level);
  }
  nu_out_end_object(o);
}

/* ---- me ------------------------------------------------------------------------ */

int nu_ctl_cmd_me(nu_ctl *ctx) {
  Nuage__V1__GetCurrentUserRequest req = NUAGE__V1__GET_CURRENT_USER_REQUEST__INIT;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.UserService/GetCurrentUser", &req.base,
                       &nuage__v1__user__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  const Nuage__V1__User *u = (const void *)msg;
  char civility[16], status[16];
  nu_out *o = &ctx->out;
  nu_out_begin(o);
  nu_out_str(o, "id", u->id);
  nu_out_str(o, "login", u->login);
  nu_out_str(o, "email", u->email);
  nu_out_str(o, "civility",
             enum_text(&nuage__v1__civility__descriptor, u->civility, civility, sizeof civility));
  nu_out_str(o, "first_name", u->first_name);
  nu_out_str(o, "last_name", u->last_name);
  nu_out_str(o, "phone_landline", u->phone_landline);
  nu_out_str(o, "phone_mobile", u->phone_mobile);
  nu_out_str(o, "language", u->language);
  nu_out_str(o, "status",
             enum_text(&nuage__v1__user_status__descriptor, u->status, status, sizeof status));
  nu_out_str(o, "commercial_consent", u->commercial_consent ? "true" : "false");
  nu_out_str(o, "platform_operator", u->platform_operator ? "true" : "false");
  nu_out_str(o, "acting_organization_id", u->acting_organization_id);
  out_roles(o, u->roles, u->n_roles);
  nu_out_begin_array(o, "memberships");
  for (size_t i = 0; i < u->n_memberships; i++) {
    const Nuage__V1__UserMembership *m = u->memberships[i];
    nu_out_begin_object(o, NULL);
    nu_out_str(o, "organization_id", m->organization_id);
    nu_out_str(o, "organization_name", m->organization_name);
    nu_out_str(o, "referent", m->referent ? "true" : "false");
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_end(o);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- member edit --------------------------------------------------------------- */

/* The member's current etag, from ListMembers pages; *etag (caller frees)
 * NULL when the organisation has no such member. */
static int member_etag(nu_ctl *ctx, const char *org, const char *user_id, char **etag) {
  *etag = NULL;
  char *page = NULL;
  do {
    Nuage__V1__ListMembersRequest req = NUAGE__V1__LIST_MEMBERS_REQUEST__INIT;
    if (org != NULL) req.organization_id = (char *)org;
    req.page_size = MEMBER_PAGE;
    if (page != NULL) req.page_token = page;
    ProtobufCMessage *msg = NULL;
    int rc = nu_ctl_call(ctx, "/nuage.v1.OrganizationService/ListMembers", &req.base,
                         &nuage__v1__list_members_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
    free(page);
    page = NULL;
    if (rc != 0) return rc;
    const Nuage__V1__ListMembersResponse *r = (const void *)msg;
    for (size_t i = 0; i < r->n_members && *etag == NULL; i++) {
      if (strcmp(r->members[i]->user_id, user_id) == 0) *etag = strdup(r->members[i]->etag);
    }
    if (*etag == NULL && r->next_page_token[0] != '\0') page = strdup(r->next_page_token);
    protobuf_c_message_free_unpacked(msg, NULL);
  } while (page != NULL);
  return NU_CTL_EXIT_OK;
}

static void out_member(nu_out *o, const Nuage__V1__Member *m) {
  char civility[16];
  nu_out_begin(o);
  nu_out_str(o, "user_id", m->user_id);
  nu_out_str(o, "organization_id", m->organization_id);
  nu_out_str(o, "login", m->login);
  nu_out_str(o, "email", m->email);
  nu_out_str(o, "civility",
             enum_text(&nuage__v1__civility__descriptor, m->civility, civility, sizeof civility));
  nu_out_str(o, "first_name", m->first_name);
  nu_out_str(o, "last_name", m->last_name);
  nu_out_str(o, "phone_landline", m->phone_landline);
  nu_out_str(o, "phone_mobile", m->phone_mobile);
  nu_out_str(o, "language", m->language);
  nu_out_str(o, "etag", m->etag);
  nu_out_end(o);
}

int nu_ctl_cmd_member_edit(nu_ctl *ctx) {
  static const char *const fields[][2] = {
      {"first-name", "first_name"},     {"last-name", "last_name"},
      {"phone-mobile", "phone_mobile"}, {"phone-landline", "phone_landline"},
      {"language", "language"},         {"civility", "civility"},
  };
  enum { N_FIELDS = sizeof(fields) / sizeof(fields[0]) };
  Nuage__V1__Member m = NUAGE__V1__MEMBER__INIT;
  Google__Protobuf__FieldMask mask = GOOGLE__PROTOBUF__FIELD_MASK__INIT;
  char *paths[N_FIELDS];
  m.user_id = ctx->argv[0];
  const char *org = nu_ctl_option_value(ctx, "org");
  if (org != NULL) m.organization_id = (char *)org;
  for (size_t i = 0; i < N_FIELDS; i++) {
    const char *v = nu_ctl_option_value(ctx, fields[i][0]);
    if (v == NULL) continue;
    paths[mask.n_paths++] = (char *)fields[i][1];
    if (strcmp(fields[i][1], "first_name") == 0) m.first_name = (char *)v;
    if (strcmp(fields[i][1], "last_name") == 0) m.last_name = (char *)v;
    if (strcmp(fields[i][1], "phone_mobile") == 0) m.phone_mobile = (char *)v;
    if (strcmp(fields[i][1], "phone_landline") == 0) m.phone_landline = (char *)v;
    if (strcmp(fields[i][1], "language") == 0) m.language = (char *)v;
    if (strcmp(fields[i][1], "civility") == 0) {
      int c = strcmp(v, "none") == 0 ? 0 : enum_value(&nuage__v1__civility__descriptor, v);
      if (c < 0) {
        fprintf(stderr, "nuagectl: member edit: --civility is mr, ms or none\n");
        return NU_CTL_EXIT_USAGE;
      }
      m.civility = (Nuage__V1__Civility)c;
    }
  }
  if (mask.n_paths == 0) {
    fprintf(stderr, "nuagectl: member edit: nothing to change (see nuagectl help member edit)\n");
    return NU_CTL_EXIT_USAGE;
  }
  mask.paths = paths;
  char *etag = NULL;
  int rc = member_etag(ctx, org, m.user_id, &etag);
  if (rc != 0) return rc;
  /* Not found in the list: the server gives its NOT_FOUND answer. */
  m.etag = etag != NULL ? etag : "\"0\"";
  Nuage__V1__UpdateMemberRequest req = NUAGE__V1__UPDATE_MEMBER_REQUEST__INIT;
  req.member = &m;
  req.update_mask = &mask;
  ProtobufCMessage *msg = NULL;
  rc = nu_ctl_call(ctx, "/nuage.v1.OrganizationService/UpdateMember", &req.base,
                   &nuage__v1__member__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  free(etag);
  if (rc != 0) return rc;
  out_member(&ctx->out, (const void *)msg);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- email change / email confirm ------------------------------------------------ */

int nu_ctl_cmd_email_change(nu_ctl *ctx) {
  char password[1100];
  if (nu_ctl_read_secret("password: ", password, sizeof password) != 0)
    return nu_ctl_local_failure(ctx, "no password given");
  Nuage__V1__RequestEmailChangeRequest req = NUAGE__V1__REQUEST_EMAIL_CHANGE_REQUEST__INIT;
  req.new_email = ctx->argv[0];
  req.password = password;
  ProtobufCMessage *msg = NULL;
  int rc =
      nu_ctl_call(ctx, "/nuage.v1.UserService/RequestEmailChange", &req.base,
                  &nuage__v1__request_email_change_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  explicit_bzero(password, sizeof password);
  if (rc != 0) return rc;
  protobuf_c_message_free_unpacked(msg, NULL);
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "status", "confirmation link sent to the new address");
  nu_out_str(&ctx->out, "new_email", ctx->argv[0]);
  nu_out_end(&ctx->out);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_email_confirm(nu_ctl *ctx) {
  char token[256];
  nu_ctl_link_token(ctx->argv[0], token, sizeof token);
  Nuage__V1__ConfirmEmailChangeRequest req = NUAGE__V1__CONFIRM_EMAIL_CHANGE_REQUEST__INIT;
  req.token = token;
  ProtobufCMessage *msg = NULL;
  int rc =
      nu_ctl_call(ctx, "/nuage.v1.UserService/ConfirmEmailChange", &req.base,
                  &nuage__v1__confirm_email_change_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  explicit_bzero(token, sizeof token);
  if (rc != 0) return rc;
  const Nuage__V1__ConfirmEmailChangeResponse *r = (const void *)msg;
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "status", "e-mail changed");
  nu_out_str(&ctx->out, "email", r->email);
  nu_out_end(&ctx->out);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}
