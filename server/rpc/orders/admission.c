/*
 * admission.c — the buyer's answer to a delivery.
 *
 * AdmitDelivery (manager on orders) certifies delivered quantities that
 * are not yet admitted: a dated record of who certified what (admissions,
 * cited by invoices later), the lines' admitted quantities, and one
 * subscription per admitted line — never before admission. When every
 * line is admitted in full the order becomes admitted (domain/orders).
 * ContestDelivery marks the order disputed and opens an incident
 * (SAV-nnnnn) that the after-sales issue completes. Both are told to the
 * provider (its feed and its referent's e-mail) and to whoever placed the
 * order; both are idempotent with request_id.
 */
#include "server/rpc/orders/admission.h"

#include <inttypes.h>
#include <string.h>

#include "nuage/v1/order.pb-c.h"
#include "server/domain/orders/order_lines.h"
#include "server/domain/orders/order_status.h"
#include "server/domain/orders/policy.h"
#include "server/domain/subscriptions/paris_calendar.h"
#include "server/domain/subscriptions/subscription.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/orders/order_details.h"
#include "server/rpc/orders/order_view.h"
#include "server/store/identity/user_store.h"
#include "server/store/orders/admission_store.h"
#include "server/store/orders/order_event_store.h"
#include "server/store/orders/order_store.h"
#include "server/store/orders/subscription_store.h"
#include "server/store/organization/organization_store.h"
#include "server/validate/enum.h"
#include "server/validate/ids.h"

static bool readable(nu_call *call, const nu_order_row *o) {
  const nu_principal *p = nu_call_principal(call);
  return p->platform_operator ||
         (p->organization_id != NULL && strcmp(p->organization_id, o->organization_id) == 0);
}

/* The provider's referent and whoever placed the order hear of it. */
static nu_status tell(nu_call *call, nu_conn *c, const nu_order_row *o, const char *template_name,
                      const char *const *kv, size_t n) {
  nu_arena *a = nu_call_arena(call);
  nu_user_row placer;
  nu_status st = nu_user_get(c, a, o->placed_by, &placer);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_email(call, c, placer.email, template_name, o->organization_id, kv, n);
  if (!nu_status_is_ok(&st)) return st;
  nu_org_row seller;
  bool found = false;
  st = nu_org_get(c, a, o->seller_id, false, &seller, &found);
  if (!nu_status_is_ok(&st) || !found) return st;
  nu_user_row referent;
  st = nu_user_get(c, a, seller.referent_user_id, &referent);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_email(call, c, referent.email, template_name, o->seller_id, kv, n);
}

/* The subscription of `quantity` admitted units of line l of order o. */
static nu_status subscribe(nu_call *call, nu_conn *c, const nu_order_row *o,
                           const nu_order_line_row *l, int64_t quantity) {
  nu_arena *a = nu_call_arena(call);
  int64_t now = nu_rpc_now(call);
  nu_subscription_row s = {
      .organization_id = o->organization_id,
      .product_id = l->product_id,
      .order_id = o->id,
      .order_line_id = l->id,
      .name = l->designation,
      .region = l->region,
      .quantity = quantity,
      .duration_months = l->duration_months,
      .upfront_cents = l->upfront_cents,
      .monthly_price_cents = l->monthly_price_cents,
  };
  if (strcmp(l->plan_model, "subscription") == 0) {
    /* A reservation starts the first day of the month after the order. */
    s.type = "reservation";
    nu_date start = nu_reservation_start(o->created_us * 1000);
    nu_date end;
    nu_refusal why;
    if (nu_subscription_end(start, l->duration_months, &end, &why) != 0) {
      return nu_error(a, NU_INTERNAL, why.reason, "%s", why.message);
    }
    s.starts_us = nu_paris_day_start(start) / 1000;
    s.ends_us = nu_paris_day_start(end) / 1000;
  } else {
    /* Pay as you go, free and BYOL run from the day of admission. */
    s.type = strcmp(l->plan_model, "hourly") == 0 ? "hourly"
             : strcmp(l->plan_model, "byol") == 0 ? "byol"
                                                  : "free";
    s.starts_us = nu_paris_day_start(nu_paris_date_of(now)) / 1000;
  }
  nu_subscription_row out;
  nu_status st = nu_subscription_insert(c, a, &s, now, &out);
  if (!nu_status_is_ok(&st)) return st;
  const char *units = nu_arena_sprintf(a, "%" PRId64, quantity);
  if (units == NULL) return nu_rpc_oom(a);
  nu_audit_change ch[] = {{"order_number", NULL, o->number}, {"quantity", NULL, units}};
  return nu_rpc_audit(call, c, o->organization_id, "subscription.create", "subscription", out.id,
                      ch, 2);
}

/* ---- AdmitDelivery ---------------------------------------------------------- */

static nu_status validate_admit(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__AdmitDeliveryRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "order_id", req->order_id, "an order id", true);
  nu_validate_required(&v, "request_id", req->request_id);
  for (size_t i = 0; i < req->n_lines; i++) {
    const char *f = nu_arena_sprintf(v.arena, "lines[%zu].line_id", i);
    const char *q = nu_arena_sprintf(v.arena, "lines[%zu].quantity", i);
    if (f == NULL || q == NULL) break;
    nu_validate_id(&v, f, req->lines[i]->line_id, "an order line id", true);
    nu_validate_int_range(&v, q, req->lines[i]->quantity, 1, NU_ORDER_QUANTITY_MAX);
  }
  return nu_validator_result(&v);
}

typedef struct admit_run {
  nu_call *call;
  const Nuage__V1__AdmitDeliveryRequest *req;
} admit_run;

static nu_status admit_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  admit_run *r = arg;
  const Nuage__V1__AdmitDeliveryRequest *req = r->req;
  nu_order_row o;
  bool found = false;
  nu_status st = nu_order_get(c, a, req->order_id, true, &o, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !readable(r->call, &o)) return nu_rpc_not_found(a, "order");
  /* What each line admits now: the request's, or everything delivered
   * and not admitted yet. */
  int64_t *admit = nu_arena_calloc(a, o.n_lines + 1, sizeof(*admit));
  nu_admitted_line_row *rec = nu_arena_calloc(a, o.n_lines + 1, sizeof(*rec));
  if (admit == NULL || rec == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < req->n_lines; i++) {
    size_t k = 0;
    while (k < o.n_lines && strcmp(o.lines[k].id, req->lines[i]->line_id) != 0) k++;
    if (k == o.n_lines) {
      const char *f = nu_arena_sprintf(a, "lines[%zu].line_id", i);
      st = nu_error(a, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "%s is not a line of the order", f);
      nu_status_add_violation(a, &st, f, "is not a line of this order");
      return st;
    }
    admit[k] += req->lines[i]->quantity;
  }
  if (req->n_lines == 0) {
    for (size_t k = 0; k < o.n_lines; k++) {
      admit[k] = o.lines[k].quantity_delivered - o.lines[k].quantity_admitted;
    }
  }
  nu_order_line_qty *qs = nu_arena_calloc(a, o.n_lines + 1, sizeof(*qs));
  if (qs == NULL) return nu_rpc_oom(a);
  size_t n_rec = 0;
  int64_t now = nu_rpc_now(r->call);
  for (size_t k = 0; k < o.n_lines; k++) {
    nu_order_line_row *l = &o.lines[k];
    qs[k] = (nu_order_line_qty){.ordered = l->quantity,
                                .delivered = l->quantity_delivered,
                                .admitted = l->quantity_admitted};
    if (admit[k] == 0) continue;
    nu_refusal why;
    nu_order_line_qty after;
    if (nu_order_line_admit(&qs[k], admit[k], &after, &why) != 0) {
      return nu_error(a, NU_FAILED_PRECONDITION, why.reason, "line %s: %s", l->id, why.message);
    }
    qs[k] = after;
    l->quantity_admitted = after.admitted;
    st = nu_order_line_write(c, a, l, NULL, 0, now);
    if (!nu_status_is_ok(&st)) return st;
    rec[n_rec++] = (nu_admitted_line_row){.line_id = l->id, .quantity = admit[k]};
  }
  if (n_rec == 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "NOTHING_TO_ADMIT",
                    "nothing delivered is waiting for admission on this order");
  }
  const nu_principal *p = nu_call_principal(r->call);
  const char *admission_id = NULL;
  st = nu_admission_insert(c, a, o.id, p->id, rec, n_rec, now, &admission_id);
  if (!nu_status_is_ok(&st)) return st;
  for (size_t k = 0; k < o.n_lines; k++) {
    if (admit[k] == 0) continue;
    st = subscribe(r->call, c, &o, &o.lines[k], admit[k]);
    if (!nu_status_is_ok(&st)) return st;
  }
  if (nu_order_lines_admitted(qs, o.n_lines)) {
    nu_order_transition tr;
    nu_refusal why;
    if (nu_order_status_next(nu_order_state_parse(o.status), NU_ORDER_EVENT_ADMITTED, NULL, &tr,
                             &why) != 0) {
      return nu_error(a, NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
    }
    if (tr.changed) {
      st = nu_order_set_status(c, a, o.id, nu_order_state_name(tr.to), now);
      if (!nu_status_is_ok(&st)) return st;
    }
  }
  int64_t seq = 0;
  st = nu_order_event_append(c, a, o.seller_id, o.id, NULL, "order_admitted", now, &seq);
  if (!nu_status_is_ok(&st)) return st;
  const char *lines = nu_arena_sprintf(a, "%zu", n_rec);
  if (lines == NULL) return nu_rpc_oom(a);
  nu_audit_change ch[] = {{"admission_id", NULL, admission_id}, {"lines", NULL, lines}};
  st = nu_rpc_audit(r->call, c, o.organization_id, "order.admit", "order", o.id, ch, 2);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"order_id", o.id, "order_number", o.number, "admission_id", admission_id};
  st = tell(r->call, c, &o, "order_admitted", kv, 3);
  if (!nu_status_is_ok(&st)) return st;
  return nu_order_full_view(a, c, o.id, resp);
}

static nu_status admit(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__AdmitDeliveryRequest *req = (const void *)msg;
  admit_run r = {.call = call, .req = req};
  return nu_rpc_create_tx(call, req->request_id, msg, admit_tx, &r, resp);
}

/* ---- ContestDelivery ---------------------------------------------------------- */

static nu_status validate_contest(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ContestDeliveryRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "order_id", req->order_id, "an order id", true);
  nu_validate_required(&v, "reason", req->reason);
  nu_validate_max_len(&v, "reason", req->reason, NU_ORDER_CONTEST_REASON_MAX_LEN);
  nu_validate_required(&v, "request_id", req->request_id);
  nu_validate_enum(&v, "kind", &nuage__v1__incident_kind__descriptor, (int)req->kind, true);
  if (req->kind == NUAGE__V1__INCIDENT_KIND__INCIDENT_KIND_MODIFICATION_CANCELLATION) {
    nu_validate_fail(&v, "kind",
                     "a contested delivery is an incomplete order or a credentials incident;"
                     " a modification or cancellation is not a contest of the delivery");
  }
  return nu_validator_result(&v);
}

static nu_status contest_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  admit_run *r = arg;
  const Nuage__V1__ContestDeliveryRequest *req = (const void *)r->req;
  nu_order_row o;
  bool found = false;
  nu_status st = nu_order_get(c, a, req->order_id, true, &o, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !readable(r->call, &o)) return nu_rpc_not_found(a, "order");
  nu_order_transition tr;
  nu_refusal why;
  if (nu_order_status_next(nu_order_state_parse(o.status), NU_ORDER_EVENT_CONTESTED, NULL, &tr,
                           &why) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  int64_t now = nu_rpc_now(r->call);
  if (tr.changed) {
    st = nu_order_set_status(c, a, o.id, nu_order_state_name(tr.to), now);
    if (!nu_status_is_ok(&st)) return st;
  }
  const char *incident_id = NULL, *number = NULL;
  int k = req->kind != NUAGE__V1__INCIDENT_KIND__INCIDENT_KIND_UNSPECIFIED
              ? (int)req->kind
              : NUAGE__V1__INCIDENT_KIND__INCIDENT_KIND_INCOMPLETE_ORDER;
  const char *kind = nu_enum_text(&nuage__v1__incident_kind__descriptor, k);
  if (kind == NULL) return nu_rpc_oom(a);
  st = nu_incident_open(c, a, o.id, o.organization_id, kind, req->reason,
                        nu_call_principal(r->call)->id, now, &incident_id, &number);
  if (!nu_status_is_ok(&st)) return st;
  int64_t seq = 0;
  st = nu_order_event_append(c, a, o.seller_id, o.id, NULL, "order_contested", now, &seq);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"status", o.status, nu_order_state_name(tr.to)},
                          {"incident", NULL, number}};
  st = nu_rpc_audit(r->call, c, o.organization_id, "order.contest", "order", o.id, ch, 2);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"order_id",        o.id,   "order_number", o.number,
                      "incident_number", number, "reason",       req->reason};
  st = tell(r->call, c, &o, "order_contested", kv, 4);
  if (!nu_status_is_ok(&st)) return st;
  return nu_order_full_view(a, c, o.id, resp);
}

static nu_status contest(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ContestDeliveryRequest *req = (const void *)msg;
  admit_run r = {.call = call, .req = (const void *)req};
  return nu_rpc_create_tx(call, req->request_id, msg, contest_tx, &r, resp);
}

const nu_method nu_admission_methods[] = {
    NU_RPC_ROW("OrderService", "AdmitDelivery", admit_delivery_request, order, validate_admit,
               admit),
    NU_RPC_ROW("OrderService", "ContestDelivery", contest_delivery_request, order, validate_contest,
               contest),
};
const size_t nu_admission_methods_count =
    sizeof(nu_admission_methods) / sizeof(nu_admission_methods[0]);
