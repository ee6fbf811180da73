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

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain/catalog/publication.h"
#include "server/rpc/catalog/catalog_common.h"
#include "server/rpc/catalog/catalog_product.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/page_token.h"
#include "server/store/catalog/version_store.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"

#define LABEL_MAX_LEN 64
#define NOTES_MAX_LEN 10000
#define REQUEST_ID_MAX_LEN 128

static const char *nonempty(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }

static bool same(const char *x, const char *y) {
  return strcmp(x != NULL ? x : "", y != NULL ? y : "") == 0;
}

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

static const char *update_etag(const Nuage__V1__UpdateProductVersionRequest *req) {
  return nonempty(req->etag) != NULL ? req->etag : req->version->etag;
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
  bool in_version = nonempty(req->etag) == NULL && nonempty(req->version->etag) != NULL;
  nu_validate_etag(&v, in_version ? "version.etag" : "etag", update_etag(req), true);
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
  nu_page_token_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

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
  nu_audit_change ch[] = {{"label", NULL, row.label},
                          {"release_notes", NULL, nonempty(row.release_notes)}};
  st = nu_rpc_audit(x->call, c, p.seller_id, "product_version.create", "product_version", row.id,
                    ch, 2);
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

typedef struct change_ctx {
  nu_call *call;
  const void *req;
  const char *id;
  const char *etag;
  const char *action;
  apply_fn apply;
  nu_version_row result;
} change_ctx;

static nu_status change_tx(nu_conn *c, nu_arena *a, void *arg) {
  change_ctx *x = arg;
  nu_version_row before;
  bool found = false;
  nu_status st = nu_version_get(c, a, x->id, false, &before, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "product version");
  nu_product_row p;
  st = nu_catalog_product_for_change(x->call, c, before.product_id, &p);
  if (st.code == NU_NOT_FOUND) return nu_rpc_not_found(a, "product version");
  if (!nu_status_is_ok(&st)) return st;
  st = nu_version_get(c, a, x->id, true, &before, &found); /* now locked */
  if (!nu_status_is_ok(&st)) return st;
  int64_t version = 0;
  if (nonempty(x->etag) != NULL &&
      (nu_rpc_etag_parse(x->etag, &version) != 0 || version != before.version)) {
    return nu_rpc_stale_etag(a);
  }
  nu_version_row after = before;
  bool withdrawn = false;
  st = x->apply(x->call, c, x->req, &p, &after, &withdrawn);
  if (!nu_status_is_ok(&st)) return st;
  const char *fields[][3] = {{"label", before.label, after.label},
                             {"release_notes", before.release_notes, after.release_notes},
                             {"status", before.status, after.status}};
  nu_audit_change ch[3];
  size_t n = 0;
  for (size_t i = 0; i < 3; i++) {
    if (!same(fields[i][1], fields[i][2])) {
      ch[n++] = (nu_audit_change){fields[i][0], nonempty(fields[i][1]), nonempty(fields[i][2])};
    }
  }
  if (n == 0) {
    x->result = before;
    return nu_ok();
  }
  st = nu_version_write(c, a, &after, nu_rpc_now(x->call), &x->result);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_audit(x->call, c, p.seller_id, x->action, "product_version", x->id, ch, n);
  if (!nu_status_is_ok(&st)) return st;
  size_t notified = 0;
  if (withdrawn) return nu_catalog_notify_unpublished(x->call, c, &p, &notified);
  return nu_ok();
}

static nu_status change(nu_call *call, const void *req, const char *id, const char *etag,
                        const char *action, apply_fn apply, ProtobufCMessage **resp) {
  nu_arena *a = nu_call_arena(call);
  if (!nu_id_valid(id)) return nu_rpc_not_found(a, "product version");
  change_ctx x = {
      .call = call, .req = req, .id = id, .etag = etag, .action = action, .apply = apply};
  nu_status st = nu_rpc_tx(call, false, change_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  return reply(a, &x.result, resp);
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
  return change(call, req, req->version->id, update_etag(req), "product_version.update",
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
  int64_t after_us;     /* the page token's position: creation time (µs) */
  const char *after_id; /* and id of the last version shown; NULL: first page */
  int limit;            /* page size + 1: is there a next page? */
  bool found;
  nu_version_row *rows;
  size_t n;
} list_ctx;

static nu_status list_tx(nu_conn *c, nu_arena *a, void *arg) {
  list_ctx *x = arg;
  nu_product_row p;
  nu_status st = nu_product_get(c, a, x->product_id, false, &p, &x->found);
  if (!nu_status_is_ok(&st) || !x->found) return st;
  bool seller = nu_catalog_acts_for(x->p, p.seller_id);
  /* Others see a published product only, as in GetProduct, and its
   * published versions only. */
  if (!seller && nu_publication_state_parse(p.status) != NU_PUBLICATION_PUBLISHED) {
    x->found = false;
    return nu_ok();
  }
  return nu_version_list_page(c, a, p.id, !seller, x->after_us, x->after_id, x->limit, &x->rows,
                              &x->n);
}

static nu_status list_versions(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__ListProductVersionsRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  int size = nu_rpc_page_size(req->page_size);
  list_ctx x = {.p = nu_call_principal(call), .product_id = req->product_id, .limit = size + 1};
  const char *key = NULL;
  nu_status st = nu_page_token_open(call, msg, &key, &x.after_id);
  if (!nu_status_is_ok(&st)) return st;
  /* Authenticated: the key is the decimal creation time this server wrote. */
  if (key != NULL) x.after_us = strtoll(key, NULL, 10);
  st = nu_rpc_tx(call, true, list_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  if (!x.found) return nu_rpc_not_found(a, "product");
  Nuage__V1__ListProductVersionsResponse *out = NU_RPC_NEW(
      a, Nuage__V1__ListProductVersionsResponse, nuage__v1__list_product_versions_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  size_t shown = x.n > (size_t)size ? (size_t)size : x.n;
  out->product_versions = (Nuage__V1__ProductVersion **)nu_rpc_array(a, shown);
  if (shown > 0 && out->product_versions == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < shown; i++) {
    out->product_versions[i] = to_api(a, &x.rows[i]);
    if (out->product_versions[i] == NULL) return nu_rpc_oom(a);
  }
  out->n_product_versions = shown;
  if (x.n > shown) {
    const nu_version_row *last = &x.rows[shown - 1];
    const char *k = nu_arena_sprintf(a, "%" PRId64, last->created_us);
    out->next_page_token = k != NULL ? (char *)nu_page_token_seal(call, msg, k, last->id) : NULL;
    if (out->next_page_token == NULL) return nu_rpc_oom(a);
  }
  *resp = &out->base;
  return nu_ok();
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
