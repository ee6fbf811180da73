/*
 * order_pricing.c — the lines of a direct order from catalogue plans (see
 * the header).
 */
#include "server/rpc/orders/order_pricing.h"

#include <stdio.h>
#include <string.h>

#include "server/domain/money/estimate.h"
#include "server/domain/money/money.h"
#include "server/domain/money/plan.h"
#include "server/domain/orders/policy.h"
#include "server/rpc/core/handler.h"
#include "server/store/catalog/plan_store.h"
#include "server/store/catalog/product_store.h"
#include "server/validate/ids.h"

void nu_order_validate_items(nu_validator *v, Nuage__V1__OrderItem *const *items, size_t n) {
  if (n == 0) {
    nu_validate_fail(v, "items", "is required: at least one item");
    return;
  }
  if (n > NU_ORDER_MAX_ITEMS) {
    nu_validate_fail(v, "items", "has %zu items; an order holds at most %d", n, NU_ORDER_MAX_ITEMS);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const Nuage__V1__OrderItem *it = items[i];
    char f[64];
#define FIELD(name) (snprintf(f, sizeof(f), "items[%zu]." name, i), nu_arena_strdup(v->arena, f))
    nu_validate_id(v, FIELD("product_id"), it->product_id, "a product id", true);
    nu_validate_id(v, FIELD("plan_id"), it->plan_id, "a pricing plan id", true);
    nu_validate_max_len(v, FIELD("region"), it->region, NU_ORDER_REGION_MAX_LEN);
    nu_validate_max_len(v, FIELD("instance_template"), it->instance_template,
                        NU_ORDER_TEMPLATE_MAX_LEN);
    nu_validate_int_range(v, FIELD("quantity"), it->quantity, 1, NU_ORDER_QUANTITY_MAX);
    nu_validate_int_range(v, FIELD("duration_months"), it->duration_months, 0,
                          NU_ORDER_DURATION_MAX_MONTHS);
    nu_validate_int_range(v, FIELD("hours"), it->hours, 0, NU_ORDER_HOURS_MAX);
#undef FIELD
  }
}

static nu_status item_violation(nu_arena *a, size_t i, const char *field, const char *why) {
  const char *path = nu_arena_sprintf(a, "items[%zu].%s", i, field);
  if (path == NULL) return nu_rpc_oom(a);
  nu_status st = nu_error(a, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "%s %s", path, why);
  nu_status_add_violation(a, &st, path, "%s", why);
  return st;
}

static bool has_region(const nu_product_row *p, const char *region) {
  for (size_t i = 0; i < p->regions.n; i++) {
    if (strcmp(p->regions.items[i], region) == 0) return true;
  }
  return false;
}

/* The line of item i on product p and plan: designation, prices, VAT. */
static nu_status price_item(nu_arena *a, size_t i, const Nuage__V1__OrderItem *it,
                            const nu_product_row *p, const nu_plan_row *plan,
                            nu_order_line_row *l) {
  nu_plan_terms terms = nu_plan_row_terms(plan);
  nu_estimate_request er = {
      .quantity = it->quantity, .hours = it->hours, .months = it->duration_months};
  nu_estimate e;
  const char *field = NULL;
  const char *why = NULL;
  switch (nu_estimate_compute(&terms, &er, &e, &field, &why)) {
    case NU_ESTIMATE_OK: break;
    case NU_ESTIMATE_QUOTATION:
      return nu_error(a, NU_FAILED_PRECONDITION, "QUOTATION_REQUIRED",
                      "items[%zu]: the plan is priced on quotation; ask the provider for a"
                      " proposal",
                      i);
    case NU_ESTIMATE_INVALID:
      return item_violation(a, i, strcmp(field, "months") == 0 ? "duration_months" : field, why);
    case NU_ESTIMATE_OVERFLOW:
      return item_violation(a, i, strcmp(field, "months") == 0 ? "duration_months" : field,
                            "makes an amount larger than this server handles");
    default:
      return nu_error(a, NU_INTERNAL, "PLAN_MALFORMED", "the stored pricing plan is malformed");
  }
  memset(l, 0, sizeof(*l));
  l->product_id = p->id;
  l->plan_id = plan->id;
  l->product_code = p->code;
  l->product_name = p->name;
  l->plan_model = plan->model;
  l->region = it->region;
  l->instance_template = it->instance_template;
  l->quantity = it->quantity;
  l->vat_rate_bp = plan->vat_rate_bp;
  int32_t months = 0;
  for (size_t k = 0; k < e.n; k++) {
    l->amount_excl_vat_cents += e.lines[k].money.excl_cents;
    l->vat_cents += e.lines[k].money.vat_cents;
    l->amount_incl_vat_cents += e.lines[k].money.incl_cents;
    if (e.lines[k].kind == NU_LINE_SUBSCRIPTION) months = e.lines[k].months;
    if (e.lines[k].kind == NU_LINE_HOURLY) l->hours = e.lines[k].hours;
  }
  /* Every estimate line is quantity × a per-unit amount: the sum divides. */
  l->unit_price_cents = l->amount_excl_vat_cents / it->quantity;
  if (terms.model == NU_PRICING_SUBSCRIPTION) {
    l->duration_months = months;
    l->monthly_price_cents = plan->monthly_cents;
    l->upfront_cents = plan->has_upfront ? plan->upfront_cents : 0;
  }
  char what[96] = "";
  if (e.n > 0) nu_estimate_line_describe(&e.lines[0], what, sizeof(what));
  l->designation = nu_arena_sprintf(a, "%s — %s — %s", p->name, plan->name, what);
  if (l->designation == NULL) return nu_rpc_oom(a);
  return nu_ok();
}

nu_status nu_order_price(nu_call *call, nu_conn *c, Nuage__V1__OrderItem *const *items, size_t n,
                         nu_order_row *out) {
  nu_arena *a = nu_call_arena(call);
  out->lines = nu_arena_calloc(a, n, sizeof(*out->lines));
  if (out->lines == NULL) return nu_rpc_oom(a);
  out->n_lines = n;
  out->currency = "EUR";
  nu_money_line sums[NU_ORDER_MAX_ITEMS];
  for (size_t i = 0; i < n; i++) {
    const Nuage__V1__OrderItem *it = items[i];
    nu_product_row p;
    bool found = false;
    nu_status st = nu_product_get(c, a, it->product_id, false, &p, &found);
    if (!nu_status_is_ok(&st)) return st;
    /* Only published products are ordered; anything else is invisible to
     * a buyer and answers as absent. */
    if (!found || strcmp(p.status, "published") != 0) return nu_rpc_not_found(a, "product");
    nu_plan_row plan;
    st = nu_plan_get(c, a, it->plan_id, false, &plan, &found);
    if (!nu_status_is_ok(&st)) return st;
    if (!found || strcmp(plan.product_id, p.id) != 0) return nu_rpc_not_found(a, "pricing plan");
    if (!plan.active) {
      return nu_error(a, NU_FAILED_PRECONDITION, "PLAN_INACTIVE",
                      "items[%zu]: the pricing plan is no longer sold", i);
    }
    if (p.regions.n > 0 && it->region[0] == '\0') {
      return item_violation(a, i, "region", "is required: the product is delivered in regions");
    }
    if (it->region[0] != '\0' && !has_region(&p, it->region)) {
      return item_violation(a, i, "region", "is not a region where the product is delivered");
    }
    if (i == 0) {
      out->seller_id = p.seller_id;
      out->seller_name = p.seller_name;
    } else if (strcmp(out->seller_id, p.seller_id) != 0) {
      return item_violation(a, i, "product_id",
                            "is sold by another provider: one order holds one provider's"
                            " products");
    }
    if (strcmp(p.seller_id, nu_call_principal(call)->organization_id) == 0) {
      return nu_error(a, NU_FAILED_PRECONDITION, "OWN_PRODUCT",
                      "items[%zu]: an organisation does not order its own products", i);
    }
    st = price_item(a, i, it, &p, &plan, &out->lines[i]);
    if (!nu_status_is_ok(&st)) return st;
    sums[i] = (nu_money_line){.quantity = 1,
                              .unit_cents = out->lines[i].amount_excl_vat_cents,
                              .excl_cents = out->lines[i].amount_excl_vat_cents,
                              .vat_rate_bp = out->lines[i].vat_rate_bp,
                              .vat_cents = out->lines[i].vat_cents,
                              .incl_cents = out->lines[i].amount_incl_vat_cents};
  }
  nu_money_totals t;
  if (nu_money_totals_of(sums, n, &t) != NU_MONEY_OK) {
    return nu_error(a, NU_INVALID_ARGUMENT, "AMOUNT_TOO_LARGE",
                    "the order's total is larger than this server handles");
  }
  out->total_excl_vat_cents = t.excl_cents;
  out->total_vat_cents = t.vat_cents;
  out->total_incl_vat_cents = t.incl_cents;
  return nu_ok();
}
