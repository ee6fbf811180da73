/*
 * catalog_pricing.c — CatalogService: pricing plans and EstimatePrice.
 *
 * A plan change locks its product first (FOR UPDATE), then the plan: two
 * changes of one product's plans run one after the other, so the product's
 * plan summary (store/catalog/plan_store.h) always reflects every plan. An amount
 * travels as Money; the stored plan has one currency, EUR for now.
 */
#include "server/rpc/catalog/catalog_pricing.h"

#include <inttypes.h>
#include <string.h>

#include "server/domain/catalog/policy.h"
#include "server/domain/catalog/publication.h"
#include "server/domain/money/estimate.h"
#include "server/domain/money/money.h"
#include "server/domain/money/plan.h"
#include "server/rpc/catalog/catalog_common.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/core/update.h"
#include "server/store/catalog/product_store.h"
#include "server/validate/etag.h"

#define NAME_MAX_LEN NU_CATALOG_NAME_MAX_LEN /* domain/catalog/policy.h */
#define REQUEST_ID_MAX_LEN 128

/* ---- between the store and the API --------------------------------------- */

static Nuage__V1__Money *money(nu_arena *a, bool has, int64_t cents, const char *currency,
                               bool *oom) {
  if (!has) return NULL;
  Nuage__V1__Money *m = NU_RPC_NEW(a, Nuage__V1__Money, nuage__v1__money__init);
  if (m == NULL) {
    *oom = true;
    return NULL;
  }
  m->amount_cents = cents;
  m->currency = (char *)currency;
  return m;
}

Nuage__V1__PricingPlan *nu_catalog_plan_to_api(nu_arena *a, const nu_plan_row *r) {
  Nuage__V1__PricingPlan *p = NU_RPC_NEW(a, Nuage__V1__PricingPlan, nuage__v1__pricing_plan__init);
  if (p == NULL) return NULL;
  bool oom = false;
  p->id = (char *)r->id;
  p->product_id = (char *)r->product_id;
  p->name = (char *)r->name;
  p->model = (Nuage__V1__PricingModel)nu_pricing_model_parse(r->model);
  p->hourly_price = money(a, r->has_hourly, r->hourly_cents, r->currency, &oom);
  p->monthly_price = money(a, r->has_monthly, r->monthly_cents, r->currency, &oom);
  p->commitment_months = r->commitment_months;
  p->upfront = money(a, r->has_upfront, r->upfront_cents, r->currency, &oom);
  p->vat_rate_bp = r->vat_rate_bp;
  p->active = r->active;
  p->etag = (char *)nu_rpc_etag(a, r->version);
  return oom || p->etag == NULL ? NULL : p;
}

/* A zero upfront is no upfront: stored as NULL, so an estimate has no
 * empty line for it. */
static void set_upfront(nu_plan_row *r, const Nuage__V1__Money *m) {
  r->has_upfront = m != NULL && m->amount_cents != 0;
  r->upfront_cents = r->has_upfront ? m->amount_cents : 0;
}

/* ---- validation ------------------------------------------------------------ */

static void validate_money(nu_validator *v, const char *field, const Nuage__V1__Money *m) {
  if (m == NULL) return;
  if (m->currency == NULL || m->currency[0] == '\0') {
    nu_validate_fail(v, nu_arena_sprintf(v->arena, "%s.currency", field), "is required");
  } else if (!nu_money_currency_accepted(m->currency)) {
    nu_validate_fail(v, nu_arena_sprintf(v->arena, "%s.currency", field), "must be %s",
                     NU_MONEY_CURRENCY);
  }
}

static void validate_amounts(nu_validator *v, const Nuage__V1__PricingPlan *p) {
  validate_money(v, "plan.hourly_price", p->hourly_price);
  validate_money(v, "plan.monthly_price", p->monthly_price);
  validate_money(v, "plan.upfront", p->upfront);
}

/* The plan's model rules as field violations on "plan.<field>". */
static void check_terms(nu_validator *v, const nu_plan_terms *t) {
  nu_plan_problem problems[NU_PLAN_MAX_PROBLEMS];
  size_t n = nu_plan_check(t, problems, NU_PLAN_MAX_PROBLEMS);
  for (size_t i = 0; i < n && i < NU_PLAN_MAX_PROBLEMS; i++) {
    nu_validate_fail(v, nu_arena_sprintf(v->arena, "plan.%s", problems[i].field), "%s",
                     problems[i].message);
  }
}

static void validate_name(nu_validator *v, const char *name) {
  nu_validate_required(v, "plan.name", name);
  nu_validate_max_len(v, "plan.name", name, NAME_MAX_LEN);
}

/* The row a create request describes (borrowing the request's strings).
 * vat_rate_bp 0 on create means the default rate (proto3 cannot tell an
 * unset field from 0); UpdatePricingPlan can set 0 explicitly. */
static nu_plan_row row_of_create(const Nuage__V1__PricingPlan *p) {
  nu_plan_row r = {
      .product_id = p->product_id,
      .name = p->name,
      .model = nu_pricing_model_name((nu_pricing_model)p->model),
      .currency = NU_MONEY_CURRENCY,
      .has_hourly = p->hourly_price != NULL,
      .hourly_cents = p->hourly_price != NULL ? p->hourly_price->amount_cents : 0,
      .has_monthly = p->monthly_price != NULL,
      .monthly_cents = p->monthly_price != NULL ? p->monthly_price->amount_cents : 0,
      .commitment_months = p->commitment_months,
      .vat_rate_bp = p->vat_rate_bp != 0 ? p->vat_rate_bp : NU_VAT_RATE_DEFAULT_BP,
      .active = true,
  };
  set_upfront(&r, p->upfront);
  return r;
}

static nu_status validate_create(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreatePricingPlanRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const Nuage__V1__PricingPlan *p = req->plan;
  if (p == NULL) {
    nu_validate_fail(&v, "plan", "is required");
  } else {
    nu_validate_required(&v, "plan.product_id", p->product_id);
    validate_name(&v, p->name);
    validate_amounts(&v, p);
    nu_plan_row r = row_of_create(p);
    nu_plan_terms t = nu_plan_row_terms(&r);
    t.model = (nu_pricing_model)p->model;
    /* A zero upfront is dropped, but a negative one is reported. */
    t.has_upfront = p->upfront != NULL;
    t.upfront_cents = p->upfront != NULL ? p->upfront->amount_cents : 0;
    check_terms(&v, &t);
  }
  nu_validate_max_len(&v, "request_id", req->request_id, REQUEST_ID_MAX_LEN);
  return nu_validator_result(&v);
}

static const char *const update_paths[] = {
    "name",    "hourly_price", "monthly_price", "commitment_months",
    "upfront", "vat_rate_bp",  "active"};

static nu_status validate_update(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__UpdatePricingPlanRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const Nuage__V1__PricingPlan *p = req->plan;
  const Google__Protobuf__FieldMask *m = req->update_mask;
  if (p == NULL) {
    nu_validate_fail(&v, "plan", "is required");
    return nu_validator_result(&v);
  }
  nu_validate_required(&v, "plan.id", p->id);
  nu_validate_etag(&v, "plan.etag", p->etag, true);
  nu_update_validate_mask(&v, m, update_paths, sizeof(update_paths) / sizeof(update_paths[0]));
  if (nu_update_masked(m, "name")) validate_name(&v, p->name);
  validate_amounts(&v, p);
  return nu_validator_result(&v);
}

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListPricingPlansRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "product_id", req->product_id);
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status validate_estimate(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__EstimatePriceRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "product_id", req->product_id);
  nu_validate_required(&v, "plan_id", req->plan_id);
  if (req->quantity < 1) nu_validate_fail(&v, "quantity", "must be at least 1");
  if (req->hours < 0) nu_validate_fail(&v, "hours", "must not be negative");
  if (req->months < 0) nu_validate_fail(&v, "months", "must not be negative");
  return nu_validator_result(&v);
}

/* ---- what changed, for the audit log ---------------------------------------- */

static int amount_text(nu_arena *a, bool has, int64_t cents, const char **out) {
  *out = has ? nu_arena_sprintf(a, "%" PRId64, cents) : NULL;
  return has && *out == NULL ? -1 : 0;
}

static int hourly_text(nu_arena *a, const void *row, const char **out) {
  const nu_plan_row *r = row;
  return amount_text(a, r->has_hourly, r->hourly_cents, out);
}

static int monthly_text(nu_arena *a, const void *row, const char **out) {
  const nu_plan_row *r = row;
  return amount_text(a, r->has_monthly, r->monthly_cents, out);
}

static int commitment_text(nu_arena *a, const void *row, const char **out) {
  const nu_plan_row *r = row;
  return amount_text(a, r->commitment_months != 0, r->commitment_months, out);
}

static int upfront_text(nu_arena *a, const void *row, const char **out) {
  const nu_plan_row *r = row;
  return amount_text(a, r->has_upfront, r->upfront_cents, out);
}

static const nu_audit_field audit_fields[] = {
    NU_AUDIT_TEXT("name", nu_plan_row, name),
    NU_AUDIT_TEXT("model", nu_plan_row, model),
    NU_AUDIT_FORMAT("hourly_price_cents", hourly_text),
    NU_AUDIT_FORMAT("monthly_price_cents", monthly_text),
    NU_AUDIT_FORMAT("commitment_months", commitment_text),
    NU_AUDIT_FORMAT("upfront_cents", upfront_text),
    NU_AUDIT_INT32("vat_rate_bp", nu_plan_row, vat_rate_bp),
    NU_AUDIT_BOOL("active", nu_plan_row, active),
    NU_AUDIT_TEXT("currency", nu_plan_row, currency),
};

/* ---- the product a request names ------------------------------------------- */

/* The product of id, as the caller may see it: for a change, only the
 * seller's storefront managers (the row checked the level); for reading,
 * anyone when published. NOT_FOUND alike for absent and hidden. */
static nu_status visible_product(nu_call *call, nu_conn *c, const char *id, bool for_change,
                                 nu_product_row *out) {
  nu_arena *a = nu_call_arena(call);
  bool found = false;
  nu_status st = nu_product_get(c, a, id, for_change, out, &found);
  if (!nu_status_is_ok(&st)) return st;
  const nu_principal *p = nu_call_principal(call);
  bool own = found && nu_catalog_acts_for(p, out->seller_id);
  bool published = found && nu_publication_state_parse(out->status) == NU_PUBLICATION_PUBLISHED;
  if (!own && (for_change || !published)) return nu_rpc_not_found(a, "product");
  return nu_ok();
}

/* ---- CreatePricingPlan -------------------------------------------------------- */

typedef struct create_ctx {
  nu_call *call;
  const Nuage__V1__PricingPlan *in;
} create_ctx;

static nu_status create_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  create_ctx *x = arg;
  nu_product_row product;
  nu_status st = visible_product(x->call, c, x->in->product_id, true, &product);
  if (!nu_status_is_ok(&st)) return st;
  nu_plan_row in = row_of_create(x->in);
  in.product_id = product.id; /* the product may be named by its code */
  nu_plan_row row;
  st = nu_plan_insert(c, a, &in, nu_rpc_now(x->call), &row);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change *ch = NULL;
  size_t n = 0;
  st = nu_audit_diff(a, NU_AUDIT_FIELDS(audit_fields), NULL, &row, &ch, &n);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_audit(x->call, c, product.seller_id, "pricing_plan.create", "pricing_plan", row.id,
                    ch, n);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__PricingPlan *out = nu_catalog_plan_to_api(a, &row);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

static nu_status create_pricing_plan(nu_call *call, const ProtobufCMessage *msg,
                                     ProtobufCMessage **resp) {
  const Nuage__V1__CreatePricingPlanRequest *req = (const void *)msg;
  create_ctx x = {.call = call, .in = req->plan};
  return nu_rpc_create_tx(call, req->request_id, msg, create_tx, &x, resp);
}

/* ---- UpdatePricingPlan -------------------------------------------------------- */

/* Applies the masked fields of the request to *row; INVALID_ARGUMENT when
 * the plan that results breaks its model's rules. */
static nu_status apply_update(nu_call *call, const Nuage__V1__UpdatePricingPlanRequest *req,
                              nu_plan_row *row) {
  const Nuage__V1__PricingPlan *p = req->plan;
  const Google__Protobuf__FieldMask *m = req->update_mask;
  if (nu_update_masked(m, "name")) row->name = p->name;
  if (nu_update_masked(m, "hourly_price")) {
    row->has_hourly = p->hourly_price != NULL;
    row->hourly_cents = p->hourly_price != NULL ? p->hourly_price->amount_cents : 0;
  }
  if (nu_update_masked(m, "monthly_price")) {
    row->has_monthly = p->monthly_price != NULL;
    row->monthly_cents = p->monthly_price != NULL ? p->monthly_price->amount_cents : 0;
  }
  if (nu_update_masked(m, "commitment_months")) row->commitment_months = p->commitment_months;
  if (nu_update_masked(m, "vat_rate_bp")) row->vat_rate_bp = p->vat_rate_bp;
  if (nu_update_masked(m, "active")) row->active = p->active;
  nu_plan_terms t = nu_plan_row_terms(row);
  if (nu_update_masked(m, "upfront")) {
    set_upfront(row, p->upfront);
    t.has_upfront = p->upfront != NULL; /* report a negative one */
    t.upfront_cents = p->upfront != NULL ? p->upfront->amount_cents : 0;
  }
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  check_terms(&v, &t);
  return nu_validator_result(&v);
}

/* Product first, then plan: the lock order of every plan change. The plan
 * of a product the caller does not sell is absent. */
static nu_status plan_lock(nu_update *u, nu_conn *c, void *row, bool *found) {
  nu_arena *a = nu_call_arena(u->call);
  nu_plan_row *before = row;
  nu_status st = nu_plan_get(c, a, u->id, false, before, found);
  if (!nu_status_is_ok(&st) || !*found) return st;
  st = visible_product(u->call, c, before->product_id, true, u->ctx);
  if (st.code == NU_NOT_FOUND) {
    *found = false;
    return nu_ok();
  }
  if (!nu_status_is_ok(&st)) return st;
  return nu_plan_get(c, a, before->id, true, before, found);
}

static const char *plan_seller(nu_update *u, const void *row) {
  (void)row;
  return ((const nu_product_row *)u->ctx)->seller_id;
}

static nu_status plan_write(nu_update *u, nu_conn *c, const void *after, void *result) {
  return nu_plan_write(c, nu_call_arena(u->call), after, nu_rpc_now(u->call), result);
}

static const nu_update_spec plan_update = {
    .resource = "pricing plan",
    .target_type = "pricing_plan",
    NU_UPDATE_ROW(nu_plan_row, id, version),
    .fields = audit_fields,
    .n_fields = sizeof(audit_fields) / sizeof(audit_fields[0]),
    .lock = plan_lock,
    .write = plan_write,
    .organization = plan_seller,
};

static nu_status plan_apply(nu_update *u, nu_conn *c, void *row) {
  (void)c;
  return apply_update(u->call, u->req, row);
}

static nu_status update_pricing_plan(nu_call *call, const ProtobufCMessage *msg,
                                     ProtobufCMessage **resp) {
  const Nuage__V1__UpdatePricingPlanRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  nu_product_row product;
  nu_update u = {.call = call,
                 .spec = &plan_update,
                 .id = req->plan->id,
                 .etag = req->plan->etag,
                 .action = "pricing_plan.update",
                 .req = req,
                 .ctx = &product,
                 .apply = plan_apply};
  nu_status st = nu_update_run(&u);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__PricingPlan *out = nu_catalog_plan_to_api(a, u.result);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- ListPricingPlans ------------------------------------------------------------ */

typedef struct list_ctx {
  nu_call *call;
  const char *product_id;
} list_ctx;

static nu_status fetch_plans(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                             const void **rows, size_t *n) {
  list_ctx *x = ctx;
  nu_product_row product;
  nu_status st = visible_product(x->call, c, x->product_id, false, &product);
  if (!nu_status_is_ok(&st)) return st;
  /* Inactive plans are history: their seller sees them, buyers do not. */
  bool own = nu_catalog_acts_for(nu_call_principal(x->call), product.seller_id);
  nu_plan_row *plans = NULL;
  st = nu_plan_list_page(c, a, product.id, !own, page->after_int64, page->after_id, page->limit,
                         &plans, n);
  *rows = plans;
  return st;
}

static ProtobufCMessage *plan_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__PricingPlan *p = nu_catalog_plan_to_api(a, row);
  return p != NULL ? &p->base : NULL;
}

static const nu_list_spec kPlanList = {
    .row_size = sizeof(nu_plan_row),
    NU_LIST_KEY_INT64(nu_plan_row, created_us),
    NU_LIST_ID(nu_plan_row, id),
    .fetch = fetch_plans,
    .to_api = plan_api,
};

static nu_status list_pricing_plans(nu_call *call, const ProtobufCMessage *msg,
                                    ProtobufCMessage **resp) {
  const Nuage__V1__ListPricingPlansRequest *req = (const void *)msg;
  list_ctx x = {.call = call, .product_id = req->product_id};
  return nu_list_run(call, msg, req->page_size, &kPlanList, &x, resp);
}

/* ---- EstimatePrice ------------------------------------------------------------------ */

typedef struct estimate_ctx {
  nu_call *call;
  const Nuage__V1__EstimatePriceRequest *req;
  nu_plan_row plan;
} estimate_ctx;

static nu_status estimate_tx(nu_conn *c, nu_arena *a, void *arg) {
  estimate_ctx *x = arg;
  nu_product_row product;
  nu_status st = visible_product(x->call, c, x->req->product_id, false, &product);
  if (!nu_status_is_ok(&st)) return st;
  bool found = false;
  st = nu_plan_get(c, a, x->req->plan_id, false, &x->plan, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || strcmp(x->plan.product_id, product.id) != 0) {
    return nu_rpc_not_found(a, "pricing plan");
  }
  return nu_ok();
}

static Nuage__V1__Money *api_money(nu_arena *a, int64_t cents, const char *currency, bool *oom) {
  return money(a, true, cents, currency, oom);
}

/* The refusal of the domain as the API says it. */
static nu_status estimate_refusal(nu_arena *a, nu_estimate_result r, const char *field,
                                  const char *why) {
  nu_status st;
  switch (r) {
    case NU_ESTIMATE_QUOTATION:
      return nu_error(a, NU_FAILED_PRECONDITION, "PRICED_ON_QUOTATION", "priced on quotation");
    case NU_ESTIMATE_INVALID:
      st = nu_error(a, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "%s %s", field, why);
      nu_status_add_violation(a, &st, field, "%s", why);
      return st;
    case NU_ESTIMATE_OVERFLOW:
      st = nu_error(a, NU_INVALID_ARGUMENT, "AMOUNT_TOO_LARGE",
                    "the estimate exceeds the largest amount this server handles");
      nu_status_add_violation(a, &st, field, "%s", why);
      return st;
    default:
      return nu_error(a, NU_INTERNAL, "PLAN_MALFORMED", "the stored pricing plan is malformed");
  }
}

static nu_status estimate_price(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__EstimatePriceRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  estimate_ctx x = {.call = call, .req = req};
  nu_status st = nu_rpc_tx(call, true, estimate_tx, &x);
  if (!nu_status_is_ok(&st)) return st;
  if (!x.plan.active) {
    return nu_error(a, NU_FAILED_PRECONDITION, "PLAN_INACTIVE", "the pricing plan is inactive");
  }
  nu_plan_terms terms = nu_plan_row_terms(&x.plan);
  nu_estimate_request er = {.quantity = req->quantity, .hours = req->hours, .months = req->months};
  nu_estimate e;
  const char *field = NULL;
  const char *why = NULL;
  nu_estimate_result r = nu_estimate_compute(&terms, &er, &e, &field, &why);
  if (r != NU_ESTIMATE_OK) return estimate_refusal(a, r, field, why);

  Nuage__V1__PriceEstimate *out =
      NU_RPC_NEW(a, Nuage__V1__PriceEstimate, nuage__v1__price_estimate__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->lines = (Nuage__V1__PriceLine **)nu_rpc_array(a, e.n);
  if (out->lines == NULL) return nu_rpc_oom(a);
  bool oom = false;
  const char *cur = x.plan.currency;
  for (size_t i = 0; i < e.n; i++) {
    const nu_money_line *m = &e.lines[i].money;
    Nuage__V1__PriceLine *l = NU_RPC_NEW(a, Nuage__V1__PriceLine, nuage__v1__price_line__init);
    char *desc = nu_arena_alloc(a, 128);
    if (l == NULL || desc == NULL || nu_estimate_line_describe(&e.lines[i], desc, 128) < 0) {
      return nu_rpc_oom(a);
    }
    l->description = desc;
    l->quantity = m->quantity;
    l->unit_price = api_money(a, m->unit_cents, cur, &oom);
    l->amount_excl_vat = api_money(a, m->excl_cents, cur, &oom);
    l->vat_rate_bp = m->vat_rate_bp;
    l->vat = api_money(a, m->vat_cents, cur, &oom);
    l->amount_incl_vat = api_money(a, m->incl_cents, cur, &oom);
    out->lines[i] = l;
  }
  out->n_lines = e.n;
  out->total_excl_vat = api_money(a, e.totals.excl_cents, cur, &oom);
  out->total_vat = api_money(a, e.totals.vat_cents, cur, &oom);
  out->total_incl_vat = api_money(a, e.totals.incl_cents, cur, &oom);
  if (oom) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- the rows ------------------------------------------------------------------------ */

const nu_method nu_catalog_pricing_methods[] = {
    NU_RPC_ROW("CatalogService", "CreatePricingPlan", create_pricing_plan_request, pricing_plan,
               validate_create, create_pricing_plan),
    NU_RPC_ROW("CatalogService", "UpdatePricingPlan", update_pricing_plan_request, pricing_plan,
               validate_update, update_pricing_plan),
    NU_RPC_ROW("CatalogService", "ListPricingPlans", list_pricing_plans_request,
               list_pricing_plans_response, validate_list, list_pricing_plans),
    NU_RPC_ROW("CatalogService", "EstimatePrice", estimate_price_request, price_estimate,
               validate_estimate, estimate_price),
};
const size_t nu_catalog_pricing_methods_count =
    sizeof(nu_catalog_pricing_methods) / sizeof(nu_catalog_pricing_methods[0]);
