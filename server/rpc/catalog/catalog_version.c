/*
 * catalog_version.c — CatalogService: versions of a product.
 *
 * A version belongs to its product, so every change locks the product
 * first (nu_catalog_product_for_change: NOT_FOUND for another seller's),
 * then the version: always in that order, so two changes of one product
 * never deadlock. Unpublishing the last published version notifies the
 * subscribed organisations as unpublishing the product does.
 */
#include "server/rpc/catalog/catalog_version.h"

#include <string.h>

#include "server/domain/catalog/policy.h"
#include "server/domain/catalog/publication.h"
#include "server/rpc/catalog/catalog_common.h"
#include "server/rpc/catalog/catalog_product.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/core/update.h"
#include "server/store/catalog/version_store.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"

/* The context's limits: domain/catalog/policy.h. */
#define LABEL_MAX_LEN NU_VERSION_LABEL_MAX_LEN
#define NOTES_MAX_LEN NU_VERSION_NOTES_MAX_LEN
#define REQUEST_ID_MAX_LEN 128

static Nuage__V1__ProductVersion *to_api(nu_arena *a, const nu_version_row *r) {
  Nuage__V1__ProductVersion *v =
      NU_RPC_NEW(a, Nuage__V1__ProductVersion, nuage__v1__product_version__init);
  if (v == NULL) return NULL;
  v->id = (char *)r->id;
  v->product_id = (char *)r->product_id;
  v->label = (char *)r->label;
  v->release_notes = (char *)r->release_notes;
  v->state = (Nuage__V1__ProductVersion__State)nu_catalog_state_parse(r->status);
  v->etag = (char *)nu_rpc_etag(a, r->version);
  v->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  v->publish_time = nu_rpc_timestamp(a, r->published_us * 1000);
  return v->etag != NULL ? v : NULL;
}

static nu_status reply(nu_arena *a, const nu_version_row *r, ProtobufCMessage **resp) {
  Nuage__V1__ProductVersion *v = to_api(a, r);
  if (v == NULL) return nu_rpc_oom(a);
  *resp = &v->base;
  return nu_ok();
}

/* ---- validation ------------------------------------------------------------ */

static void validate_fields(nu_validator *v, const Nuage__V1__ProductVersion *x) {
  nu_validate_required(v, "version.label", x->label);
  nu_validate_max_len(v, "version.label", x->label, LABEL_MAX_LEN);
  nu_validate_max_len(v, "version.release_notes", x->release_notes, NOTES_MAX_LEN);
}

static nu_status validate_create(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreateProductVersionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->version == NULL) {
    nu_validate_fail(&v, "version", "is required");
  } else {
    nu_validate_required(&v, "version.product_id", req->version->product_id);
    validate_fields(&v, req->version);
  }
  nu_validate_max_len(&v, "request_id", req->request_id, REQUEST_ID_MAX_LEN);
  return nu_validator_result(&v);
}

static nu_status validate_update(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdateProductVersionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->version == NULL) {
    nu_validate_fail(&v, "version", "is required");
    return nu_validator_result(&v);
  }
  nu_validate_required(&v, "version.id", req->version->id);
  validate_fields(&v, req->version);
  nu_validate_etag(&v, "version.etag", req->version->etag, true);
  return nu_validator_result(&v);
}

static nu_status validate_publish(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__PublishProductVersionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "product_version_id", req->product_version_id);
  nu_validate_etag(&v, "etag", req->etag, false);
  return nu_validator_result(&v);
}

static nu_status validate_unpublish(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UnpublishProductVersionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "product_version_id", req->product_version_id);
  nu_validate_etag(&v, "etag", req->etag, false);
  return nu_validator_result(&v);
}

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListProductVersionsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "product_id", req->product_id);
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

/* What the audit log compares. */
static const nu_audit_field audit_fields[] = {
    NU_AUDIT_TEXT("label", nu_version_row, label),
    NU_AUDIT_TEXT("release_notes", nu_version_row, release_notes),
    NU_AUDIT_TEXT("status", nu_version_row, status),
};

/* ---- CreateProductVersion ---------------------------------------------------- */

typedef struct create_ctx {
  nu_call *call;
  const Nuage__V1__ProductVersion *in;
} create_ctx;

static nu_status create_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  create_ctx *x = arg;
  nu_product_row p;
  nu_status st = nu_catalog_product_for_change(x->call, c, x->in->product_id, &p);
  if (!nu_status_is_ok(&st)) return st;
  nu_version_row in = {
      .product_id = p.id, .label = x->in->label, .release_notes = x->in->release_notes};
  nu_version_row row;
  st = nu_version_insert(c, a, &in, nu_rpc_now(x->call), &row);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change *ch = NULL;
  size_t n = 0;
  st = nu_audit_diff(a, NU_AUDIT_FIELDS(audit_fields), NULL, &row, &ch, &n);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_audit(x->call, c, p.seller_id, "product_version.create", "product_version", row.id,
                    ch, n);
  if (!nu_status_is_ok(&st)) return st;
  return reply(a, &row, resp);
}

static nu_status create_version(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__CreateProductVersionRequest *req = (const void *)msg;
  create_ctx x = {.call = call, .in = req->version};
  return nu_rpc_create_tx(call, req->request_id, msg, create_tx, &x, resp);
}

/* ---- changes ------------------------------------------------------------------ */

/* *withdrawn: the change leaves the product without a published version,
 * subscribers are told it is withdrawn. */
typedef nu_status (*apply_fn)(nu_call *call, nu_conn *c, const void *req, const nu_product_row *p,
                              nu_version_row *row, bool *withdrawn);

/* The handler's state of one change: how to apply it, the product (locked
 * first), whether the product is withdrawn for its subscribers. */
typedef struct version_change {
  apply_fn apply;
  nu_product_row product;
  bool withdrawn;
} version_change;

/* Version, then its product locked, then the version locked: the lock
 * order of every version change. A version of a product the caller does
 * not sell is absent. */
static nu_status version_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  nu_arena *a = nu_call_arena(u->call);
  version_change *x = u->ctx;
  nu_version_row *before = row;
  nu_status st = nu_version_get(c, a, u->id, false, before, found);
  if (!nu_status_is_ok(&st) || !*found) return st;
  st = nu_catalog_product_for_change(u->call, c, before->product_id, &x->product);
  if (st.code == NU_NOT_FOUND) {
    *found = false;
    return nu_ok();
  }
  if (!nu_status_is_ok(&st)) return st;
  return nu_version_get(c, a, u->id, true, before, found);
}

static const char *version_seller(nu_update *u, const void *row) {
  (void)row;
  return ((const version_change *)u->ctx)->product.seller_id;
}

static nu_status version_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_version_write(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static const nu_update_spec version_update = {
    .resource = "product version",
    .target_type = "product_version",
    NU_UPDATE_ROW(nu_version_row, id, version),
    .fields = audit_fields,
    .n_fields = sizeof(audit_fields) / sizeof(audit_fields[0]),
    .lock = version_lock,
    .write = version_write,
    .organization = version_seller,
};

static nu_status version_apply(nu_update *u, nu_conn *c, void *row) {
  version_change *x = u->ctx;
  return x->apply(u->call, c, u->req, &x->product, row, &x->withdrawn);
}

static nu_status version_after_write(nu_update *u, nu_conn *c, const void *result) {
  (void)result;
  version_change *x = u->ctx;
  size_t notified = 0;
  if (x->withdrawn) return nu_catalog_notify_unpublished(u->call, c, &x->product, &notified);
  return nu_ok();
}

static nu_status change(nu_call *call, const void *req, const char *id, const char *etag,
                        const char *action, apply_fn apply, ProtobufCMessage **resp) {
  nu_arena *a = nu_call_arena(call);
  if (!nu_id_valid(id)) return nu_rpc_not_found(a, "product version");
  version_change x = {.apply = apply};
  nu_update u = {.call = call,
                 .spec = &version_update,
                 .id = id,
                 .etag = etag,
                 .action = action,
                 .req = req,
                 .ctx = &x,
                 .apply = version_apply,
                 .after_write = version_after_write};
  nu_status st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  return reply(a, u.result, resp);
}

static nu_status apply_update(nu_call *call, nu_conn *c, const void *arg, const nu_product_row *p,
                              nu_version_row *row, bool *withdrawn) {
  const Nuage__V1__UpdateProductVersionRequest *req = arg;
  (void)call, (void)c, (void)p, (void)withdrawn;
  row->label = req->version->label;
  row->release_notes = req->version->release_notes;
  return nu_ok();
}

static nu_status update_version(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__UpdateProductVersionRequest *req = (const void *)msg;
  return change(call, req, req->version->id, req->version->etag, "product_version.update",
                apply_update, resp);
}

/* Moves row along ev (nu_publication_next); *t says what goes with it. */
static nu_status version_next(nu_call *call, const nu_version_row *row, nu_publication_event ev,
                              const nu_publication_facts *f, nu_publication_transition *t) {
  nu_refusal why;
  if (nu_publication_next(NU_PUBLICATION_VERSION, nu_publication_state_parse(row->status), ev, f, t,
                          &why) != 0) {
    return nu_error(nu_call_arena(call), NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  return nu_ok();
}

static nu_status apply_publish(nu_call *call, nu_conn *c, const void *arg, const nu_product_row *p,
                               nu_version_row *row, bool *withdrawn) {
  (void)c, (void)arg, (void)p, (void)withdrawn;
  nu_publication_transition t;
  nu_status st = version_next(call, row, NU_PUBLICATION_EVENT_PUBLISH, NULL, &t);
  if (!nu_status_is_ok(&st) || !t.changed) return st; /* already: nothing changes */
  row->status = nu_publication_state_name(t.to);
  row->published_us = nu_rpc_now(call) / 1000;
  return nu_ok();
}

static nu_status publish_version(nu_call *call, const ProtobufCMessage *msg,
                                 ProtobufCMessage **resp) {
  const Nuage__V1__PublishProductVersionRequest *req = (const void *)msg;
  return change(call, req, req->product_version_id, req->etag, "product_version.publish",
                apply_publish, resp);
}

/* The product is withdrawn for its subscribers when its last published
 * version goes (the product row is locked: publications do not race). */
static nu_status apply_unpublish(nu_call *call, nu_conn *c, const void *arg,
                                 const nu_product_row *p, nu_version_row *row, bool *withdrawn) {
  (void)arg;
  nu_publication_facts f = {0};
  if (nu_publication_state_parse(row->status) == NU_PUBLICATION_PUBLISHED) {
    int64_t published = 0; /* this version among them */
    nu_status st = nu_version_count_published(c, nu_call_arena(call), p->id, &published);
    if (!nu_status_is_ok(&st)) return st;
    f.published_versions_left = (int)(published - 1);
  }
  nu_publication_transition t;
  nu_status st = version_next(call, row, NU_PUBLICATION_EVENT_UNPUBLISH, &f, &t);
  if (!nu_status_is_ok(&st)) return st;
  row->status = nu_publication_state_name(t.to);
  *withdrawn = t.notify_withdrawn;
  return nu_ok();
}

static nu_status unpublish_version(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__UnpublishProductVersionRequest *req = (const void *)msg;
  return change(call, req, req->product_version_id, req->etag, "product_version.unpublish",
                apply_unpublish, resp);
}

/* ---- ListProductVersions (public) ------------------------------------------------ */

typedef struct list_ctx {
  const nu_principal *p;
  const char *product_id;
} list_ctx;

static nu_status fetch_versions(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                                const void **rows, size_t *n) {
  list_ctx *x = ctx;
  nu_product_row p;
  bool found = false;
  nu_status st = nu_product_get(c, a, x->product_id, false, &p, &found);
  if (!nu_status_is_ok(&st)) return st;
  bool seller = found && nu_catalog_acts_for(x->p, p.seller_id);
  /* Others see a published product only, as in GetProduct, and its
   * published versions only. */
  if (!found || (!seller && nu_publication_state_parse(p.status) != NU_PUBLICATION_PUBLISHED)) {
    return nu_rpc_not_found(a, "product");
  }
  nu_version_row *versions = NULL;
  st = nu_version_list_page(c, a, p.id, !seller, page->after_int64, page->after_id, page->limit,
                            &versions, n);
  *rows = versions;
  return st;
}

static ProtobufCMessage *version_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__ProductVersion *v = to_api(a, row);
  return v != NULL ? &v->base : NULL;
}

static const nu_list_spec kVersionList = {
    .row_size = sizeof(nu_version_row),
    NU_LIST_KEY_INT64(nu_version_row, created_us),
    NU_LIST_ID(nu_version_row, id),
    .fetch = fetch_versions,
    .to_api = version_api,
};

static nu_status list_versions(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__ListProductVersionsRequest *req = (const void *)msg;
  list_ctx x = {.p = nu_call_principal(call), .product_id = req->product_id};
  return nu_list_run(call, msg, req->page_size, &kVersionList, &x, resp);
}

/* ---- the rows ----------------------------------------------------------------- */

const nu_method nu_catalog_version_methods[] = {
    NU_RPC_ROW("CatalogService", "CreateProductVersion", create_product_version_request,
               product_version, validate_create, create_version),
    NU_RPC_ROW("CatalogService", "UpdateProductVersion", update_product_version_request,
               product_version, validate_update, update_version),
    NU_RPC_ROW("CatalogService", "PublishProductVersion", publish_product_version_request,
               product_version, validate_publish, publish_version),
    NU_RPC_ROW("CatalogService", "UnpublishProductVersion", unpublish_product_version_request,
               product_version, validate_unpublish, unpublish_version),
    NU_RPC_ROW("CatalogService", "ListProductVersions", list_product_versions_request,
               list_product_versions_response, validate_list, list_versions),
};
const size_t nu_catalog_version_methods_count =
    sizeof(nu_catalog_version_methods) / sizeof(nu_catalog_version_methods[0]);
