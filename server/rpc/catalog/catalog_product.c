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

#include "server/domain/catalog/publication.h"
#include "server/domain/organization/org_status.h"
#include "server/rpc/catalog/catalog_common.h"
#include "server/rpc/core/handler.h"
#include "server/store/catalog/storefront_store.h"
#include "server/store/catalog/subscription_store.h"
#include "server/store/organization/organization_store.h"
#include "server/validate/email.h"
#include "server/validate/enum.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"

#define NAME_MAX_LEN 200
#define DESCRIPTION_MAX_LEN 10000
#define SHORT_MAX_LEN 200
#define REGION_MAX_LEN 64
#define LIST_MAX 50
#define REQUEST_ID_MAX_LEN 128

static bool masked(const Google__Protobuf__FieldMask *m, const char *path) {
  for (size_t i = 0; m != NULL && i < m->n_paths; i++) {
    if (strcmp(m->paths[i], path) == 0) return true;
  }
  return false;
}

static bool same(const char *x, const char *y) {
  return strcmp(x != NULL ? x : "", y != NULL ? y : "") == 0;
}

static const char *nonempty(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }

/* ---- validation ------------------------------------------------------------ */

/* The fields of a product a create sets (mask NULL) or an update names. */
static void validate_product(nu_validator *v, const Nuage__V1__Product *p,
                             const Google__Protobuf__FieldMask *m) {
  bool all = m == NULL;
  if (all || masked(m, "name")) {
    nu_validate_required(v, "product.name", p->name);
    nu_validate_max_len(v, "product.name", p->name, NAME_MAX_LEN);
  }
  if (all || masked(m, "description")) {
    nu_validate_max_len(v, "product.description", p->description, DESCRIPTION_MAX_LEN);
  }
  if (all || masked(m, "category")) {
    nu_validate_max_len(v, "product.category", p->category, SHORT_MAX_LEN);
  }
  if (all || masked(m, "kind")) {
    nu_validate_enum(v, "product.kind", &nuage__v1__product_kind__descriptor, p->kind, false);
  }
  if (all || masked(m, "regions")) {
    if (p->n_regions > LIST_MAX)
      nu_validate_fail(v, "product.regions", "at most %d regions", LIST_MAX);
    for (size_t i = 0; i < p->n_regions; i++) {
      const char *field = nu_arena_sprintf(v->arena, "product.regions[%zu]", i);
      nu_validate_required(v, field, p->regions[i]);
      nu_validate_max_len(v, field, p->regions[i], REGION_MAX_LEN);
    }
  }
  if (all || masked(m, "certifications")) {
    nu_validate_enum_list(v, "product.certifications", &nuage__v1__certification__descriptor,
                          (const int *)p->certifications, p->n_certifications, LIST_MAX);
  }
  if (all || masked(m, "capabilities")) {
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

/* The etag of an update: the request's, else the one in the resource. */
static const char *update_etag(const char *req_etag, const char *resource_etag) {
  return nonempty(req_etag) != NULL ? req_etag : resource_etag;
}

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
  nu_validate_etag(
      &v, nonempty(req->etag) == NULL && nonempty(p->etag) != NULL ? "product.etag" : "etag",
      update_etag(req->etag, p->etag), true);
  if (m == NULL || m->n_paths == 0) nu_validate_fail(&v, "update_mask", "names no field");
  for (size_t i = 0; m != NULL && i < m->n_paths; i++) {
    bool known = false;
    for (size_t j = 0; j < sizeof(update_paths) / sizeof(update_paths[0]) && !known; j++) {
      known = strcmp(m->paths[i], update_paths[j]) == 0;
    }
    if (!known) {
      nu_validate_fail(&v, nu_arena_sprintf(v.arena, "update_mask.paths[%zu]", i),
                       "is not a field that can be updated");
    }
  }
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
  nu_validate_max_len(&v, "storefront.contact_phone", s->contact_phone, 40);
  nu_validate_max_len(&v, "storefront.website", s->website, SHORT_MAX_LEN);
  nu_validate_etag(&v, "etag", req->etag, false);
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
  nu_status st = nu_subscription_live_orgs(c, a, p->id, &rows, &n);
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

static nu_status diff(nu_arena *a, const nu_product_row *b, const nu_product_row *x,
                      nu_audit_change **out, size_t *n) {
  nu_audit_change *ch = nu_arena_calloc(a, 12, sizeof(*ch));
  if (ch == NULL) return nu_rpc_oom(a);
  size_t k = 0;
  const char *texts[][3] = {{"name", b->name, x->name},
                            {"description", b->description, x->description},
                            {"category", b->category, x->category},
                            {"kind", b->kind, x->kind},
                            {"status", b->status, x->status}};
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
    if (!same(texts[i][1], texts[i][2])) {
      ch[k++] = (nu_audit_change){texts[i][0], nonempty(texts[i][1]), nonempty(texts[i][2])};
    }
  }
  const struct {
    const char *field;
    const nu_text_list *before, *after;
  } lists[] = {{"regions", &b->regions, &x->regions},
               {"certifications", &b->certifications, &x->certifications},
               {"capabilities", &b->capabilities, &x->capabilities}};
  for (size_t i = 0; i < 3; i++) {
    const char *y = join(a, lists[i].before), *z = join(a, lists[i].after);
    if (y == NULL || z == NULL) return nu_rpc_oom(a);
    if (strcmp(y, z) != 0) ch[k++] = (nu_audit_change){lists[i].field, nonempty(y), nonempty(z)};
  }
  if (b->extra_eu_law != x->extra_eu_law) {
    ch[k++] = (nu_audit_change){"extra_eu_law", b->extra_eu_law ? "true" : "false",
                                x->extra_eu_law ? "true" : "false"};
  }
  *out = ch;
  *n = k;
  return nu_ok();
}

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
  if (all || masked(m, "name")) row->name = p->name;
  if (all || masked(m, "description")) row->description = p->description;
  if (all || masked(m, "category")) row->category = p->category;
  if (all || masked(m, "kind")) row->kind = nu_catalog_kind_name(p->kind);
  if (all || masked(m, "regions")) {
    row->regions = (nu_text_list){(const char **)p->regions, p->n_regions};
  }
  if (all || masked(m, "extra_eu_law")) row->extra_eu_law = p->extra_eu_law;
  if ((all || masked(m, "certifications")) &&
      list_of_enums(a, (const int *)p->certifications, p->n_certifications,
                    nu_catalog_certification_name, &row->certifications) != 0) {
    return -1;
  }
  if ((all || masked(m, "capabilities")) &&
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
  st = diff(a, &none, &row, &ch, &n);
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

/* ---- changes: lock, check the etag, apply, write, audit --------------------- */

typedef nu_status (*apply_fn)(nu_call *call, nu_conn *c, const void *req, nu_product_row *row);

typedef struct change_ctx {
  nu_call *call;
  const void *req;
  const char *id;
  const char *etag; /* NULL or "": not checked */
  const char *action;
  apply_fn apply;
  nu_product_row before;
  nu_product_row result;
} change_ctx;

static nu_status change_tx(nu_conn *c, nu_arena *a, void *arg) {
  change_ctx *x = arg;
  nu_status st = nu_catalog_product_for_change(x->call, c, x->id, &x->before);
  if (!nu_status_is_ok(&st)) return st;
  int64_t version = 0;
  if (nonempty(x->etag) != NULL &&
      (nu_rpc_etag_parse(x->etag, &version) != 0 || version != x->before.version)) {
    return nu_rpc_stale_etag(a);
  }
  nu_product_row after = x->before;
  st = x->apply(x->call, c, x->req, &after);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change *ch = NULL;
  size_t n = 0;
  st = diff(a, &x->before, &after, &ch, &n);
  if (!nu_status_is_ok(&st)) return st;
  if (n == 0) { /* nothing to write: the same row, the same etag */
    x->result = x->before;
    return nu_ok();
  }
  st = nu_product_write(c, a, &after, nu_rpc_now(x->call), &x->result);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_audit(x->call, c, x->result.seller_id, x->action, "product", x->result.id, ch, n);
}

static nu_status change(nu_call *call, const void *req, const char *id, const char *etag,
                        const char *action, apply_fn apply, ProtobufCMessage **resp) {
  change_ctx x = {
      .call = call, .req = req, .id = id, .etag = etag, .action = action, .apply = apply};
  nu_status st = nu_rpc_tx(call, false, change_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  return product_reply(nu_call_arena(call), &x.result, resp);
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
  return change(call, req, req->product->id, update_etag(req->etag, req->product->etag),
                "product.update", apply_update, resp);
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

typedef struct storefront_ctx {
  nu_call *call;
  const char *org_id;
  const Nuage__V1__UpsertStorefrontRequest *req;
  nu_storefront_row result;
} storefront_ctx;

static nu_status upsert_storefront_tx(nu_conn *c, nu_arena *a, void *arg) {
  storefront_ctx *x = arg;
  nu_org_row org;
  nu_status st = seller_of(x->call, c, x->org_id, &org);
  if (!nu_status_is_ok(&st)) return st;
  nu_storefront_row before = {0};
  bool found = false;
  st = nu_storefront_get(c, a, x->org_id, true, &before, &found);
  if (!nu_status_is_ok(&st)) return st;
  int64_t version = 0;
  const char *etag = x->req->etag;
  if (found && nonempty(etag) == NULL) {
    return nu_error(a, NU_FAILED_PRECONDITION, "ETAG_REQUIRED",
                    "the organization has a storefront: send its etag to replace it");
  }
  if (nonempty(etag) != NULL &&
      (!found || nu_rpc_etag_parse(etag, &version) != 0 || version != before.version)) {
    return nu_rpc_stale_etag(a);
  }
  const Nuage__V1__Storefront *s = x->req->storefront;
  nu_storefront_row in = {.organization_id = x->org_id,
                          .name = s->name,
                          .description = s->description,
                          .contact_email = s->contact_email,
                          .contact_phone = s->contact_phone,
                          .website = s->website};
  const char *fields[][3] = {{"name", before.name, in.name},
                             {"description", before.description, in.description},
                             {"contact_email", before.contact_email, in.contact_email},
                             {"contact_phone", before.contact_phone, in.contact_phone},
                             {"website", before.website, in.website}};
  nu_audit_change ch[5];
  size_t n = 0;
  for (size_t i = 0; i < 5; i++) {
    if (!same(fields[i][1], fields[i][2])) {
      ch[n++] = (nu_audit_change){fields[i][0], nonempty(fields[i][1]), nonempty(fields[i][2])};
    }
  }
  if (found && n == 0) {
    x->result = before;
    return nu_ok();
  }
  int64_t now = nu_rpc_now(x->call);
  st = found ? nu_storefront_write(c, a, &in, now, &x->result)
             : nu_storefront_insert(c, a, &in, now, &x->result);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_audit(x->call, c, x->org_id, found ? "storefront.update" : "storefront.create",
                      "storefront", x->org_id, ch, n);
}

static nu_status upsert_storefront(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__UpsertStorefrontRequest *req = (const void *)msg;
  storefront_ctx x = {.call = call, .req = req};
  nu_status st = nu_rpc_scope_org(call, req->storefront->organization_id, &x.org_id);
  if (!nu_status_is_ok(&st)) return st;
  if (!nu_id_valid(x.org_id)) return nu_rpc_not_found(nu_call_arena(call), "organization");
  st = nu_rpc_tx(call, false, upsert_storefront_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  return storefront_reply(nu_call_arena(call), &x.result, resp);
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
