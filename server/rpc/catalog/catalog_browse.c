/*
 * catalog_browse.c — ListProducts and GetProduct.
 *
 * Both are public. What a caller sees: published products, plus — for a
 * caller acting for the seller with at least visitor on its storefront
 * section — that seller's drafts and unpublished products (ListProducts
 * only when include_unpublished asks for them); the platform operator sees
 * everything. Anybody else asking for a draft gets the NOT_FOUND of a
 * product that does not exist.
 *
 * Page tokens carry the sort key and id of the last row (keyset, see
 * store/catalog/product_search_store.h); page_token.h binds them to the request's
 * filters and sort: a token replayed with other filters is refused instead
 * of silently skipping rows.
 */
#include "server/rpc/catalog/catalog_browse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "nuage/v1/catalog.pb-c.h"
#include "server/domain/catalog/publication.h"
#include "server/rpc/catalog/catalog_common.h"
#include "server/rpc/catalog/catalog_pricing.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/store/catalog/plan_store.h"
#include "server/store/catalog/product_search_store.h"
#include "server/store/catalog/product_store.h"
#include "server/validate/enum.h"
#include "server/validate/ids.h"

#define QUERY_MAX_LEN 500
#define REGION_MAX_LEN 100
#define LIST_MAX_ITEMS 50
#define CODE_MAX_LEN 64

/* ---- who sees drafts ------------------------------------------------------- */

/* Whether the caller may see org_id's drafts and unpublished products. */
static bool sees_unpublished_of(const nu_principal *p, const char *org_id) {
  if (p->platform_operator) return true;
  return nu_catalog_acts_for(p, org_id) && p->levels[NU_SECTION_STOREFRONT] >= NU_LEVEL_VISITOR;
}

/* ---- page tokens ----------------------------------------------------------- */

/* The token's key (page_token.h binds it to the filters and sort): "=" and
 * the sort key, or "-" when the sort key was SQL NULL (an unpriced
 * product). */
static const char *token_key(nu_arena *a, const char *key) {
  return nu_arena_sprintf(a, "%s%s", key != NULL ? "=" : "-", key != NULL ? key : "");
}

/* Reads a token's key back; -1 when it is not one token_key wrote. *key is
 * NULL for an SQL NULL sort key. */
static int token_key_parse(const char *tk, const char **key) {
  if (tk == NULL) return -1;
  if (tk[0] == '-' && tk[1] == '\0') {
    *key = NULL;
    return 0;
  }
  if (tk[0] != '=') return -1;
  *key = tk + 1;
  return 0;
}

/* ---- validation ----------------------------------------------------------- */

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListProductsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_max_len(&v, "query", req->query, QUERY_MAX_LEN);
  nu_validate_enum_list(&v, "kinds", &nuage__v1__product_kind__descriptor, (const int *)req->kinds,
                        req->n_kinds, LIST_MAX_ITEMS);
  nu_validate_enum_list(&v, "certifications", &nuage__v1__certification__descriptor,
                        (const int *)req->certifications, req->n_certifications, LIST_MAX_ITEMS);
  nu_validate_enum_list(&v, "pricing_models", &nuage__v1__pricing_model__descriptor,
                        (const int *)req->pricing_models, req->n_pricing_models, LIST_MAX_ITEMS);
  nu_validate_enum_list(&v, "capabilities", &nuage__v1__capability__descriptor,
                        (const int *)req->capabilities, req->n_capabilities, LIST_MAX_ITEMS);
  if (req->n_regions > LIST_MAX_ITEMS)
    nu_validate_fail(&v, "regions", "at most %d values", LIST_MAX_ITEMS);
  for (size_t i = 0; i < req->n_regions && i < LIST_MAX_ITEMS; i++) {
    const char *field = nu_arena_sprintf(v.arena, "regions[%zu]", i);
    nu_validate_required(&v, field, req->regions[i]);
    nu_validate_max_len(&v, field, req->regions[i], REGION_MAX_LEN);
  }
  nu_validate_id(&v, "seller_id", req->seller_id, "an organization id", false);
  nu_validate_enum(&v, "sort", &nuage__v1__product_sort__descriptor, req->sort, true);
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status validate_get(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetProductRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  bool has_id = req->product_id != NULL && req->product_id[0] != '\0';
  bool has_code = req->code != NULL && req->code[0] != '\0';
  if (has_id == has_code) {
    nu_validate_fail(&v, has_id ? "code" : "product_id",
                     "exactly one of product_id and code is required");
  }
  nu_validate_max_len(&v, "code", req->code, CODE_MAX_LEN);
  return nu_validator_result(&v);
}

/* ---- ListProducts ------------------------------------------------------------ */

static nu_product_sort sort_of(Nuage__V1__ProductSort s) {
  switch (s) {
    case NUAGE__V1__PRODUCT_SORT__PRODUCT_SORT_NAME: return NU_PRODUCT_SORT_NAME;
    case NUAGE__V1__PRODUCT_SORT__PRODUCT_SORT_PRICE: return NU_PRODUCT_SORT_PRICE;
    case NUAGE__V1__PRODUCT_SORT__PRODUCT_SORT_NEWEST: return NU_PRODUCT_SORT_NEWEST;
    default: /* relevance when searching, else name (the store decides) */
      return NU_PRODUCT_SORT_RELEVANCE;
  }
}

/* The database texts of n API enum values (validated before). */
static int texts_of(nu_arena *a, const int *values, size_t n, const char *(*name_of)(int),
                    nu_text_list *out) {
  out->n = n;
  out->items = n > 0 ? nu_arena_calloc(a, n, sizeof(*out->items)) : NULL;
  if (n > 0 && out->items == NULL) return -1;
  for (size_t i = 0; i < n; i++) out->items[i] = name_of(values[i]);
  return 0;
}

static nu_status fetch_products(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                                const void **rows, size_t *n) {
  nu_product_search *s = ctx;
  nu_product_hit *hits = NULL;
  s->limit = page->limit;
  nu_status st = nu_product_search_run(c, a, s, &hits, n);
  *rows = hits;
  return st;
}

/* A token's position: the sort key as token_key wrote it, a product id. */
static int seek_product(void *ctx, const char *key, const char *id) {
  nu_product_search *s = ctx;
  if (token_key_parse(key, &s->after_key) != 0 || !nu_id_valid(id)) return -1;
  s->after_id = id;
  return 0;
}

static int product_position(nu_arena *a, const void *row, const char **key, const char **id) {
  const nu_product_hit *hit = row;
  *key = token_key(a, hit->sort_key);
  *id = hit->row.id;
  return *key != NULL ? 0 : -1;
}

static ProtobufCMessage *product_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__Product *p = NULL;
  nu_status st = nu_catalog_product_to_api(a, &((const nu_product_hit *)row)->row, &p);
  return nu_status_is_ok(&st) ? &p->base : NULL;
}

static const nu_list_spec kProductList = {
    .row_size = sizeof(nu_product_hit),
    .seek = seek_product,
    .fetch = fetch_products,
    .position_of = product_position,
    .to_api = product_api,
};

/* The search a request asks for, as the caller may run it. */
static nu_status search_of(nu_call *call, const Nuage__V1__ListProductsRequest *req,
                           nu_product_search *s) {
  nu_arena *a = nu_call_arena(call);
  const nu_principal *p = nu_call_principal(call);
  s->query = req->query;
  s->seller_id = req->seller_id != NULL && req->seller_id[0] != '\0' ? req->seller_id : NULL;
  s->exclude_extra_eu_law = req->exclude_extra_eu_law;
  if (texts_of(a, (const int *)req->kinds, req->n_kinds, nu_catalog_kind_name, &s->kinds) != 0 ||
      texts_of(a, (const int *)req->certifications, req->n_certifications,
               nu_catalog_certification_name, &s->certifications) != 0 ||
      texts_of(a, (const int *)req->pricing_models, req->n_pricing_models,
               nu_catalog_pricing_model_name, &s->pricing_models) != 0 ||
      texts_of(a, (const int *)req->capabilities, req->n_capabilities, nu_catalog_capability_name,
               &s->capabilities) != 0) {
    return nu_rpc_oom(a);
  }
  s->regions.items = (const char **)req->regions;
  s->regions.n = req->n_regions;
  /* include_unpublished from anyone else is no error: they just see what
   * everybody sees. */
  s->visibility = NU_PRODUCT_PUBLISHED;
  if (req->include_unpublished && p->platform_operator) {
    s->visibility = NU_PRODUCT_ALL;
  } else if (req->include_unpublished && sees_unpublished_of(p, p->organization_id)) {
    s->visibility = NU_PRODUCT_OWNER;
    s->owner_id = p->organization_id;
  }
  s->sort = sort_of(req->sort);
  s->sort = nu_product_search_effective_sort(s);
  return nu_ok();
}

static nu_status list_products(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__ListProductsRequest *req = (const void *)msg;
  nu_product_search s = {0};
  nu_status st = search_of(call, req, &s);
  if (!nu_status_is_ok(&st)) return st;
  return nu_list_run(call, msg, req->page_size, &kProductList, &s, resp);
}

/* ---- GetProduct ------------------------------------------------------------------ */

typedef struct get_ctx {
  const nu_principal *caller;
  const char *id_or_code;
  nu_product_row row;
  bool found; /* and visible to the caller */
  nu_plan_row *plans;
  size_t n_plans;
} get_ctx;

static nu_status get_tx(nu_conn *c, nu_arena *a, void *arg) {
  get_ctx *x = arg;
  nu_status st = nu_product_get(c, a, x->id_or_code, false, &x->row, &x->found);
  if (!nu_status_is_ok(&st) || !x->found) return st;
  bool own = sees_unpublished_of(x->caller, x->row.seller_id);
  if (nu_publication_state_parse(x->row.status) != NU_PUBLICATION_PUBLISHED && !own) {
    x->found = false;
    return nu_ok();
  }
  /* Inactive plans are history: their seller sees them, buyers do not. */
  return nu_plan_list(c, a, x->row.id, !own, &x->plans, &x->n_plans);
}

static nu_status get_product(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__GetProductRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  bool by_id = req->product_id != NULL && req->product_id[0] != '\0';
  get_ctx x = {.caller = nu_call_principal(call),
               .id_or_code = by_id ? req->product_id : req->code};
  /* The store tells ids from codes by their shape: an id field holding a
   * code (or a code field holding a uuid) names no product. */
  if (nu_id_valid(x.id_or_code) != by_id) return nu_rpc_not_found(a, "product");
  nu_status st = nu_rpc_tx(call, true, get_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  if (!x.found) return nu_rpc_not_found(a, "product");
  Nuage__V1__Product *out = NULL;
  st = nu_catalog_product_to_api(a, &x.row, &out);
  if (!nu_status_is_ok(&st)) return st;
  out->pricing_plans = (Nuage__V1__PricingPlan **)nu_rpc_array(a, x.n_plans);
  if (x.n_plans > 0 && out->pricing_plans == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < x.n_plans; i++) {
    out->pricing_plans[i] = nu_catalog_plan_to_api(a, &x.plans[i]);
    if (out->pricing_plans[i] == NULL) return nu_rpc_oom(a);
  }
  out->n_pricing_plans = x.n_plans;
  *resp = &out->base;
  return nu_ok();
}

/* ---- the rows ---------------------------------------------------------------------- */

const nu_method nu_catalog_browse_methods[] = {
    NU_RPC_ROW("CatalogService", "ListProducts", list_products_request, list_products_response,
               validate_list, list_products),
    NU_RPC_ROW("CatalogService", "GetProduct", get_product_request, product, validate_get,
               get_product),
};
const size_t nu_catalog_browse_methods_count =
    sizeof(nu_catalog_browse_methods) / sizeof(nu_catalog_browse_methods[0]);
