/*
 * subscription_service.c — SubscriptionService: read, list and terminate
 * the subscriptions admission created.
 *
 * Status is derived at read time from the server's clock with the rule of
 * domain/subscriptions (lists filter with the same rule in SQL). A
 * termination takes effect the first day of the next Paris month; a partial
 * one splits the subscription: the terminated units become a subscription
 * of their own (split_from_id, the same order, start and prices) and the
 * rest keeps running. Another organisation's subscription answers like an
 * absent one.
 */
#include "server/rpc/orders/subscription_service.h"

#include <inttypes.h>
#include <string.h>

#include "nuage/v1/subscription.pb-c.h"
#include "server/domain/orders/policy.h"
#include "server/domain/subscriptions/paris_calendar.h"
#include "server/domain/subscriptions/subscription.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/orders/order_view.h"
#include "server/store/orders/subscription_store.h"
#include "server/validate/etag.h"
#include "server/validate/ids.h"

static nu_subscription_dates dates_of(const nu_subscription_row *s) {
  nu_subscription_dates d = {
      .start = nu_paris_date_of(s->starts_us * 1000),
      /* Open-ended ones run until terminated: their end is put past any
       * instant the clock (Unix nanoseconds in int64, up to 2262) reads. */
      .end = s->ends_us != 0 ? nu_paris_date_of(s->ends_us * 1000)
                             : (nu_date){.year = 2200, .month = 1, .day = 1},
      .terminating = s->terminated_us != 0,
  };
  if (d.terminating) d.terminates_on = nu_paris_date_of(s->terminated_us * 1000);
  return d;
}

static Nuage__V1__SubscriptionType type_to_api(const char *t) {
  if (strcmp(t, "reservation") == 0 || strcmp(t, "subscription") == 0) {
    return NUAGE__V1__SUBSCRIPTION_TYPE__SUBSCRIPTION_TYPE_RESERVATION;
  }
  if (strcmp(t, "hourly") == 0) return NUAGE__V1__SUBSCRIPTION_TYPE__SUBSCRIPTION_TYPE_HOURLY;
  return NUAGE__V1__SUBSCRIPTION_TYPE__SUBSCRIPTION_TYPE_FREE;
}

static Nuage__V1__Subscription *to_api(nu_arena *a, const nu_subscription_row *s, int64_t now_ns) {
  Nuage__V1__Subscription *o =
      NU_RPC_NEW(a, Nuage__V1__Subscription, nuage__v1__subscription__init);
  if (o == NULL) return NULL;
  o->id = (char *)s->id;
  o->organization_id = (char *)s->organization_id;
  o->name = (char *)s->name;
  o->type = type_to_api(s->type);
  o->product_id = (char *)s->product_id;
  o->product_code = (char *)s->product_code;
  o->quantity = s->quantity;
  o->duration_months = s->duration_months;
  o->upfront = nu_order_money(a, s->upfront_cents);
  o->monthly_price = nu_order_money(a, s->monthly_price_cents);
  o->region = (char *)s->region;
  o->start_time = nu_rpc_timestamp(a, s->starts_us * 1000);
  o->end_time = s->ends_us != 0 ? nu_rpc_timestamp(a, s->ends_us * 1000) : NULL;
  nu_subscription_dates d = dates_of(s);
  /* The API's statuses are the domain's, value for value. */
  o->status = (Nuage__V1__SubscriptionStatus)nu_subscription_state_at(&d, now_ns);
  o->order_id = (char *)s->order_id;
  o->order_number = (char *)s->order_number;
  o->order_line_id = (char *)s->order_line_id;
  o->termination_time = s->terminated_us != 0 ? nu_rpc_timestamp(a, s->terminated_us * 1000) : NULL;
  o->split_from_id = (char *)s->parent_id;
  o->etag = (char *)nu_rpc_etag(a, s->version);
  o->create_time = nu_rpc_timestamp(a, s->created_us * 1000);
  if (o->upfront == NULL || o->monthly_price == NULL || o->etag == NULL) return NULL;
  return o;
}

static bool readable(nu_call *call, const nu_subscription_row *s) {
  const nu_principal *p = nu_call_principal(call);
  return p->platform_operator ||
         (p->organization_id != NULL && strcmp(p->organization_id, s->organization_id) == 0);
}

/* ---- GetSubscription ---------------------------------------------------------- */

static nu_status validate_get(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetSubscriptionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "subscription_id", req->subscription_id, "a subscription id", true);
  return nu_validator_result(&v);
}

typedef struct get_run {
  nu_call *call;
  const char *id;
  nu_subscription_row row;
} get_run;

static nu_status get_tx(nu_conn *c, nu_arena *a, void *arg) {
  get_run *r = arg;
  bool found = false;
  nu_status st = nu_subscription_get(c, a, r->id, false, &r->row, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !readable(r->call, &r->row)) return nu_rpc_not_found(a, "subscription");
  return nu_ok();
}

static nu_status get_subscription(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__GetSubscriptionRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  get_run r = {.call = call, .id = req->subscription_id};
  nu_status st = nu_rpc_tx(call, true, get_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__Subscription *out = to_api(a, &r.row, nu_rpc_now(call));
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- ListSubscriptions / ListMySubscriptions ----------------------------------- */

static void validate_filter(nu_validator *v, const char *query, Nuage__V1__SubscriptionStatus s) {
  nu_validate_max_len(v, "query", query, NU_ORDER_QUERY_MAX_LEN);
  if (s != NUAGE__V1__SUBSCRIPTION_STATUS__SUBSCRIPTION_STATUS_UNSPECIFIED &&
      nu_subscription_state_name((nu_subscription_state)s) == NULL) {
    nu_validate_fail(v, "status", "is not a subscription status");
  }
}

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListSubscriptionsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_filter(&v, req->query, req->status);
  if (req->sort < 0 || req->sort > NUAGE__V1__SUBSCRIPTION_SORT__SUBSCRIPTION_SORT_END_TIME_ASC) {
    nu_validate_fail(&v, "sort", "is not a subscription sort");
  }
  if (req->start_from != NULL && req->start_to != NULL &&
      nu_rpc_time_us(req->start_to) <= nu_rpc_time_us(req->start_from)) {
    nu_validate_fail(&v, "start_to", "must be after start_from");
  }
  if (req->end_from != NULL && req->end_to != NULL &&
      nu_rpc_time_us(req->end_to) <= nu_rpc_time_us(req->end_from)) {
    nu_validate_fail(&v, "end_to", "must be after end_from");
  }
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status validate_list_mine(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListMySubscriptionsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_filter(&v, req->query, req->status);
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

typedef struct list_ctx {
  nu_subscription_filter filter;
  int64_t now_ns;
} list_ctx;

static nu_status fetch(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                       const void **rows, size_t *n) {
  const list_ctx *x = ctx;
  nu_subscription_row *found = NULL;
  nu_status st = nu_subscription_list(c, a, &x->filter, page->after_int64, page->after_id,
                                      page->limit, &found, n);
  *rows = found;
  return st;
}

static ProtobufCMessage *sub_api(nu_arena *a, void *ctx, const void *row) {
  Nuage__V1__Subscription *s = to_api(a, row, ((const list_ctx *)ctx)->now_ns);
  return s != NULL ? &s->base : NULL;
}

/* Sorting by end puts open-ended ones last: their key is INT64_MAX. */
static int end_position(nu_arena *a, const void *row, const char **key, const char **id) {
  const nu_subscription_row *s = row;
  *key = nu_list_int64_key(a, s->ends_us != 0 ? s->ends_us : INT64_MAX);
  *id = s->id;
  return *key != NULL ? 0 : -1;
}

static const nu_list_spec kByCreation = {
    .row_size = sizeof(nu_subscription_row),
    NU_LIST_KEY_INT64(nu_subscription_row, created_us),
    NU_LIST_ID(nu_subscription_row, id),
    .fetch = fetch,
    .to_api = sub_api,
};
static const nu_list_spec kByStart = {
    .row_size = sizeof(nu_subscription_row),
    NU_LIST_KEY_INT64(nu_subscription_row, starts_us),
    NU_LIST_ID(nu_subscription_row, id),
    .fetch = fetch,
    .to_api = sub_api,
};
static const nu_list_spec kByEnd = {
    .row_size = sizeof(nu_subscription_row),
    .int64_key = true,
    .position_of = end_position,
    .fetch = fetch,
    .to_api = sub_api,
};

static nu_status list_subscriptions(nu_call *call, const ProtobufCMessage *msg,
                                    ProtobufCMessage **resp) {
  const Nuage__V1__ListSubscriptionsRequest *req = (const void *)msg;
  int64_t now = nu_rpc_now(call);
  list_ctx x = {.now_ns = now,
                .filter = {.query = req->query,
                           .status = nu_subscription_state_name((nu_subscription_state)req->status),
                           .now_us = now / 1000,
                           .start_from_us = nu_rpc_time_us(req->start_from),
                           .start_to_us = nu_rpc_time_us(req->start_to),
                           .end_from_us = nu_rpc_time_us(req->end_from),
                           .end_to_us = nu_rpc_time_us(req->end_to)}};
  nu_status st = nu_rpc_scope_org(call, NULL, &x.filter.organization_id);
  if (!nu_status_is_ok(&st)) return st;
  const nu_list_spec *spec = &kByCreation;
  switch (req->sort) {
    case NUAGE__V1__SUBSCRIPTION_SORT__SUBSCRIPTION_SORT_START_TIME_ASC:
      x.filter.sort = NU_SUBSCRIPTION_SORT_START;
      spec = &kByStart;
      break;
    case NUAGE__V1__SUBSCRIPTION_SORT__SUBSCRIPTION_SORT_END_TIME_ASC:
      x.filter.sort = NU_SUBSCRIPTION_SORT_END;
      spec = &kByEnd;
      break;
    default: x.filter.sort = NU_SUBSCRIPTION_SORT_NEWEST; break;
  }
  return nu_list_run(call, msg, req->page_size, spec, &x, resp);
}

static nu_status list_my_subscriptions(nu_call *call, const ProtobufCMessage *msg,
                                       ProtobufCMessage **resp) {
  const Nuage__V1__ListMySubscriptionsRequest *req = (const void *)msg;
  int64_t now = nu_rpc_now(call);
  list_ctx x = {.now_ns = now,
                .filter = {.mine_user_id = nu_call_principal(call)->id,
                           .query = req->query,
                           .status = nu_subscription_state_name((nu_subscription_state)req->status),
                           .now_us = now / 1000}};
  return nu_list_run(call, msg, req->page_size, &kByCreation, &x, resp);
}

/* ---- TerminateSubscription --------------------------------------------------- */

static nu_status validate_terminate(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__TerminateSubscriptionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "subscription_id", req->subscription_id, "a subscription id", true);
  if (req->quantity < 0) nu_validate_fail(&v, "quantity", "must not be negative");
  nu_validate_etag(&v, "etag", req->etag, true);
  nu_validate_required(&v, "request_id", req->request_id);
  return nu_validator_result(&v);
}

typedef struct terminate_run {
  nu_call *call;
  const Nuage__V1__TerminateSubscriptionRequest *req;
} terminate_run;

static nu_status terminate_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  terminate_run *r = arg;
  const Nuage__V1__TerminateSubscriptionRequest *req = r->req;
  nu_subscription_row s;
  bool found = false;
  nu_status st = nu_subscription_get(c, a, req->subscription_id, true, &s, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !readable(r->call, &s)) return nu_rpc_not_found(a, "subscription");
  int64_t version = 0;
  if (nu_rpc_etag_parse(req->etag, &version) != 0 || version != s.version) {
    return nu_rpc_stale_etag(a);
  }
  int64_t now = nu_rpc_now(r->call);
  nu_subscription_dates d = dates_of(&s);
  nu_date on;
  nu_refusal why;
  if (nu_subscription_terminate(&d, now, &on, &why) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  int64_t units = req->quantity == 0 ? s.quantity : req->quantity;
  nu_subscription_split split;
  if (nu_subscription_split_quantity(s.quantity, units, &split, &why) != 0) {
    st = nu_error(a, NU_INVALID_ARGUMENT, why.reason, "%s", why.message);
    nu_status_add_violation(a, &st, "quantity", "%s", why.message);
    return st;
  }
  const char *who = nu_call_principal(r->call)->id;
  int64_t effective_us = nu_paris_day_start(on) / 1000;
  Nuage__V1__TerminateSubscriptionResponse *out =
      NU_RPC_NEW(a, Nuage__V1__TerminateSubscriptionResponse,
                 nuage__v1__terminate_subscription_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  nu_subscription_row terminated, remaining;
  if (split.kept == 0) {
    s.terminated_us = effective_us;
    st = nu_subscription_write(c, a, &s, now / 1000, who, now, &terminated);
    if (!nu_status_is_ok(&st)) return st;
  } else {
    /* The terminated units split off with the same history. */
    nu_subscription_row part = s;
    part.parent_id = s.id;
    part.quantity = split.terminated;
    part.terminated_us = effective_us;
    st = nu_subscription_insert(c, a, &part, now, &terminated);
    if (!nu_status_is_ok(&st)) return st;
    s.quantity = split.kept;
    st = nu_subscription_write(c, a, &s, 0, NULL, now, &remaining);
    if (!nu_status_is_ok(&st)) return st;
    out->remaining = to_api(a, &remaining, now);
    if (out->remaining == NULL) return nu_rpc_oom(a);
  }
  out->terminated = to_api(a, &terminated, now);
  if (out->terminated == NULL) return nu_rpc_oom(a);
  const char *q = nu_arena_sprintf(a, "%" PRId64, split.terminated);
  char day[16];
  if (q == NULL || nu_date_format(on, day, sizeof(day)) < 0) return nu_rpc_oom(a);
  nu_audit_change ch[] = {{"terminated_quantity", NULL, q},
                          {"effective", NULL, nu_arena_strdup(a, day)},
                          {"split_into", NULL, split.kept > 0 ? terminated.id : NULL}};
  st = nu_rpc_audit(r->call, c, s.organization_id, "subscription.terminate", "subscription", s.id,
                    ch, 3);
  if (!nu_status_is_ok(&st)) return st;
  *resp = &out->base;
  return nu_ok();
}

static nu_status terminate(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__TerminateSubscriptionRequest *req = (const void *)msg;
  terminate_run r = {.call = call, .req = req};
  return nu_rpc_create_tx(call, req->request_id, msg, terminate_tx, &r, resp);
}

const nu_method nu_subscription_methods[] = {
    NU_RPC_ROW("SubscriptionService", "GetSubscription", get_subscription_request, subscription,
               validate_get, get_subscription),
    NU_RPC_ROW("SubscriptionService", "ListSubscriptions", list_subscriptions_request,
               list_subscriptions_response, validate_list, list_subscriptions),
    NU_RPC_ROW("SubscriptionService", "ListMySubscriptions", list_my_subscriptions_request,
               list_subscriptions_response, validate_list_mine, list_my_subscriptions),
    NU_RPC_ROW("SubscriptionService", "TerminateSubscription", terminate_subscription_request,
               terminate_subscription_response, validate_terminate, terminate),
};
const size_t nu_subscription_methods_count =
    sizeof(nu_subscription_methods) / sizeof(nu_subscription_methods[0]);
