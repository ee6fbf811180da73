/*
 * order_view.c — the API view of a stored order (see the header).
 */
#include "server/rpc/orders/order_view.h"

#include <string.h>

#include "server/rpc/core/handler.h"

static const char *const kStatus[] = {
    [NUAGE__V1__ORDER_STATUS__ORDER_STATUS_TO_DELIVER] = "to_deliver",
    [NUAGE__V1__ORDER_STATUS__ORDER_STATUS_PARTIALLY_DELIVERED] = "partially_delivered",
    [NUAGE__V1__ORDER_STATUS__ORDER_STATUS_DELIVERED] = "delivered",
    [NUAGE__V1__ORDER_STATUS__ORDER_STATUS_ADMITTED] = "admitted",
    [NUAGE__V1__ORDER_STATUS__ORDER_STATUS_DISPUTED] = "disputed",
    [NUAGE__V1__ORDER_STATUS__ORDER_STATUS_CANCELLED] = "cancelled",
};
#define N_STATUS (sizeof(kStatus) / sizeof(kStatus[0]))

Nuage__V1__OrderStatus nu_order_status_to_api(const char *status) {
  for (size_t i = 1; status != NULL && i < N_STATUS; i++) {
    if (kStatus[i] != NULL && strcmp(kStatus[i], status) == 0) return (Nuage__V1__OrderStatus)i;
  }
  return NUAGE__V1__ORDER_STATUS__ORDER_STATUS_UNSPECIFIED;
}

const char *nu_order_status_from_api(Nuage__V1__OrderStatus s) {
  return (size_t)s > 0 && (size_t)s < N_STATUS ? kStatus[s] : NULL;
}

static Nuage__V1__LineProvisioning provisioning_to_api(const char *p) {
  if (strcmp(p, "in_progress") == 0)
    return NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_IN_PROGRESS;
  if (strcmp(p, "delivered") == 0) return NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_DELIVERED;
  if (strcmp(p, "failed") == 0) return NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_FAILED;
  return NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_PENDING;
}

Nuage__V1__Money *nu_order_money(nu_arena *a, int64_t cents) {
  Nuage__V1__Money *m = NU_RPC_NEW(a, Nuage__V1__Money, nuage__v1__money__init);
  if (m == NULL) return NULL;
  m->amount_cents = cents;
  m->currency = "EUR";
  return m;
}

static Nuage__V1__OrderLine *line_view(nu_arena *a, const nu_order_line_row *l, bool *oom) {
  Nuage__V1__OrderLine *o = NU_RPC_NEW(a, Nuage__V1__OrderLine, nuage__v1__order_line__init);
  if (o == NULL) {
    *oom = true;
    return NULL;
  }
  o->id = (char *)(l->id != NULL ? l->id : "");
  o->product_code = (char *)l->product_code;
  o->designation = (char *)l->designation;
  o->product_id = (char *)l->product_id;
  o->plan_id = (char *)l->plan_id;
  o->region = (char *)(l->region != NULL ? l->region : "");
  o->instance_template = (char *)(l->instance_template != NULL ? l->instance_template : "");
  o->quantity = l->quantity;
  o->quantity_delivered = l->quantity_delivered;
  o->quantity_admitted = l->quantity_admitted;
  o->unit_price = nu_order_money(a, l->unit_price_cents);
  o->amount_excl_vat = nu_order_money(a, l->amount_excl_vat_cents);
  o->vat_rate_bp = l->vat_rate_bp;
  o->vat = nu_order_money(a, l->vat_cents);
  o->amount_incl_vat = nu_order_money(a, l->amount_incl_vat_cents);
  if (strcmp(l->plan_model, "subscription") == 0) {
    o->duration_months = l->duration_months;
    o->upfront = nu_order_money(a, l->upfront_cents);
    o->monthly_price = nu_order_money(a, l->monthly_price_cents);
    if (o->upfront == NULL || o->monthly_price == NULL) *oom = true;
  }
  o->expected_delivery_time =
      l->expected_delivery_us != 0 ? nu_rpc_timestamp(a, l->expected_delivery_us * 1000) : NULL;
  o->provisioning = provisioning_to_api(l->provisioning != NULL ? l->provisioning : "pending");
  o->failure_reason = (char *)(l->failure_reason != NULL ? l->failure_reason : "");
  o->has_access_details = l->has_access_details;
  o->update_time = l->updated_us != 0 ? nu_rpc_timestamp(a, l->updated_us * 1000) : NULL;
  if (o->unit_price == NULL || o->amount_excl_vat == NULL || o->vat == NULL ||
      o->amount_incl_vat == NULL) {
    *oom = true;
  }
  return o;
}

/* One row per VAT rate of the lines, lowest rate first. */
static Nuage__V1__VatRow **vat_table(nu_arena *a, const nu_order_row *r, size_t *n, bool *oom) {
  *n = 0;
  if (r->n_lines == 0) return NULL;
  int32_t *rates = nu_arena_calloc(a, r->n_lines, sizeof(*rates));
  int64_t *base = nu_arena_calloc(a, r->n_lines, sizeof(*base));
  int64_t *vat = nu_arena_calloc(a, r->n_lines, sizeof(*vat));
  Nuage__V1__VatRow **rows = (Nuage__V1__VatRow **)nu_rpc_array(a, r->n_lines);
  if (rates == NULL || base == NULL || vat == NULL || rows == NULL) {
    *oom = true;
    return NULL;
  }
  for (size_t i = 0; i < r->n_lines; i++) {
    const nu_order_line_row *l = &r->lines[i];
    size_t k = 0;
    while (k < *n && rates[k] < l->vat_rate_bp) k++;
    if (k == *n || rates[k] != l->vat_rate_bp) {
      memmove(&rates[k + 1], &rates[k], (*n - k) * sizeof(*rates));
      memmove(&base[k + 1], &base[k], (*n - k) * sizeof(*base));
      memmove(&vat[k + 1], &vat[k], (*n - k) * sizeof(*vat));
      rates[k] = l->vat_rate_bp;
      base[k] = 0;
      vat[k] = 0;
      (*n)++;
    }
    /* The totals fit (checked when the order was priced), so the parts do. */
    base[k] += l->amount_excl_vat_cents;
    vat[k] += l->vat_cents;
  }
  for (size_t k = 0; k < *n; k++) {
    rows[k] = NU_RPC_NEW(a, Nuage__V1__VatRow, nuage__v1__vat_row__init);
    if (rows[k] == NULL) {
      *oom = true;
      return NULL;
    }
    rows[k]->rate_bp = rates[k];
    rows[k]->amount_excl_vat = nu_order_money(a, base[k]);
    rows[k]->vat = nu_order_money(a, vat[k]);
    if (rows[k]->amount_excl_vat == NULL || rows[k]->vat == NULL) *oom = true;
  }
  return rows;
}

static Nuage__V1__OrderLine **lines_view(nu_arena *a, const nu_order_row *r, bool *oom) {
  if (r->n_lines == 0) return NULL;
  Nuage__V1__OrderLine **lines = (Nuage__V1__OrderLine **)nu_rpc_array(a, r->n_lines);
  if (lines == NULL) {
    *oom = true;
    return NULL;
  }
  for (size_t i = 0; i < r->n_lines; i++) lines[i] = line_view(a, &r->lines[i], oom);
  return lines;
}

Nuage__V1__OrderSummary *nu_order_summary_view(nu_arena *a, const nu_order_row *r) {
  bool oom = false;
  Nuage__V1__OrderSummary *s =
      NU_RPC_NEW(a, Nuage__V1__OrderSummary, nuage__v1__order_summary__init);
  if (s == NULL) return NULL;
  s->lines = lines_view(a, r, &oom);
  s->n_lines = r->n_lines;
  s->vat_table = vat_table(a, r, &s->n_vat_table, &oom);
  s->total_excl_vat = nu_order_money(a, r->total_excl_vat_cents);
  s->total_vat = nu_order_money(a, r->total_vat_cents);
  s->total_incl_vat = nu_order_money(a, r->total_incl_vat_cents);
  s->seller_id = (char *)r->seller_id;
  s->seller_name = (char *)r->seller_name;
  if (oom || s->total_excl_vat == NULL || s->total_vat == NULL || s->total_incl_vat == NULL) {
    return NULL;
  }
  return s;
}

Nuage__V1__Order *nu_order_view(nu_arena *a, const nu_order_row *r) {
  bool oom = false;
  Nuage__V1__Order *o = NU_RPC_NEW(a, Nuage__V1__Order, nuage__v1__order__init);
  Nuage__V1__OrderContact *ct =
      NU_RPC_NEW(a, Nuage__V1__OrderContact, nuage__v1__order_contact__init);
  if (o == NULL || ct == NULL) return NULL;
  o->id = (char *)r->id;
  o->number = (char *)r->number;
  o->organization_id = (char *)r->organization_id;
  o->organization_name = (char *)r->organization_name;
  o->seller_id = (char *)r->seller_id;
  o->seller_name = (char *)r->seller_name;
  o->proposal_number = (char *)r->proposal_number;
  o->purchase_order_reference = (char *)r->purchase_order_reference;
  o->service_code = (char *)r->service_code;
  ct->name = (char *)r->contact_name;
  ct->email = (char *)r->contact_email;
  ct->phone = (char *)r->contact_phone;
  o->contact = ct;
  o->placed_by_user_id = (char *)r->placed_by;
  o->placed_by_name = (char *)r->placed_by_name;
  o->lines = lines_view(a, r, &oom);
  o->n_lines = r->n_lines;
  o->vat_table = vat_table(a, r, &o->n_vat_table, &oom);
  o->total_excl_vat = nu_order_money(a, r->total_excl_vat_cents);
  o->total_vat = nu_order_money(a, r->total_vat_cents);
  o->total_incl_vat = nu_order_money(a, r->total_incl_vat_cents);
  o->status = nu_order_status_to_api(r->status);
  o->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  o->update_time = nu_rpc_timestamp(a, r->updated_us * 1000);
  if (oom || o->total_excl_vat == NULL || o->total_vat == NULL || o->total_incl_vat == NULL) {
    return NULL;
  }
  return o;
}
