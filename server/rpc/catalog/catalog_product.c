/*
 * catalog_product.c — CatalogService: storefronts and the write side of
 * products.
 *
 * A product belongs to its seller organisation: every change reads it FOR
 * UPDATE through nu_catalog_product_for_change, which answers NOT_FOUND to
 * a caller acting for another organisation exactly as for an absent
 * product. Publishing and unpublishing follow nu_publication_next: publishing
 * needs the seller organisation validated and at least
 * one active pricing plan (a published product nobody can buy or estimate
 * would only mislead buyers). Unpublishing writes one e-mail per subscribed
 * organisation in the same transaction, so the withdrawal and its notices
 * commit or fail together.
 */
#include "server/rpc/catalog/catalog_product.h"

#include <string.h>

#include "server/domain/catalog/policy.h"
#include "server/domain/catalog/publication.h"
#include "server/domain/organization/org_status.h"
#include "server/rpc/catalog/catalog_common.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/update.h"
#include "server/store/catalog/storefront_store.h"
#include "server/store/catalog/subscription_store.h"
#include "server/store/organization/organization_store.h"
#include "server/validate/email.h"
#include "server/validate/enum.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"

/* The context's limits: domain/catalog/policy.h. */
#define NAME_MAX_LEN NU_CATALOG_NAME_MAX_LEN
#define DESCRIPTION_MAX_LEN NU_CATALOG_DESCRIPTION_MAX_LEN
#define SHORT_MAX_LEN NU_CATALOG_SHORT_TEXT_MAX_LEN
#define REGION_MAX_LEN NU_CATALOG_REGION_MAX_LEN
#define LIST_MAX NU_CATALOG_LIST_MAX
#define REQUEST_ID_MAX_LEN 128

/* ---- validation ------------------------------------------------------------ */

/* The fields of a product a create sets (mask NULL) or an update names. */
static void validate_product(nu_validator *v, const Nuage__V1__Product *p,
                             const Google__Protobuf__FieldMask *m) {
  bool all = m == NULL;
  if (all || nu_update_masked(m, "name")) {
    nu_validate_required(v, "product.name", p->name);
    nu_validate_max_len(v, "product.name", p->name, NAME_MAX_LEN);
  }
  if (all || nu_update_masked(m, "description")) {
    nu_validate_max_len(v, "product.description", p->description, DESCRIPTION_MAX_LEN);
  }
  if (all || nu_update_masked(m, "category")) {
    nu_validate_max_len(v, "product.category", p->category, SHORT_MAX_LEN);
  }
  if (all || nu_update_masked(m, "kind")) {
    nu_validate_enum(v, "product.kind", &nuage__v1__product_kind__descriptor, p->kind, false);
  }
  if (all || nu_update_masked(m, "regions")) {
    if (p->n_regions > LIST_MAX)
      nu_validate_fail(v, "product.regions", "at most %d regions", LIST_MAX);
    for (size_t i = 0; i < p->n_regions; i++) {
      const char *field = nu_arena_sprintf(v->arena, "product.regions[%zu]", i);
      nu_validate_required(v, field, p->regions[i]);
      nu_validate_max_len(v, field, p->regions[i], REGION_MAX_LEN);
    }
  }
  if (all || nu_update_masked(m, "certifications")) {
    nu_validate_enum_list(v, "product.certifications", &nuage__v1__certification__descriptor,
                          (const int *)p->certifications, p->n_certifications, LIST_MAX);
  }
  if (all || nu_update_masked(m, "capabilities")) {
    nu_validate_enum_list(v, "product.capabilities", &nuage__v1__capability__descriptor,
                          (const int *)p->capabilities, p->n_capabilities, LIST_MAX);
  }
}

static nu_status validate_create_product(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreateProductRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->product == NULL) {
    nu_validate_fail(&v, "product", "is required");
  } else {
    validate_product(&v, req->product, NULL);
  }
  nu_validate_max_len(&v, "request_id", req->request_id, REQUEST_ID_MAX_LEN);
  return nu_validator_result(&v);
}

static const char *const update_paths[] = {"name",         "description", "category",
                                           "kind",         "regions",     "certifications",
                                           "extra_eu_law", "capabilities"};

static nu_status validate_update_product(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdateProductRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const Nuage__V1__Product *p = req->product;
  const Google__Protobuf__FieldMask *m = req->update_mask;
  if (p == NULL) {
    nu_validate_fail(&v, "product", "is required");
    return nu_validator_result(&v);
  }
  nu_validate_required(&v, "product.id", p->id);
  nu_validate_etag(&v, "product.etag", p->etag, true);
  nu_update_validate_mask(&v, m, update_paths, sizeof(update_paths) / sizeof(update_paths[0]));
  if (m != NULL && m->n_paths > 0) validate_product(&v, p, m);
  return nu_validator_result(&v);
}

static nu_status validate_state_change(nu_call *call, const char *id, const char *etag) {
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "product_id", id);
  nu_validate_etag(&v, "etag", etag, false);
  return nu_validator_result(&v);
}

static nu_status validate_publish(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__PublishProductRequest *req = (const void *)msg;
  return validate_state_change(call, req->product_id, req->etag);
}

static nu_status validate_unpublish(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UnpublishProductRequest *req = (const void *)msg;
  return validate_state_change(call, req->product_id, req->etag);
}

static nu_status validate_upsert_storefront(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpsertStorefrontRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const Nuage__V1__Storefront *s = req->storefront;
  if (s == NULL) {
    nu_validate_fail(&v, "storefront", "is required");
    return nu_validator_result(&v);
  }
  nu_validate_required(&v, "storefront.name", s->name);
  nu_validate_max_len(&v, "storefront.name", s->name, NAME_MAX_LEN);
  nu_validate_max_len(&v, "storefront.description", s->description, DESCRIPTION_MAX_LEN);
  nu_validate_email(&v, "storefront.contact_email", s->contact_email, false);
  nu_validate_max_len(&v, "storefront.contact_phone", s->contact_phone,
                      NU_STOREFRONT_PHONE_MAX_LEN);
  nu_validate_max_len(&v, "storefront.website", s->website, SHORT_MAX_LEN);
  nu_validate_etag(&v, "storefront.etag", s->etag, false);
  return nu_validator_result(&v);
}

static nu_status validate_get_storefront(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetStorefrontRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "organization_id", req->organization_id);
  return nu_validator_result(&v);
}

/* ---- shared with the version RPCs ------------------------------------------ */

nu_status nu_catalog_product_for_change(nu_call *call, nu_conn *c, const char *id_or_code,
                                        nu_product_row *out) {
  nu_arena *a = nu_call_arena(call);
  bool found = false;
  nu_status st = nu_product_get(c, a, id_or_code, true, out, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !nu_catalog_acts_for(nu_call_principal(call), out->seller_id)) {
    return nu_rpc_not_found(a, "product");
  }
  return nu_ok();
}

nu_status nu_catalog_notify_unpublished(nu_call *call, nu_conn *c, const nu_product_row *p,
                                        size_t *notified) {
  nu_arena *a = nu_call_arena(call);
  nu_subscriber_row *rows = NULL;
  size_t n = 0;
  nu_status st = nu_subscription_live_orgs(c, a, p->id, nu_rpc_now(call), &rows, &n);
  if (!nu_status_is_ok(&st)) return st;
  for (size_t i = 0; i < n; i++) {
    const char *kv[] = {"product_id",        p->id,
                        "product_code",      p->code,
                        "product_name",      p->name,
                        "seller_name",       p->seller_name,
                        "organization_name", rows[i].organization_name};
    st = nu_rpc_email(call, c, rows[i].referent_email, "product_unpublished",
                      rows[i].organization_id, kv, 5);
    if (!nu_status_is_ok(&st)) return st;
  }
  *notified = n;
  return nu_ok();
}

/* ---- what changed, for the audit log -------------------------------------- */

static const char *join(nu_arena *a, const nu_text_list *l) {
  size_t len = 1;
  for (size_t i = 0; i < l->n; i++) len += strlen(l->items[i]) + 1;
  char *s = nu_arena_alloc(a, len);
  if (s == NULL) return NULL;
  s[0] = '\0';
  for (size_t i = 0; i < l->n; i++) {
    if (i > 0) strcat(s, ",");
    strcat(s, l->items[i]);
  }
  return s;
}

static int list_text(nu_arena *a, const nu_text_list *l, const char **out) {
  const char *s = join(a, l);
  if (s == NULL) return -1;
  *out = s[0] != '\0' ? s : NULL;
  return 0;
}

static int regions_text(nu_arena *a, const void *row, const char **out) {
  return list_text(a, &((const nu_product_row *)row)->regions, out);
}

static int certifications_text(nu_arena *a, const void *row, const char **out) {
  return list_text(a, &((const nu_product_row *)row)->certifications, out);
}

static int capabilities_text(nu_arena *a, const void *row, const char **out) {
  return list_text(a, &((const nu_product_row *)row)->capabilities, out);
}

static const nu_audit_field audit_fields[] = {
    NU_AUDIT_TEXT("name", nu_product_row, name),
    NU_AUDIT_TEXT("description", nu_product_row, description),
    NU_AUDIT_TEXT("category", nu_product_row, category),
    NU_AUDIT_TEXT("kind", nu_product_row, kind),
    NU_AUDIT_TEXT("status", nu_product_row, status),
    NU_AUDIT_FORMAT("regions", regions_text),
    NU_AUDIT_FORMAT("certifications", certifications_text),
    NU_AUDIT_FORMAT("capabilities", capabilities_text),
    NU_AUDIT_BOOL("extra_eu_law", nu_product_row, extra_eu_law),
};

/* ---- from the API into a row ---------------------------------------------- */

/* The database texts of API enum values, each once (arena). */
static int list_of_enums(nu_arena *a, const int *values, size_t n, const char *(*name)(int),
                         nu_text_list *out) {
  out->items = n > 0 ? nu_arena_calloc(a, n, sizeof(*out->items)) : NULL;
  out->n = 0;
  if (n > 0 && out->items == NULL) return -1;
  for (size_t i = 0; i < n; i++) {
    const char *s = name(values[i]);
    bool seen = false;
    for (size_t j = 0; j < out->n && !seen; j++) seen = strcmp(out->items[j], s) == 0;
    if (!seen) out->items[out->n++] = s;
  }
  return 0;
}

static int apply_fields(nu_arena *a, const Nuage__V1__Product *p,
                        const Google__Protobuf__FieldMask *m, nu_product_row *row) {
  bool all = m == NULL;
  if (all || nu_update_masked(m, "name")) row->name = p->name;
  if (all || nu_update_masked(m, "description")) row->description = p->description;
  if (all || nu_update_masked(m, "category")) row->category = p->category;
  if (all || nu_update_masked(m, "kind")) row->kind = nu_catalog_kind_name(p->kind);
  if (all || nu_update_masked(m, "regions")) {
    row->regions = (nu_text_list){(const char **)p->regions, p->n_regions};
  }
  if (all || nu_update_masked(m, "extra_eu_law")) row->extra_eu_law = p->extra_eu_law;
  if ((all || nu_update_masked(m, "certifications")) &&
      list_of_enums(a, (const int *)p->certifications, p->n_certifications,
                    nu_catalog_certification_name, &row->certifications) != 0) {
    return -1;
  }
  if ((all || nu_update_masked(m, "capabilities")) &&
      list_of_enums(a, (const int *)p->capabilities, p->n_capabilities, nu_catalog_capability_name,
                    &row->capabilities) != 0) {
    return -1;
  }
  return 0;
}

static nu_status product_reply(nu_arena *a, const nu_product_row *row, ProtobufCMessage **resp) {
  Nuage__V1__Product *out = NULL;
  nu_status st = nu_catalog_product_to_api(a, row, &out);
  if (!nu_status_is_ok(&st)) return st;
  *resp = &out->base;
  return nu_ok();
}

/* The seller organisation, which must exist and sell. */
static nu_status seller_of(nu_call *call, nu_conn *c, const char *org_id, nu_org_row *org) {
  nu_arena *a = nu_call_arena(call);
  bool found = false;
  nu_status st = nu_org_get(c, a, org_id, false, org, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "organization");
  if (!org->seller) {
    return nu_error(
        a, NU_FAILED_PRECONDITION, "NOT_A_SELLER",
        "the organization is not a seller: only sellers have a storefront and products");
  }
  return nu_ok();
}

/* ---- CreateProduct ----------------------------------------------------------- */

typedef struct create_ctx {
  nu_call *call;
  const char *org_id;
  const Nuage__V1__Product *in;
} create_ctx;

static nu_status create_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  create_ctx *x = arg;
  nu_org_row org;
  nu_status st = seller_of(x->call, c, x->org_id, &org);
  if (!nu_status_is_ok(&st)) return st;
  nu_product_row in = {.seller_id = x->org_id};
  if (apply_fields(a, x->in, NULL, &in) != 0) return nu_rpc_oom(a);
  nu_product_row row;
  st = nu_product_insert(c, a, &in, nu_rpc_now(x->call), &row);
  if (!nu_status_is_ok(&st)) return st;
  nu_product_row none = {0};
  nu_audit_change *ch = NULL;
  size_t n = 0;
  st = nu_audit_diff(a, NU_AUDIT_FIELDS(audit_fields), &none, &row, &ch, &n);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_audit(x->call, c, row.seller_id, "product.create", "product", row.id, ch, n);
  if (!nu_status_is_ok(&st)) return st;
  return product_reply(a, &row, resp);
}

static nu_status create_product(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__CreateProductRequest *req = (const void *)msg;
  create_ctx x = {.call = call, .in = req->product};
  /* The seller is the caller's organisation, whatever the request says. */
  nu_status st = nu_rpc_scope_org(call, NULL, &x.org_id);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_create_tx(call, req->request_id, msg, create_tx, &x, resp);
}

/* ---- changes: the update path (rpc/core/update.h) --------------------------- */

typedef nu_status (*apply_fn)(nu_call *call, nu_conn *c, const void *req, nu_product_row *row);

static nu_status product_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  nu_status st = nu_catalog_product_for_change(u->call, c, u->id, row);
  *found = nu_status_is_ok(&st);
  return st.code == NU_NOT_FOUND ? nu_ok() : st;
}

static nu_status product_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_product_write(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static const nu_update_spec product_update = {
    .resource = "product",
    .target_type = "product",
    NU_UPDATE_ROW(nu_product_row, id, version),
    .fields = audit_fields,
    .n_fields = sizeof(audit_fields) / sizeof(audit_fields[0]),
    .lock = product_lock,
    .write = product_write,
    NU_UPDATE_ORG(nu_product_row, seller_id),
};

typedef struct product_change {
  apply_fn apply;
} product_change;

static nu_status product_apply(nu_update *u, nu_conn *c, void *row) {
  return ((const product_change *)u->ctx)->apply(u->call, c, u->req, row);
}

static nu_status change(nu_call *call, const void *req, const char *id, const char *etag,
                        const char *action, apply_fn apply, ProtobufCMessage **resp) {
  product_change pc = {apply};
  nu_update u = {.call = call,
                 .spec = &product_update,
                 .id = id,
                 .etag = etag,
                 .action = action,
                 .req = req,
                 .ctx = &pc,
                 .apply = product_apply};
  nu_status st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  return product_reply(nu_call_arena(call), u.result, resp);
}

static nu_status apply_update(nu_call *call, nu_conn *c, const void *arg, nu_product_row *row) {
  const Nuage__V1__UpdateProductRequest *req = arg;
  (void)c;
  if (apply_fields(nu_call_arena(call), req->product, req->update_mask, row) != 0) {
    return nu_rpc_oom(nu_call_arena(call));
  }
  return nu_ok();
}

static nu_status update_product(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__UpdateProductRequest *req = (const void *)msg;
  return change(call, req, req->product->id, req->product->etag, "product.update", apply_update,
                resp);
}

/* Moves row along ev (nu_publication_next); *t says what goes with it. */
static nu_status product_next(nu_call *call, const nu_product_row *row, nu_publication_event ev,
                              const nu_publication_facts *f, nu_publication_transition *t) {
  nu_refusal why;
  if (nu_publication_next(NU_PUBLICATION_PRODUCT, nu_publication_state_parse(row->status), ev, f, t,
                          &why) != 0) {
    return nu_error(nu_call_arena(call), NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  return nu_ok();
}

static nu_status apply_publish(nu_call *call, nu_conn *c, const void *arg, nu_product_row *row) {
  nu_arena *a = nu_call_arena(call);
  (void)arg;
  nu_publication_facts f = {0};
  nu_publication_transition t;
  const char *seller_state = "unknown";
  if (nu_publication_state_parse(row->status) != NU_PUBLICATION_PUBLISHED) {
    /* The facts publishing depends on (not needed when already published). */
    nu_org_row org;
    bool found = false;
    nu_status st = nu_org_get(c, a, row->seller_id, false, &org, &found);
    if (!nu_status_is_ok(&st)) return st;
    f.seller_validated = found && nu_org_may_transact(nu_org_state_parse(org.status), NULL) == 0;
    if (found) seller_state = org.status;
    int64_t plans = 0;
    if (f.seller_validated) {
      st = nu_product_count_active_plans(c, a, row->id, &plans);
      if (!nu_status_is_ok(&st)) return st;
    }
    f.has_active_plan = plans > 0;
  }
  nu_refusal why;
  if (nu_publication_next(NU_PUBLICATION_PRODUCT, nu_publication_state_parse(row->status),
                          NU_PUBLICATION_EVENT_PUBLISH, &f, &t, &why) != 0) {
    /* The message names the seller's state, as the API always did. */
    if (!f.seller_validated) {
      return nu_error(a, NU_FAILED_PRECONDITION, why.reason,
                      "the seller organization is %s: only a validated organization can publish",
                      seller_state);
    }
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  if (!t.changed) return nu_ok(); /* already: nothing changes */
  row->status = nu_publication_state_name(t.to);
  row->published_us = nu_rpc_now(call) / 1000;
  return nu_ok();
}

static nu_status publish_product(nu_call *call, const ProtobufCMessage *msg,
                                 ProtobufCMessage **resp) {
  const Nuage__V1__PublishProductRequest *req = (const void *)msg;
  return change(call, req, req->product_id, req->etag, "product.publish", apply_publish, resp);
}

static nu_status apply_unpublish(nu_call *call, nu_conn *c, const void *arg, nu_product_row *row) {
  (void)arg;
  nu_publication_transition t;
  nu_status st = product_next(call, row, NU_PUBLICATION_EVENT_UNPUBLISH, NULL, &t);
  if (!nu_status_is_ok(&st)) return st;
  row->status = nu_publication_state_name(t.to);
  size_t notified = 0;
  if (t.notify_withdrawn) st = nu_catalog_notify_unpublished(call, c, row, &notified);
  return st;
}

static nu_status unpublish_product(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__UnpublishProductRequest *req = (const void *)msg;
  return change(call, req, req->product_id, req->etag, "product.unpublish", apply_unpublish, resp);
}

/* ---- storefronts --------------------------------------------------------------- */

static nu_status storefront_reply(nu_arena *a, const nu_storefront_row *r,
                                  ProtobufCMessage **resp) {
  Nuage__V1__Storefront *s = NU_RPC_NEW(a, Nuage__V1__Storefront, nuage__v1__storefront__init);
  if (s == NULL) return nu_rpc_oom(a);
  s->organization_id = (char *)r->organization_id;
  s->name = (char *)r->name;
  s->description = (char *)r->description;
  s->contact_email = (char *)r->contact_email;
  s->contact_phone = (char *)r->contact_phone;
  s->website = (char *)r->website;
  s->etag = (char *)nu_rpc_etag(a, r->version);
  s->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  s->update_time = nu_rpc_timestamp(a, r->updated_us * 1000);
  if (s->etag == NULL) return nu_rpc_oom(a);
  *resp = &s->base;
  return nu_ok();
}

static const nu_audit_field storefront_fields[] = {
    NU_AUDIT_TEXT("name", nu_storefront_row, name),
    NU_AUDIT_TEXT("description", nu_storefront_row, description),
    NU_AUDIT_TEXT("contact_email", nu_storefront_row, contact_email),
    NU_AUDIT_TEXT("contact_phone", nu_storefront_row, contact_phone),
    NU_AUDIT_TEXT("website", nu_storefront_row, website),
};

/* The seller must exist and sell; its storefront may not exist yet. */
static nu_status storefront_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  nu_org_row org;
  nu_status st = seller_of(u->call, c, u->id, &org);
  if (!nu_status_is_ok(&st)) return st;
  return nu_storefront_get(c, nu_call_arena(u->call), u->id, true, row, found);
}

static nu_status storefront_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_storefront_write(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static nu_status storefront_insert(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_storefront_insert(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static const nu_update_spec storefront_update = {
    .resource = "storefront",
    .target_type = "storefront",
    NU_UPDATE_ROW(nu_storefront_row, organization_id, version),
    .fields = storefront_fields,
    .n_fields = sizeof(storefront_fields) / sizeof(storefront_fields[0]),
    .lock = storefront_lock,
    .write = storefront_write,
    .insert = storefront_insert,
    NU_UPDATE_ORG(nu_storefront_row, organization_id),
};

static nu_status storefront_apply(nu_update *u, nu_conn *c, void *arg) {
  (void)c;
  nu_storefront_row *row = arg;
  const Nuage__V1__Storefront *s = ((const Nuage__V1__UpsertStorefrontRequest *)u->req)->storefront;
  row->organization_id = u->id;
  row->name = s->name;
  row->description = s->description;
  row->contact_email = s->contact_email;
  row->contact_phone = s->contact_phone;
  row->website = s->website;
  return nu_ok();
}

static nu_status upsert_storefront(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__UpsertStorefrontRequest *req = (const void *)msg;
  nu_update u = {.call = call,
                 .spec = &storefront_update,
                 .etag = req->storefront->etag,
                 .action = "storefront.update",
                 .insert_action = "storefront.create",
                 .upsert = true,
                 .req = req,
                 .apply = storefront_apply};
  nu_status st = nu_rpc_scope_org(call, req->storefront->organization_id, &u.id);
  if (!nu_status_is_ok(&st)) return st;
  if (!nu_id_valid(u.id)) return nu_rpc_not_found(nu_call_arena(call), "organization");
  st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  return storefront_reply(nu_call_arena(call), u.result, resp);
}

typedef struct get_storefront_ctx {
  const char *org_id;
  nu_storefront_row row;
  bool found;
} get_storefront_ctx;

static nu_status get_storefront_tx(nu_conn *c, nu_arena *a, void *arg) {
  get_storefront_ctx *x = arg;
  return nu_storefront_get(c, a, x->org_id, false, &x->row, &x->found);
}

static nu_status get_storefront(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__GetStorefrontRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  get_storefront_ctx x = {.org_id = req->organization_id};
  if (!nu_id_valid(x.org_id)) return nu_rpc_not_found(a, "storefront");
  nu_status st = nu_rpc_tx(call, true, get_storefront_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  if (!x.found) return nu_rpc_not_found(a, "storefront");
  return storefront_reply(a, &x.row, resp);
}

/* ---- the rows ----------------------------------------------------------------- */

const nu_method nu_catalog_product_methods[] = {
    NU_RPC_ROW("CatalogService", "UpsertStorefront", upsert_storefront_request, storefront,
               validate_upsert_storefront, upsert_storefront),
    NU_RPC_ROW("CatalogService", "GetStorefront", get_storefront_request, storefront,
               validate_get_storefront, get_storefront),
    NU_RPC_ROW("CatalogService", "CreateProduct", create_product_request, product,
               validate_create_product, create_product),
    NU_RPC_ROW("CatalogService", "UpdateProduct", update_product_request, product,
               validate_update_product, update_product),
    NU_RPC_ROW("CatalogService", "PublishProduct", publish_product_request, product,
               validate_publish, publish_product),
    NU_RPC_ROW("CatalogService", "UnpublishProduct", unpublish_product_request, product,
               validate_unpublish, unpublish_product),
};
const size_t nu_catalog_product_methods_count =
    sizeof(nu_catalog_product_methods) / sizeof(nu_catalog_product_methods[0]);
