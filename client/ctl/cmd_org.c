/*
 * cmd_org.c — `nuagectl org show|list|rename|refs`: reading organisations
 * (by id or ORG- code) and the referent's changes, through
 * OrganizationService. `org create` lives with the identity commands.
 *
 * Changes read the organisation first for its etag (unless --etag is
 * given), so a change made in between is refused (ETAG_MISMATCH) rather
 * than overwritten.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl/ctl.h"
#include "nuage/v1/organization.pb-c.h"

#define GET_METHOD "/nuage.v1.OrganizationService/GetOrganization"
#define LIST_METHOD "/nuage.v1.OrganizationService/ListOrganizations"
#define UPDATE_METHOD "/nuage.v1.OrganizationService/UpdateOrganization"
#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_LIMIT 50
#define MAX_LIMIT 100000
#define CODE_WIDTH 10
#define NAME_WIDTH 40

static const char *state_word(const Nuage__V1__Organization *o, char *buf, size_t size) {
  return nu_out_enum_word(&nuage__v1__organization_state__descriptor, "ORGANIZATION_STATE_",
                          o->state, buf, size);
}

/* One organisation as a record; with full, every field (show), else the
 * list's summary. Withheld company details are null in JSON and left out
 * for people, with a line that says so. */
static void out_org(nu_out *out, const Nuage__V1__Organization *o, bool full) {
  char state[64], level[64], support[64];
  nu_out_begin(out);
  nu_out_str(out, "id", o->id);
  nu_out_str(out, "code", o->code);
  nu_out_str(out, "name", o->name);
  nu_out_str(out, "state", state_word(o, state, sizeof(state)));
  nu_out_str(out, "buyer", o->buyer ? "true" : "false");
  nu_out_str(out, "seller", o->seller ? "true" : "false");
  if (full) {
    nu_out_str(out, "account_level",
               nu_out_enum_word(&nuage__v1__account_level__descriptor, "ACCOUNT_LEVEL_",
                                o->account_level, level, sizeof(level)));
    nu_out_str(out, "support_level",
               nu_out_enum_word(&nuage__v1__support_level__descriptor, "SUPPORT_LEVEL_",
                                o->support_level, support, sizeof(support)));
    nu_out_str(out, "region", o->region);
    nu_out_str(out, "referent_user_id", o->referent_user_id);
    nu_out_str(out, "invoice_reference_1", o->invoice_reference_1);
    nu_out_str(out, "invoice_reference_2", o->invoice_reference_2);
    nu_out_str(out, "invoice_reference_3", o->invoice_reference_3);
    nu_out_str(out, "company_details_withheld", o->company_details_withheld ? "true" : "false");
    nu_out_str(out, "siret", o->company_details_withheld ? NULL : o->siret);
    const Nuage__V1__BillingDetails *b = o->billing_details;
    if (b != NULL) {
      nu_out_begin_object(out, "billing_details");
      nu_out_str(out, "name", b->name);
      nu_out_str(out, "address", b->address);
      nu_out_str(out, "postal_code", b->postal_code);
      nu_out_str(out, "city", b->city);
      nu_out_str(out, "country", b->country);
      nu_out_str(out, "email", b->email);
      nu_out_str(out, "vat_number", b->vat_number);
      nu_out_str(out, "invoice_recipient_first_name", b->invoice_recipient_first_name);
      nu_out_str(out, "invoice_recipient_last_name", b->invoice_recipient_last_name);
      nu_out_str(out, "invoice_recipient_email", b->invoice_recipient_email);
      nu_out_end_object(out);
    } else {
      nu_out_str(out, "billing_details", NULL);
    }
    nu_out_str(out, "etag", o->etag);
  }
  nu_out_end(out);
}

/* Whether ref has the shape of an id (uuid); anything else is sent as a
 * code, so the server says what is wrong with it. */
static bool looks_like_id(const char *ref) {
  return strlen(ref) == 36 && ref[8] == '-' && ref[13] == '-' && ref[18] == '-' && ref[23] == '-';
}

/* GetOrganization of ref (id, code, or NULL/"" for the caller's own) into
 * *out (caller frees with protobuf_c_message_free_unpacked). */
static int get_org(nu_ctl *ctx, const char *ref, Nuage__V1__Organization **out) {
  Nuage__V1__GetOrganizationRequest req = NUAGE__V1__GET_ORGANIZATION_REQUEST__INIT;
  if (ref != NULL && ref[0] != '\0') {
    if (looks_like_id(ref))
      req.organization_id = (char *)ref;
    else
      req.organization_code = (char *)ref;
  }
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, GET_METHOD, &req.base, &nuage__v1__organization__descriptor,
                       DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  *out = (Nuage__V1__Organization *)msg;
  return 0;
}

int nu_ctl_cmd_org_show(nu_ctl *ctx) {
  Nuage__V1__Organization *o = NULL;
  int rc = get_org(ctx, ctx->argc > 0 ? ctx->argv[0] : NULL, &o);
  if (rc != 0) return rc;
  out_org(&ctx->out, o, true);
  protobuf_c_message_free_unpacked(&o->base, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- org list ---------------------------------------------------------------- */

static void table_row(FILE *f, const Nuage__V1__Organization *o) {
  char state[64];
  fprintf(f, "%-*s  ", CODE_WIDTH, o->code != NULL ? o->code : "");
  /* Names are the server's text: neutralised for the terminal. */
  char name[NAME_WIDTH * 4 + 1];
  snprintf(name, sizeof(name), "%s", o->name != NULL ? o->name : "");
  nu_out_text(f, name);
  size_t chars = 0;
  for (const char *s = name; *s != '\0'; s++) chars += ((unsigned char)*s & 0xC0) != 0x80;
  for (size_t i = chars; i < NAME_WIDTH; i++) fputc(' ', f);
  fprintf(f, "  %-20s  %s\n", state_word(o, state, sizeof(state)), o->id != NULL ? o->id : "");
}

int nu_ctl_cmd_org_list(nu_ctl *ctx) {
  Nuage__V1__ListOrganizationsRequest req = NUAGE__V1__LIST_ORGANIZATIONS_REQUEST__INIT;
  const char *query = nu_ctl_option_value(ctx, "query");
  if (query != NULL) req.query = (char *)query;
  long limit = DEFAULT_LIMIT;
  const char *v = nu_ctl_option_value(ctx, "limit");
  if (v != NULL) {
    char *end = NULL;
    limit = strtol(v, &end, 10);
    if (end == v || *end != '\0' || limit < 1 || limit > MAX_LIMIT) {
      fprintf(stderr, "nuagectl: --limit '%s': expected 1..%d\n", v, MAX_LIMIT);
      return NU_CTL_EXIT_USAGE;
    }
  }
  if (!ctx->json) {
    fprintf(stdout, "%-*s  %-*s  %-20s  %s\n", CODE_WIDTH, "CODE", NAME_WIDTH, "NAME", "STATE",
            "ID");
  }
  long shown = 0;
  char *token = NULL;
  int rc = NU_CTL_EXIT_OK;
  while (shown < limit) {
    long want = limit - shown;
    req.page_size = (int32_t)(want > 500 ? 500 : want);
    req.page_token = token;
    ProtobufCMessage *msg = NULL;
    rc = nu_ctl_call(ctx, LIST_METHOD, &req.base,
                     &nuage__v1__list_organizations_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
    if (rc != 0) break;
    const Nuage__V1__ListOrganizationsResponse *resp = (const void *)msg;
    for (size_t i = 0; i < resp->n_organizations && shown < limit; i++, shown++) {
      if (ctx->json)
        out_org(&ctx->out, resp->organizations[i], false);
      else
        table_row(stdout, resp->organizations[i]);
    }
    free(token);
    token = resp->next_page_token != NULL && resp->next_page_token[0] != '\0'
                ? strdup(resp->next_page_token)
                : NULL;
    protobuf_c_message_free_unpacked(msg, NULL);
    if (token == NULL) break;
  }
  if (rc == 0 && !ctx->json) {
    printf("%ld organization%s%s\n", shown, shown == 1 ? "" : "s",
           token != NULL ? " (more: raise --limit)" : "");
  }
  fflush(stdout);
  free(token);
  return rc;
}

/* ---- org rename, org refs: UpdateOrganization with a mask ------------------------- */

/* Reads the organisation of --org (id or code; default the caller's own),
 * sets the fields of paths from *changes, sends them with the etag read
 * (or --etag) and prints the organisation after. */
static int update_org(nu_ctl *ctx, const Nuage__V1__Organization *changes, char **paths,
                      size_t n_paths) {
  Nuage__V1__Organization *cur = NULL;
  int rc = get_org(ctx, nu_ctl_option_value(ctx, "org"), &cur);
  if (rc != 0) return rc;
  Nuage__V1__Organization o = *changes;
  o.id = cur->id;
  o.etag = nu_ctl_option_value(ctx, "etag") != NULL ? (char *)nu_ctl_option_value(ctx, "etag")
                                                    : cur->etag;
  Google__Protobuf__FieldMask mask = GOOGLE__PROTOBUF__FIELD_MASK__INIT;
  mask.paths = paths;
  mask.n_paths = n_paths;
  Nuage__V1__UpdateOrganizationRequest req = NUAGE__V1__UPDATE_ORGANIZATION_REQUEST__INIT;
  req.organization = &o;
  req.update_mask = &mask;
  ProtobufCMessage *msg = NULL;
  rc = nu_ctl_call(ctx, UPDATE_METHOD, &req.base, &nuage__v1__organization__descriptor,
                   DEFAULT_TIMEOUT_MS, &msg);
  protobuf_c_message_free_unpacked(&cur->base, NULL);
  if (rc != 0) return rc;
  out_org(&ctx->out, (const Nuage__V1__Organization *)msg, true);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_org_rename(nu_ctl *ctx) {
  Nuage__V1__Organization changes = NUAGE__V1__ORGANIZATION__INIT;
  changes.name = ctx->argv[0];
  char *paths[] = {"name"};
  return update_org(ctx, &changes, paths, 1);
}

int nu_ctl_cmd_org_refs(nu_ctl *ctx) {
  Nuage__V1__Organization changes = NUAGE__V1__ORGANIZATION__INIT;
  char *paths[3];
  size_t n = 0;
  static const char *const options[] = {"ref1", "ref2", "ref3"};
  static char *const fields[] = {"invoice_reference_1", "invoice_reference_2",
                                 "invoice_reference_3"};
  char **targets[] = {&changes.invoice_reference_1, &changes.invoice_reference_2,
                      &changes.invoice_reference_3};
  for (size_t i = 0; i < 3; i++) {
    const char *v = nu_ctl_option_value(ctx, options[i]);
    if (v == NULL) continue;
    *targets[i] = (char *)v;
    paths[n++] = fields[i];
  }
  if (n == 0) {
    fprintf(stderr,
            "nuagectl: org refs: give at least one of --ref1, --ref2, --ref3"
            " (\"\" clears one)\n");
    return NU_CTL_EXIT_USAGE;
  }
  return update_org(ctx, &changes, paths, n);
}
