/*
 * organization.c — OrganizationService: organisations.
 *
 * Every RPC that names an organisation goes through nu_rpc_scope_org
 * first, so a caller naming another organisation than its own gets the
 * NOT_FOUND of an organisation that does not exist. Changes read the row
 * FOR UPDATE, apply the request, and write the whole row back with one
 * audit event listing the fields that changed.
 */
#include "server/rpc/organization/organization.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "server/domain/identity/account_level.h"
#include "server/domain/identity/siret.h"
#include "server/domain/organization/org_access.h"
#include "server/domain/organization/org_code.h"
#include "server/domain/organization/org_status.h"
#include "server/domain/organization/policy.h"
#include "server/rpc/core/account_commitment.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/core/update.h"
#include "server/rpc/organization/organization_common.h"
#include "server/store/identity/user_store.h"
#include "server/store/organization/membership_store.h"
#include "server/validate/email.h"
#include "server/validate/enum.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"

/* The context's limits: domain/organization/policy.h. */
#define NAME_MAX_LEN NU_ORG_NAME_MAX_LEN
#define TEXT_MAX_LEN NU_ORG_TEXT_MAX_LEN
#define NOTE_MAX_LEN NU_ORG_NOTE_MAX_LEN
#define REFERENCE_MAX_CHARS NU_ORG_INVOICE_REFERENCE_MAX_CHARS
#define QUERY_MAX_LEN NU_ORG_QUERY_MAX_LEN
#define REQUEST_ID_MAX_LEN 128

/* ---- between the store and the API --------------------------------------- */

static char *str(const char *s) { return (char *)(s != NULL ? s : ""); }

nu_org_viewer nu_org_viewer_of(nu_call *call, const nu_org_row *r) {
  const nu_principal *p = nu_call_principal(call);
  bool acting_for =
      p->organization_id != NULL && r->id != NULL && strcmp(p->organization_id, r->id) == 0;
  nu_org_viewer v = {
      .platform_operator = p->platform_operator,
      .referent =
          p->id != NULL && r->referent_user_id != NULL && strcmp(p->id, r->referent_user_id) == 0,
      .contract_level = acting_for ? p->levels[NU_SECTION_CONTRACT] : NU_LEVEL_NONE,
  };
  return v;
}

Nuage__V1__Organization *nu_org_to_api(nu_arena *a, const nu_org_row *r,
                                       const nu_org_viewer *viewer, int64_t now_ns) {
  Nuage__V1__Organization *o =
      NU_RPC_NEW(a, Nuage__V1__Organization, nuage__v1__organization__init);
  Nuage__V1__BillingDetails *b =
      NU_RPC_NEW(a, Nuage__V1__BillingDetails, nuage__v1__billing_details__init);
  if (o == NULL || b == NULL) return NULL;
  o->id = str(r->id);
  o->code = str(r->code);
  o->name = str(r->name);
  o->buyer = r->buyer;
  o->seller = r->seller;
  o->siret = str(r->siret);
  /* The API's states are the domain's, value for value. */
  o->state = (Nuage__V1__OrganizationState)nu_org_state_parse(r->status);
  o->state_reason = str(r->status_reason);
  /* The level in force now: a provisional build that ended reads as its
   * fall-back without anything having written the row. */
  nu_account_facts facts = nu_org_account_facts(r);
  o->account_level = (Nuage__V1__AccountLevel)nu_account_level_effective(&facts, now_ns);
  if (nu_account_provisional(&facts, now_ns)) {
    o->provisional_build_end_time = nu_rpc_timestamp(a, r->provisional_build_until_us * 1000);
  }
  o->region = str(r->region);
  o->support_level = (Nuage__V1__SupportLevel)nu_enum_parse_text(
      &nuage__v1__support_level__descriptor, r->support_level);
  b->name = str(r->billing_name);
  b->address = str(r->billing_address);
  b->postal_code = str(r->billing_postal_code);
  b->city = str(r->billing_city);
  b->country = str(r->billing_country);
  b->email = str(r->billing_email);
  b->vat_number = str(r->vat_number);
  b->invoice_recipient_first_name = str(r->invoice_recipient_first_name);
  b->invoice_recipient_last_name = str(r->invoice_recipient_last_name);
  b->invoice_recipient_email = str(r->invoice_recipient_email);
  o->invoice_reference_1 = str(r->invoice_reference_1);
  o->invoice_reference_2 = str(r->invoice_reference_2);
  o->invoice_reference_3 = str(r->invoice_reference_3);
  if (nu_org_sees_company_details(viewer)) {
    o->billing_details = b;
  } else {
    /* Left out of the message, not sent empty: the flag tells a client
     * that an empty siret means "not shown". */
    o->siret = "";
    o->billing_details = NULL;
    o->company_details_withheld = true;
  }
  o->identity_verify_time = nu_rpc_timestamp(a, r->identity_verified_us * 1000);
  o->identity_verification_note = str(r->identity_verification_note);
  o->referent_user_id = str(r->referent_user_id);
  o->etag = (char *)nu_rpc_etag(a, r->version);
  o->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  o->update_time = nu_rpc_timestamp(a, r->updated_us * 1000);
  return o;
}

/* ---- what changed, for the audit log -------------------------------------- */

static int verified_at(nu_arena *a, const void *row, const char **out) {
  int64_t us = ((const nu_org_row *)row)->identity_verified_us;
  *out = us != 0 ? nu_arena_sprintf(a, "%" PRId64, us) : NULL;
  return us != 0 && *out == NULL ? -1 : 0;
}

static const nu_audit_field audit_fields[] = {
    NU_AUDIT_TEXT("name", nu_org_row, name),
    NU_AUDIT_TEXT("siret", nu_org_row, siret),
    NU_AUDIT_TEXT("status", nu_org_row, status),
    NU_AUDIT_TEXT("status_reason", nu_org_row, status_reason),
    NU_AUDIT_TEXT("account_level", nu_org_row, account_level),
    NU_AUDIT_TEXT("region", nu_org_row, region),
    NU_AUDIT_TEXT("support_level", nu_org_row, support_level),
    NU_AUDIT_TEXT("billing_details.name", nu_org_row, billing_name),
    NU_AUDIT_TEXT("billing_details.address", nu_org_row, billing_address),
    NU_AUDIT_TEXT("billing_details.postal_code", nu_org_row, billing_postal_code),
    NU_AUDIT_TEXT("billing_details.city", nu_org_row, billing_city),
    NU_AUDIT_TEXT("billing_details.country", nu_org_row, billing_country),
    NU_AUDIT_TEXT("billing_details.email", nu_org_row, billing_email),
    NU_AUDIT_TEXT("billing_details.vat_number", nu_org_row, vat_number),
    NU_AUDIT_TEXT("billing_details.invoice_recipient_first_name", nu_org_row,
                  invoice_recipient_first_name),
    NU_AUDIT_TEXT("billing_details.invoice_recipient_last_name", nu_org_row,
                  invoice_recipient_last_name),
    NU_AUDIT_TEXT("billing_details.invoice_recipient_email", nu_org_row, invoice_recipient_email),
    NU_AUDIT_TEXT("invoice_reference_1", nu_org_row, invoice_reference_1),
    NU_AUDIT_TEXT("invoice_reference_2", nu_org_row, invoice_reference_2),
    NU_AUDIT_TEXT("invoice_reference_3", nu_org_row, invoice_reference_3),
    NU_AUDIT_TEXT("identity_verification_note", nu_org_row, identity_verification_note),
    NU_AUDIT_TEXT("referent_user_id", nu_org_row, referent_user_id),
    NU_AUDIT_BOOL("buyer", nu_org_row, buyer),
    NU_AUDIT_BOOL("seller", nu_org_row, seller),
    NU_AUDIT_FORMAT("identity_verified_at", verified_at),
    NU_AUDIT_INT64_SET("provisional_build_until", nu_org_row, provisional_build_until_us),
};

/* ---- validation --------------------------------------------------------- */

static void validate_billing(nu_validator *v, const char *prefix,
                             const Nuage__V1__BillingDetails *b) {
  if (b == NULL) return;
  const char *fields[][2] = {
      {"name", b->name},
      {"address", b->address},
      {"postal_code", b->postal_code},
      {"city", b->city},
      {"country", b->country},
      {"email", b->email},
      {"vat_number", b->vat_number},
      {"invoice_recipient_first_name", b->invoice_recipient_first_name},
      {"invoice_recipient_last_name", b->invoice_recipient_last_name},
      {"invoice_recipient_email", b->invoice_recipient_email},
  };
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    nu_validate_max_len(v, nu_arena_sprintf(v->arena, "%s.%s", prefix, fields[i][0]), fields[i][1],
                        TEXT_MAX_LEN);
  }
  nu_validate_email(v, nu_arena_sprintf(v->arena, "%s.email", prefix), b->email, false);
  nu_validate_email(v, nu_arena_sprintf(v->arena, "%s.invoice_recipient_email", prefix),
                    b->invoice_recipient_email, false);
}

/* Characters (code points) of s: the codec let only UTF-8 through. */
static size_t char_count(const char *s) {
  size_t n = 0;
  for (; s != NULL && *s != '\0'; s++) {
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  }
  return n;
}

static void validate_reference(nu_validator *v, const char *field, const char *ref) {
  if (char_count(ref) > REFERENCE_MAX_CHARS) {
    nu_validate_fail(v, field, "must be at most %d characters", REFERENCE_MAX_CHARS);
  }
}

static const char *const reference_paths[] = {"invoice_reference_1", "invoice_reference_2",
                                              "invoice_reference_3"};

/* The three references of o, in reference_paths order. */
static void references_of(const Nuage__V1__Organization *o, const char *out[3]) {
  out[0] = o->invoice_reference_1;
  out[1] = o->invoice_reference_2;
  out[2] = o->invoice_reference_3;
}

static void validate_siret(nu_validator *v, const char *field, const char *siret) {
  const char *why = NULL;
  if (siret != NULL && siret[0] != '\0' && !nu_siret_valid(siret, &why)) {
    nu_validate_fail(v, field, "%s", why != NULL ? why : "must be a valid siret");
  }
}

static void validate_name(nu_validator *v, const char *field, const char *name) {
  nu_validate_required(v, field, name);
  nu_validate_max_len(v, field, name, NAME_MAX_LEN);
}

static nu_status validate_create(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreateOrganizationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const Nuage__V1__Organization *o = req->organization;
  if (o == NULL) {
    nu_validate_fail(&v, "organization", "is required");
  } else {
    validate_name(&v, "organization.name", o->name);
    if (!o->buyer && !o->seller) {
      nu_validate_fail(&v, "organization.buyer", "an organization buys, sells or both");
    }
    validate_siret(&v, "organization.siret", o->siret);
    nu_validate_max_len(&v, "organization.region", o->region, TEXT_MAX_LEN);
    validate_billing(&v, "organization.billing_details", o->billing_details);
    const char *refs[3];
    references_of(o, refs);
    for (size_t i = 0; i < 3; i++) {
      validate_reference(&v, nu_arena_sprintf(v.arena, "organization.%s", reference_paths[i]),
                         refs[i]);
    }
  }
  nu_validate_max_len(&v, "request_id", req->request_id, REQUEST_ID_MAX_LEN);
  return nu_validator_result(&v);
}

static const char *const update_paths[] = {"name",
                                           "buyer",
                                           "seller",
                                           "siret",
                                           "region",
                                           "support_level",
                                           "billing_details",
                                           "invoice_reference_1",
                                           "invoice_reference_2",
                                           "invoice_reference_3"};

static nu_status validate_update(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdateOrganizationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const Nuage__V1__Organization *o = req->organization;
  const Google__Protobuf__FieldMask *m = req->update_mask;
  if (o == NULL) {
    nu_validate_fail(&v, "organization", "is required");
    return nu_validator_result(&v);
  }
  nu_validate_etag(&v, "organization.etag", o->etag, true);
  nu_update_validate_mask(&v, m, update_paths, sizeof(update_paths) / sizeof(update_paths[0]));
  if (nu_update_masked(m, "name")) validate_name(&v, "organization.name", o->name);
  if (nu_update_masked(m, "siret")) validate_siret(&v, "organization.siret", o->siret);
  if (nu_update_masked(m, "region"))
    nu_validate_max_len(&v, "organization.region", o->region, TEXT_MAX_LEN);
  if (nu_update_masked(m, "support_level")) {
    nu_validate_enum(&v, "organization.support_level", &nuage__v1__support_level__descriptor,
                     o->support_level, false);
  }
  if (nu_update_masked(m, "billing_details")) {
    validate_billing(&v, "organization.billing_details", o->billing_details);
  }
  const char *refs[3];
  references_of(o, refs);
  for (size_t i = 0; i < 3; i++) {
    if (nu_update_masked(m, reference_paths[i])) {
      validate_reference(&v, nu_arena_sprintf(v.arena, "organization.%s", reference_paths[i]),
                         refs[i]);
    }
  }
  return nu_validator_result(&v);
}

static void validate_org_id(nu_validator *v, const char *id) {
  nu_validate_required(v, "organization_id", id);
}

static nu_status validate_validate(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ValidateOrganizationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_org_id(&v, req->organization_id);
  return nu_validator_result(&v);
}

static nu_status validate_suspend(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SuspendOrganizationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_org_id(&v, req->organization_id);
  nu_validate_required(&v, "reason", req->reason);
  nu_validate_max_len(&v, "reason", req->reason, NOTE_MAX_LEN);
  return nu_validator_result(&v);
}

static nu_status validate_identity(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RecordIdentityVerificationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_org_id(&v, req->organization_id);
  nu_validate_max_len(&v, "note", req->note, NOTE_MAX_LEN);
  return nu_validator_result(&v);
}

static nu_status validate_set_level(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SetAccountLevelRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_enum(&v, "account_level", &nuage__v1__account_level__descriptor, req->account_level,
                   false);
  nu_validate_etag(&v, "etag", req->etag, false);
  return nu_validator_result(&v);
}

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListOrganizationsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  nu_validate_max_len(&v, "query", req->query, QUERY_MAX_LEN);
  return nu_validator_result(&v);
}

static nu_status validate_get(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetOrganizationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  bool by_code = req->organization_code != NULL && req->organization_code[0] != '\0';
  if (by_code && req->organization_id != NULL && req->organization_id[0] != '\0') {
    nu_validate_fail(&v, "organization_code",
                     "give organization_id or organization_code, not both");
  } else if (by_code && !nu_org_code_valid(req->organization_code)) {
    nu_validate_fail(&v, "organization_code", "must be ORG- followed by %d digits",
                     NU_ORG_CODE_DIGITS);
  }
  return nu_validator_result(&v);
}

/* ---- CreateOrganization ---------------------------------------------------- */

typedef struct create_ctx {
  nu_call *call;
  const Nuage__V1__Organization *in;
} create_ctx;

static nu_status create_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  create_ctx *x = arg;
  const nu_principal *p = nu_call_principal(x->call);
  const Nuage__V1__Organization *o = x->in;
  const Nuage__V1__BillingDetails *b = o->billing_details;
  int64_t now = nu_rpc_now(x->call);
  nu_org_row in = {
      .name = o->name,
      .buyer = o->buyer,
      .seller = o->seller,
      .siret = o->siret,
      .region = o->region,
      .billing_name = b != NULL ? b->name : NULL,
      .billing_address = b != NULL ? b->address : NULL,
      .billing_postal_code = b != NULL ? b->postal_code : NULL,
      .billing_city = b != NULL ? b->city : NULL,
      .billing_country = b != NULL ? b->country : NULL,
      .billing_email = b != NULL ? b->email : NULL,
      .vat_number = b != NULL ? b->vat_number : NULL,
      .invoice_recipient_first_name = b != NULL ? b->invoice_recipient_first_name : NULL,
      .invoice_recipient_last_name = b != NULL ? b->invoice_recipient_last_name : NULL,
      .invoice_recipient_email = b != NULL ? b->invoice_recipient_email : NULL,
      .invoice_reference_1 = o->invoice_reference_1,
      .invoice_reference_2 = o->invoice_reference_2,
      .invoice_reference_3 = o->invoice_reference_3,
      .referent_user_id = p->id,
  };
  nu_org_row row;
  nu_status st = nu_org_insert(c, a, &in, now, &row);
  if (!nu_status_is_ok(&st)) return st;
  /* The first administrator: manager everywhere. */
  int levels[NU_MEMBERSHIP_SECTIONS];
  for (int i = 0; i < NU_MEMBERSHIP_SECTIONS; i++) levels[i] = NU_LEVEL_MANAGER;
  st = nu_membership_insert(c, a, row.id, p->id, levels, now);
  if (!nu_status_is_ok(&st)) return st;
  if (p->session_id != NULL && p->organization_id == NULL) {
    st = nu_membership_adopt_session(c, a, p->session_id, row.id);
    if (!nu_status_is_ok(&st)) return st;
  }
  nu_org_row none = {0};
  nu_audit_change *ch = NULL;
  size_t n = 0;
  st = nu_audit_diff(a, NU_AUDIT_FIELDS(audit_fields), &none, &row, &ch, &n);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_audit(x->call, c, row.id, "organization.create", "organization", row.id, ch, n);
  if (!nu_status_is_ok(&st)) return st;
  nu_org_viewer viewer = nu_org_viewer_of(x->call, &row);
  Nuage__V1__Organization *out = nu_org_to_api(a, &row, &viewer, nu_rpc_now(x->call));
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

static nu_status create_organization(nu_call *call, const ProtobufCMessage *msg,
                                     ProtobufCMessage **resp) {
  const Nuage__V1__CreateOrganizationRequest *req = (const void *)msg;
  const nu_principal *p = nu_call_principal(call);
  if (p->id == NULL || p->kind != NU_PRINCIPAL_USER) {
    return nu_error(nu_call_arena(call), NU_PERMISSION_DENIED, "USER_REQUIRED",
                    "only a signed-in user can create an organization");
  }
  create_ctx x = {.call = call, .in = req->organization};
  return nu_rpc_create_tx(call, req->request_id, msg, create_tx, &x, resp);
}

/* ---- GetOrganization -------------------------------------------------------- */

typedef struct read_ctx {
  const char *id;   /* or */
  const char *code; /* (validated) */
  nu_org_row row;
  bool found;
} read_ctx;

static nu_status read_tx(nu_conn *c, nu_arena *a, void *arg) {
  read_ctx *x = arg;
  if (x->code != NULL) return nu_org_get_by_code(c, a, x->code, &x->row, &x->found);
  return nu_org_get(c, a, x->id, false, &x->row, &x->found);
}

/* The organisation a request names, as the caller may see it: NOT_FOUND
 * for another organisation, a malformed id or an absent one alike. */
static nu_status scope(nu_call *call, const char *requested, const char **id) {
  nu_status st = nu_rpc_scope_org(call, requested, id);
  if (!nu_status_is_ok(&st)) return st;
  if (!nu_id_valid(*id)) return nu_rpc_not_found(nu_call_arena(call), "organization");
  return nu_ok();
}

static nu_status get_organization(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__GetOrganizationRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  read_ctx x = {0};
  nu_status st = nu_ok();
  if (req->organization_code != NULL && req->organization_code[0] != '\0') {
    x.code = req->organization_code;
  } else {
    st = scope(call, req->organization_id, &x.id);
    if (!nu_status_is_ok(&st)) return st;
  }
  st = nu_rpc_tx(call, true, read_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  if (!x.found) return nu_rpc_not_found(a, "organization");
  /* By code, the row found must be one the caller may name: another
   * organisation's code answers like an unknown one. */
  const char *id = NULL;
  if (x.code != NULL) {
    st = scope(call, x.row.id, &id);
    if (!nu_status_is_ok(&st)) return st;
  }
  nu_org_viewer viewer = nu_org_viewer_of(call, &x.row);
  Nuage__V1__Organization *out = nu_org_to_api(a, &x.row, &viewer, nu_rpc_now(call));
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- ListOrganizations ------------------------------------------------------ */

/* The list's state: the store's filter, and the time levels are read at. */
typedef struct org_list_ctx {
  nu_org_filter filter;
  int64_t now_ns;
} org_list_ctx;

static nu_status fetch_organizations(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                                     const void **rows, size_t *n) {
  nu_org_filter *f = &((org_list_ctx *)ctx)->filter;
  nu_org_row *orgs = NULL;
  f->after_name = page->after_key;
  f->after_id = page->after_id;
  f->limit = page->limit;
  nu_status st = nu_org_list(c, a, f, &orgs, n);
  *rows = orgs;
  return st;
}

/* A member sees each organisation as their level on contract there
 * allows; the operator sees every one whole. */
static ProtobufCMessage *org_api(nu_arena *a, void *ctx, const void *row) {
  const org_list_ctx *x = ctx;
  const nu_org_filter *f = &x->filter;
  const nu_org_row *r = row;
  nu_org_viewer viewer = {
      .platform_operator = f->member_user_id == NULL,
      .referent = f->member_user_id != NULL && r->referent_user_id != NULL &&
                  strcmp(f->member_user_id, r->referent_user_id) == 0,
      .contract_level = (nu_level)r->member_contract_level,
  };
  Nuage__V1__Organization *o = nu_org_to_api(a, r, &viewer, x->now_ns);
  return o != NULL ? &o->base : NULL;
}

static const nu_list_spec kOrgList = {
    .row_size = sizeof(nu_org_row),
    NU_LIST_KEY_TEXT(nu_org_row, sort_key),
    NU_LIST_ID(nu_org_row, id),
    .fetch = fetch_organizations,
    .to_api = org_api,
};

static nu_status list_organizations(nu_call *call, const ProtobufCMessage *msg,
                                    ProtobufCMessage **resp) {
  const Nuage__V1__ListOrganizationsRequest *req = (const void *)msg;
  const nu_principal *p = nu_call_principal(call);
  if (!p->platform_operator && p->id == NULL) {
    return nu_error(nu_call_arena(call), NU_PERMISSION_DENIED, "USER_REQUIRED",
                    "only a user has organizations");
  }
  nu_org_filter f = {.member_user_id = p->platform_operator ? NULL : p->id,
                     .status = nu_org_state_name((nu_org_state)req->state),
                     .kind = req->kind == NUAGE__V1__ORGANIZATION_KIND__ORGANIZATION_KIND_BUYER ? 1
                             : req->kind == NUAGE__V1__ORGANIZATION_KIND__ORGANIZATION_KIND_SELLER
                                 ? 2
                                 : 0,
                     .query = req->query};
  org_list_ctx x = {.filter = f, .now_ns = nu_rpc_now(call)};
  return nu_list_run(call, msg, req->page_size, &kOrgList, &x, resp);
}

/* ---- changes: the update path (rpc/core/update.h) ------------------------- */

typedef nu_status (*apply_fn)(nu_call *call, const void *req, nu_org_row *row);

typedef struct org_change {
  apply_fn apply;
  bool referent_only; /* the change names a field only the referent may change */
} org_change;

/* Locks the row; a change of referent-only fields by someone else than the
 * referent (or the operator) stops here, before the etag is compared. */
static nu_status org_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  nu_arena *a = nu_call_arena(u->call);
  nu_status st = nu_org_get(c, a, u->id, true, row, found);
  if (!nu_status_is_ok(&st) || !*found || !((const org_change *)u->ctx)->referent_only) return st;
  nu_org_viewer viewer = nu_org_viewer_of(u->call, row);
  nu_refusal why;
  if (nu_org_check_referent_change(&viewer, &why) != 0) {
    return nu_error(a, NU_PERMISSION_DENIED, why.reason, "%s", why.message);
  }
  return nu_ok();
}

static nu_status org_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_org_write(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static const nu_update_spec org_update = {
    .resource = "organization",
    .target_type = "organization",
    NU_UPDATE_ROW(nu_org_row, id, version),
    .fields = audit_fields,
    .n_fields = sizeof(audit_fields) / sizeof(audit_fields[0]),
    .lock = org_lock,
    .write = org_write,
    NU_UPDATE_ORG(nu_org_row, id),
};

static nu_status org_apply(nu_update *u, nu_conn *c, void *row) {
  (void)c;
  return ((const org_change *)u->ctx)->apply(u->call, u->req, row);
}

/* The update path for one organisation: referent_only when the change
 * names a field only the referent may change; after_write a step once the
 * row is written (e-mails), or NULL. */
static nu_status change_with(nu_call *call, const void *req, const char *requested_id,
                             const char *etag, const char *action, apply_fn apply,
                             bool referent_only,
                             nu_status (*after_write)(nu_update *u, nu_conn *c, const void *result),
                             ProtobufCMessage **resp) {
  nu_arena *a = nu_call_arena(call);
  org_change oc = {apply, referent_only};
  nu_update u = {.call = call,
                 .spec = &org_update,
                 .etag = etag,
                 .action = action,
                 .req = req,
                 .ctx = &oc,
                 .apply = org_apply,
                 .after_write = after_write};
  nu_status st = scope(call, requested_id, &u.id);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  nu_org_viewer viewer = nu_org_viewer_of(call, u.result);
  Nuage__V1__Organization *out = nu_org_to_api(a, u.result, &viewer, nu_rpc_now(call));
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

static nu_status change(nu_call *call, const void *req, const char *requested_id, const char *etag,
                        const char *action, apply_fn apply, ProtobufCMessage **resp) {
  return change_with(call, req, requested_id, etag, action, apply, false, NULL, resp);
}

/* ---- UpdateOrganization ---------------------------------------------------- */

static nu_status apply_update(nu_call *call, const void *arg, nu_org_row *row) {
  const Nuage__V1__UpdateOrganizationRequest *req = arg;
  const Nuage__V1__Organization *o = req->organization;
  const Google__Protobuf__FieldMask *m = req->update_mask;
  nu_arena *a = nu_call_arena(call);
  if (nu_update_masked(m, "name")) row->name = o->name;
  if (nu_update_masked(m, "buyer")) row->buyer = o->buyer;
  if (nu_update_masked(m, "seller")) row->seller = o->seller;
  if (nu_update_masked(m, "siret")) row->siret = o->siret;
  if (nu_update_masked(m, "region")) row->region = o->region;
  if (nu_update_masked(m, "support_level")) {
    row->support_level = nu_enum_text(&nuage__v1__support_level__descriptor, o->support_level);
  }
  if (nu_update_masked(m, "billing_details")) {
    const Nuage__V1__BillingDetails *b = o->billing_details;
    row->billing_name = b != NULL ? b->name : "";
    row->billing_address = b != NULL ? b->address : "";
    row->billing_postal_code = b != NULL ? b->postal_code : "";
    row->billing_city = b != NULL ? b->city : "";
    row->billing_country = b != NULL ? b->country : "";
    row->billing_email = b != NULL ? b->email : "";
    row->vat_number = b != NULL ? b->vat_number : "";
    row->invoice_recipient_first_name = b != NULL ? b->invoice_recipient_first_name : "";
    row->invoice_recipient_last_name = b != NULL ? b->invoice_recipient_last_name : "";
    row->invoice_recipient_email = b != NULL ? b->invoice_recipient_email : "";
  }
  if (nu_update_masked(m, "invoice_reference_1")) row->invoice_reference_1 = o->invoice_reference_1;
  if (nu_update_masked(m, "invoice_reference_2")) row->invoice_reference_2 = o->invoice_reference_2;
  if (nu_update_masked(m, "invoice_reference_3")) row->invoice_reference_3 = o->invoice_reference_3;
  if (!row->buyer && !row->seller) {
    nu_status st =
        nu_error(a, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "an organization buys, sells or both");
    nu_status_add_violation(a, &st, "organization.buyer", "an organization buys, sells or both");
    return st;
  }
  /* Billing details arriving during a provisional build make it permanent;
   * one that ended is replaced by its fall-back (account_level.h). */
  nu_account_facts facts = nu_org_account_facts(row);
  nu_account_level level = facts.current;
  int64_t until_ns = 0;
  nu_account_settle(&facts, nu_rpc_now(call), &level, &until_ns);
  row->account_level =
      nu_account_level_name(level) != NULL ? nu_account_level_name(level) : row->account_level;
  row->provisional_build_until_us = until_ns / 1000;
  /* Test and build run on billing details: they cannot be emptied there
   * (a provisional build still running waits for them). */
  nu_billing_details b = nu_org_billing(row);
  if (nu_account_level_parse(row->account_level) > NU_ACCOUNT_LEVEL_DISCOVERY &&
      row->provisional_build_until_us == 0 && nu_billing_missing(&b) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "BILLING_DETAILS_MISSING",
                    "account level %s requires complete billing details", row->account_level);
  }
  return nu_ok();
}

static nu_status update_organization(nu_call *call, const ProtobufCMessage *msg,
                                     ProtobufCMessage **resp) {
  const Nuage__V1__UpdateOrganizationRequest *req = (const void *)msg;
  bool referent_only = false;
  for (size_t i = 0; req->update_mask != NULL && i < req->update_mask->n_paths; i++) {
    referent_only = referent_only || nu_org_path_referent_only(req->update_mask->paths[i]);
  }
  return change_with(call, req, req->organization->id, req->organization->etag,
                     "organization.update", apply_update, referent_only, NULL, resp);
}

/* ---- operator: validate, suspend, identity verification ------------------- */

/* Moves row along ev (nu_org_status_next); the reason goes with the state.
 * An organisation already in the target state with the same reason is the
 * same row: change_tx writes nothing and audits nothing. */
static nu_status apply_status(nu_call *call, nu_org_event ev, const char *reason, nu_org_row *row) {
  nu_org_transition t;
  nu_refusal why;
  if (nu_org_status_next(nu_org_state_parse(row->status), ev, &t, &why) != 0) {
    return nu_error(nu_call_arena(call), NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  row->status = nu_org_state_name(t.to);
  row->status_reason = reason;
  return nu_ok();
}

static nu_status apply_validate(nu_call *call, const void *arg, nu_org_row *row) {
  return apply_status(call, NU_ORG_EVENT_VALIDATE, "", row);
}

static nu_status validate_organization(nu_call *call, const ProtobufCMessage *msg,
                                       ProtobufCMessage **resp) {
  const Nuage__V1__ValidateOrganizationRequest *req = (const void *)msg;
  return change(call, req, req->organization_id, NULL, "organization.validate", apply_validate,
                resp);
}

static nu_status apply_suspend(nu_call *call, const void *arg, nu_org_row *row) {
  const Nuage__V1__SuspendOrganizationRequest *req = arg;
  return apply_status(call, NU_ORG_EVENT_SUSPEND, req->reason, row);
}

static nu_status suspend_organization(nu_call *call, const ProtobufCMessage *msg,
                                      ProtobufCMessage **resp) {
  const Nuage__V1__SuspendOrganizationRequest *req = (const void *)msg;
  return change(call, req, req->organization_id, NULL, "organization.suspend", apply_suspend, resp);
}

static nu_status apply_identity(nu_call *call, const void *arg, nu_org_row *row) {
  const Nuage__V1__RecordIdentityVerificationRequest *req = arg;
  int64_t now = nu_rpc_now(call);
  /* The first verification without billing details grants build for 14
   * days (account_level.h). */
  nu_account_facts before = nu_org_account_facts(row);
  nu_account_level level;
  int64_t until_ns;
  if (nu_account_on_identity_verified(&before, now, &level, &until_ns)) {
    row->account_level = nu_account_level_name(level);
    row->provisional_build_until_us = until_ns / 1000;
  }
  row->identity_verified_us = now / 1000;
  row->identity_verified_by = nu_call_principal(call)->id;
  row->identity_verification_note = req->note;
  return nu_ok();
}

/* The first verification is the completed one: the referent is told, with
 * the level it leaves the organisation at (and until when, if
 * provisional). A verification recorded again sends nothing. */
static nu_status identity_verified_email(nu_update *u, nu_conn *c, const void *result) {
  const nu_org_row *before = u->before, *after = result;
  if (before == NULL || before->identity_verified_us != 0 || after->referent_user_id == NULL) {
    return nu_ok();
  }
  nu_arena *a = nu_call_arena(u->call);
  nu_user_row referent;
  nu_status st = nu_user_get(c, a, after->referent_user_id, &referent);
  if (!nu_status_is_ok(&st)) return st;
  int64_t now = nu_rpc_now(u->call);
  nu_account_facts f = nu_org_account_facts(after);
  const char *until = "";
  if (nu_account_provisional(&f, now)) {
    until = nu_arena_sprintf(a, "%" PRId64, after->provisional_build_until_us / 1000000);
    if (until == NULL) return nu_rpc_oom(a);
  }
  const char *kv[] = {
      "organization_name",       after->name,
      "account_level",           nu_account_level_name(nu_account_level_effective(&f, now)),
      "provisional_build_until", until};
  return nu_rpc_email(u->call, c, referent.email, "identity_verified", after->id, kv, 3);
}

static nu_status record_identity_verification(nu_call *call, const ProtobufCMessage *msg,
                                              ProtobufCMessage **resp) {
  const Nuage__V1__RecordIdentityVerificationRequest *req = (const void *)msg;
  return change_with(call, req, req->organization_id, NULL, "organization.verify_identity",
                     apply_identity, false, identity_verified_email, resp);
}

/* ---- SetAccountLevel ---------------------------------------------------------- */

static nu_status apply_level(nu_call *call, const void *arg, nu_org_row *row) {
  const Nuage__V1__SetAccountLevelRequest *req = arg;
  int64_t now = nu_rpc_now(call);
  nu_account_facts f = nu_org_account_facts(row);
  /* From the level in force: after a provisional build, its fall-back. */
  f.current = nu_account_level_effective(&f, now);
  nu_account_refusal why = {0};
  nu_account_level to = (nu_account_level)req->account_level;
  if (nu_account_level_check(&f, to, &why) != 0) {
    nu_arena *a = nu_call_arena(call);
    nu_status st = nu_error(a, NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
    /* Which billing fields are missing, one violation each, so a client
     * can point at them. */
    for (unsigned bit = 1; bit < (1u << NU_BILLING_FIELD_COUNT); bit <<= 1) {
      if (strcmp(why.reason, "BILLING_DETAILS_MISSING") == 0 && (f.billing_missing & bit)) {
        nu_status_add_violation(a, &st,
                                nu_arena_sprintf(a, "billing_details.%s",
                                                 nu_billing_field_name(bit) + strlen("billing_")),
                                "is required");
      }
    }
    return st;
  }
  /* Staying at build keeps a provisional build running; any other choice
   * ends it (the fall-back is then written, if that is the level). */
  if (to != NU_ACCOUNT_LEVEL_BUILD || !nu_account_provisional(&f, now)) {
    row->account_level = nu_account_level_name(to);
    row->provisional_build_until_us = 0;
  }
  return nu_ok();
}

static nu_status set_account_level(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__SetAccountLevelRequest *req = (const void *)msg;
  return change(call, req, req->organization_id, req->etag, "organization.set_account_level",
                apply_level, resp);
}

/* ---- the rows ----------------------------------------------------------------- */

const nu_method nu_organization_methods[] = {
    NU_RPC_ROW("OrganizationService", "CreateOrganization", create_organization_request,
               organization, validate_create, create_organization),
    NU_RPC_ROW("OrganizationService", "GetOrganization", get_organization_request, organization,
               validate_get, get_organization),
    NU_RPC_ROW("OrganizationService", "ListOrganizations", list_organizations_request,
               list_organizations_response, validate_list, list_organizations),
    NU_RPC_ROW("OrganizationService", "UpdateOrganization", update_organization_request,
               organization, validate_update, update_organization),
    NU_RPC_ROW("OrganizationService", "ValidateOrganization", validate_organization_request,
               organization, validate_validate, validate_organization),
    NU_RPC_ROW("OrganizationService", "SuspendOrganization", suspend_organization_request,
               organization, validate_suspend, suspend_organization),
    NU_RPC_ROW("OrganizationService", "RecordIdentityVerification",
               record_identity_verification_request, organization, validate_identity,
               record_identity_verification),
    NU_RPC_ROW("OrganizationService", "SetAccountLevel", set_account_level_request, organization,
               validate_set_level, set_account_level),
};
const size_t nu_organization_methods_count =
    sizeof(nu_organization_methods) / sizeof(nu_organization_methods[0]);
